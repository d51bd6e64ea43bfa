package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.providers.Providers;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A policy that throws while a score-index line is being brought up to date leaves the line half
 * refreshed: some answers and block maxima new, others not. The engine must still decide as the
 * reference does afterwards (the failed placement changes nothing, and the next refresh of that
 * line starts over). The policy fails on every n-th call, so failures land at many points of many
 * refreshes.
 */
class IndexRefreshFailureTest {
  private static final class FailsEveryNth implements ScoringPolicy {
    private final ScoringPolicy inner;
    private final int every;
    private long calls;
    int failures;

    FailsEveryNth(ScoringPolicy inner, int every) {
      this.inner = inner;
      this.every = every;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
      if (++calls % every == 0) {
        failures++;
        throw new IllegalStateException("call " + calls);
      }
      return inner.score(task, node, choice, context);
    }
  }

  @ParameterizedTest(name = "fails every {0}th call")
  @ValueSource(ints = {7, 37, 211})
  void decisionsAfterAFailedRefreshAreTheReferencesDecisions(int every) {
    var gen = new RandomClusters(500 + every);
    List<Node> nodes = gen.nodes(200);
    // Few shapes, so that lines are refreshed from the change log rather than rebuilt.
    var shapes = new ArrayList<Task>();
    for (int i = 0; i < 12; i++) {
      shapes.add(gen.task());
    }
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 3_000; i++) {
      tasks.add(shapes.get(i % shapes.size()).toBuilder().id("t" + i).build());
    }
    var workload = WorkloadDistribution.typical(tasks, 0.95);
    var context = new PolicyContext(1, workload, DeviceCatalogue.builtIn());
    var failing = new FailsEveryNth(Providers.scoring().named("bestfit").create(context), every);
    PlacementEngine engine = Scheduler.builder().policy(failing).seed(1).workload(workload).nodes(nodes).buildEngine();
    var reference = new ReferenceEngine(Providers.scoring().named("bestfit").create(context), 1, TieBreak.NODE_ORDER, nodes);
    var random = new SplittableRandom(every);
    var placed = new ArrayList<String>();
    int decided = 0;
    for (Task t : tasks) {
      if (!placed.isEmpty() && random.nextInt(3) == 0) {
        String victim = placed.remove(random.nextInt(placed.size()));
        assertThat(engine.release(victim)).isEqualTo(reference.release(victim));
      }
      Outcome mine;
      try {
        mine = engine.place(t);
      } catch (PolicyException e) {
        continue; // changed nothing: the reference does not see this task either
      }
      DifferentialTest.assertSameDecision(mine, reference.place(t), "task " + t.id());
      decided++;
      if (mine.placed()) {
        placed.add(t.id());
      }
    }
    assertThat(failing.failures).as("failures injected").isGreaterThan(2);
    assertThat(decided).as("decisions compared").isGreaterThan(500);
  }
}
