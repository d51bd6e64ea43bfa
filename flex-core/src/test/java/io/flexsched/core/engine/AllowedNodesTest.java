package io.flexsched.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.OverCommit;
import io.flexsched.core.Outcome;
import io.flexsched.core.RandomClusters;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Engine#decide} with a set of allowed nodes, the placement a reservation uses: with every
 * node allowed it decides exactly as {@link Engine#place} does (same policy, same tie-breaking),
 * and it never uses a node it is not allowed.
 */
class AllowedNodesTest {

  private static Engine engine(String policy, long seed, List<Node> nodes) {
    return (Engine) Scheduler.builder().policy(policy).seed(seed).nodes(nodes).buildEngine();
  }

  /** One restricted placement, as an operation of its own (decide() is not one by itself). */
  private static Outcome place(Engine e, Task t, Predicate<String> allowed) {
    return e.atomically(() -> e.decide(List.of(t), allowed, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fgd", "bestfit", "packing", "random"})
  void everyNodeAllowedDecidesAsPlaceDoes(String policy) {
    List<Node> nodes = new RandomClusters(11).nodes(30);
    Engine plain = engine(policy, 11, nodes);
    Engine filtered = engine(policy, 11, nodes);
    var tasks = new RandomClusters(12);
    int placed = 0;
    for (int i = 0; i < 400; i++) {
      Task t = tasks.task();
      Outcome a = plain.place(t);
      Outcome b = place(filtered, t, name -> true);
      assertThat(b).as("task %d", i).isEqualTo(a);
      placed += a.placed() ? 1 : 0;
    }
    assertThat(placed).isGreaterThan(50);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fgd", "bestfit"})
  void aNodeNotAllowedIsNeverUsed(String policy) {
    List<Node> nodes = new RandomClusters(21).uniformNodes(12);
    Engine e = engine(policy, 21, nodes);
    String held = nodes.get(0).name();
    var tasks = new RandomClusters(22);
    for (int i = 0; i < 300; i++) {
      place(e, tasks.task(), name -> !name.equals(held));
    }
    assertThat(e.cluster().assignments()).isNotEmpty().extracting(Assignment::node).doesNotContain(held);
    OverCommit.check(e);
  }
}
