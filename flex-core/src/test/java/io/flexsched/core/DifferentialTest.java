package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicies;
import io.flexsched.spi.WorkloadDistribution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine (columns, score cache, incremental counters) against {@link ReferenceEngine} (plain
 * objects, full scan, no caches): on the same random heterogeneous cluster and the same random
 * sequence of placements, releases, node removals and additions, every decision, every rejection
 * count and every eviction must be identical, for every policy and both tie-break rules, on
 * random clusters and on clusters of a few kinds of node (where many nodes share a state, so the
 * engine's answers shared by state are exercised). Some placements are restricted to a random
 * half of the nodes (a reservation's view), and some are tried in a transaction that is rolled
 * back (the reference places and releases the same tasks), so the index's per-reason counts and
 * lines must survive undo.
 */
class DifferentialTest {
  private static final int TASKS = 10_500;

  static List<Arguments> cases() {
    var out = new ArrayList<Arguments>();
    long seed = 1;
    for (String policy : ScoringPolicies.available().keySet()) {
      out.add(Arguments.of(policy, TieBreak.NODE_ORDER, false, seed++));
    }
    out.add(Arguments.of("fgd", TieBreak.PER_DECISION, false, 100L));
    out.add(Arguments.of("packing", TieBreak.PER_DECISION, false, 101L));
    for (String policy : java.util.List.of("fgd", "clustering", "bestfit")) {
      out.add(Arguments.of(policy, TieBreak.NODE_ORDER, true, seed++));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1} uniform={2} seed {3}")
  @MethodSource("cases")
  void engineDecidesAsTheReferenceDoes(String policy, TieBreak tieBreak, boolean uniform, long seed) {
    var gen = new RandomClusters(seed);
    List<Node> nodes = uniform ? gen.uniformNodes(60) : gen.nodes(60);
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < TASKS; i++) {
      tasks.add(gen.task());
    }
    WorkloadDistribution workload = WorkloadDistribution.typical(tasks, 0.95);
    var context = new PolicyContext(seed, workload, DeviceCatalogue.builtIn());
    PlacementEngine engine = PlacementEngine.builder()
        .policy(policy).seed(seed).workload(workload).tieBreak(tieBreak).nodes(nodes).build();
    var reference = new ReferenceEngine(ScoringPolicies.named(policy).create(context), seed, tieBreak, nodes);
    assertThat(engine.assertMode()).as("assert mode is on in tests").isTrue();

    var placed = new ArrayList<String>();
    int next = 0;
    int placements = 0;
    int pendings = 0;
    while (next < tasks.size()) {
      int op = gen.nextInt(100);
      if (op < 5) {
        int salt = gen.nextInt(1 << 20);
        java.util.function.Predicate<String> half = name -> ((name.hashCode() ^ salt) & 1) == 0;
        Task t = tasks.get(next++);
        Decision mine = engine.place(t, half);
        Decision theirs = reference.place(t, half);
        assertThat(mine.assignment()).as("restricted task %s", t.id()).isEqualTo(theirs.assignment());
        assertThat(mine.reasons()).as("reasons for restricted %s", t.id()).isEqualTo(theirs.reasons());
        if (mine.placed()) {
          placed.add(t.id());
        }
      } else if (op < 8) {
        var tried = new ArrayList<String>();
        Transaction tx = engine.begin();
        for (int k = 0; k < 3 && next < tasks.size(); k++) {
          Task t = tasks.get(next++);
          Decision mine = engine.place(t);
          Decision theirs = reference.place(t);
          assertThat(mine.assignment()).as("task %s in a transaction", t.id()).isEqualTo(theirs.assignment());
          assertThat(mine.reasons()).as("reasons for %s in a transaction", t.id()).isEqualTo(theirs.reasons());
          if (mine.placed()) {
            tried.add(t.id());
          }
        }
        tx.rollback();
        for (int k = tried.size() - 1; k >= 0; k--) {
          reference.release(tried.get(k));
        }
      } else if (op < 70 || placed.isEmpty()) {
        Task t = tasks.get(next++);
        Decision mine = engine.place(t);
        Decision theirs = reference.place(t);
        assertThat(mine.assignment()).as("task %s", t.id()).isEqualTo(theirs.assignment());
        assertThat(mine.reasons()).as("reasons for %s", t.id()).isEqualTo(theirs.reasons());
        if (mine.placed()) {
          placed.add(t.id());
          placements++;
        } else {
          pendings++;
        }
      } else if (op < 96) {
        String id = placed.remove(gen.nextInt(placed.size()));
        assertThat(engine.release(id)).isEqualTo(reference.release(id));
      } else if (op < 98) {
        List<Node> live = engine.nodes();
        String name = live.get(gen.nextInt(live.size())).name();
        List<Assignment> evicted = engine.removeNode(name);
        assertThat(evicted).as("evicted from %s", name).isEqualTo(reference.removeNode(name));
        for (Assignment a : evicted) {
          placed.remove(a.task());
        }
      } else {
        Node n = gen.node();
        engine.addNode(n);
        reference.addNode(n);
      }
      OverCommit.check(engine);
    }
    assertThat(placements).as("the run exercised placements").isGreaterThan(1_000);
    assertThat(pendings).as("the run exercised rejections").isGreaterThan(100);
  }
}
