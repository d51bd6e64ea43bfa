package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.engine.Engine;
import io.flexsched.core.providers.Providers;
import io.flexsched.model.Assignment;
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
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
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
 * half of the nodes (a reservation's view, through the internal {@link Engine#decide}), and some
 * are tried in a transaction that is rolled back (the reference places and releases the same
 * tasks), so the index's per-reason counts and lines must survive undo. In constrained runs
 * (negative seeds) nodes carry pool labels and taints and tasks selectors and tolerations; in NUMA
 * runs (seeds of -10 and below, constrained too) about half of the nodes declare NUMA nodes and
 * tasks require or prefer NUMA affinity. In remote runs (seeds of absolute value 200 to 299) a
 * third of the tasks that ask for devices accept remote devices, at penalties of 0 to 3; in
 * time-slicing runs (seeds of 300 and up) a third of the nodes have time-sliced devices and half
 * of the shares are weighted time slices. Sampling policies ({@code name@k}, and {@code random},
 * which samples one node) draw their nodes as the reference's list of fitting nodes does.
 */
class DifferentialTest {
  private static final int TASKS = 10_500;

  static List<Arguments> cases() {
    var out = new ArrayList<Arguments>();
    long seed = 1;
    for (String policy : Scheduler.scoringPolicies().keySet()) {
      out.add(Arguments.of(policy, TieBreak.NODE_ORDER, false, seed++));
    }
    out.add(Arguments.of("fgd", TieBreak.PER_DECISION, false, 100L));
    out.add(Arguments.of("packing", TieBreak.PER_DECISION, false, 101L));
    for (String policy : java.util.List.of("fgd", "clustering", "bestfit")) {
      out.add(Arguments.of(policy, TieBreak.NODE_ORDER, true, seed++));
    }
    // Node selectors, taints and tolerations: some nodes a task may not use whatever is free.
    out.add(Arguments.of("fgd", TieBreak.NODE_ORDER, false, -1L));
    out.add(Arguments.of("bestfit", TieBreak.PER_DECISION, false, -2L));
    out.add(Arguments.of("packing", TieBreak.NODE_ORDER, true, -3L));
    // NUMA layouts and affinity: the engine's NUMA views against the reference's own.
    out.add(Arguments.of("fgd", TieBreak.NODE_ORDER, false, -11L));
    out.add(Arguments.of("bestfit", TieBreak.PER_DECISION, false, -12L));
    out.add(Arguments.of("packing", TieBreak.NODE_ORDER, true, -13L));
    out.add(Arguments.of("clustering", TieBreak.NODE_ORDER, false, -14L));
    // Remote devices: the engine's pairing by path prefixes against the reference's every pair.
    out.add(Arguments.of("fgd", TieBreak.NODE_ORDER, false, 200L));
    out.add(Arguments.of("bestfit", TieBreak.PER_DECISION, false, 201L));
    out.add(Arguments.of("packing", TieBreak.NODE_ORDER, true, 202L));
    out.add(Arguments.of("random", TieBreak.PER_DECISION, false, 203L));
    out.add(Arguments.of("clustering", TieBreak.NODE_ORDER, false, -210L));
    // Time-sliced devices and weighted time slices beside fractional, whole and profile devices.
    out.add(Arguments.of("fgd", TieBreak.NODE_ORDER, false, 300L));
    out.add(Arguments.of("bestfit", TieBreak.PER_DECISION, false, 301L));
    out.add(Arguments.of("packing", TieBreak.NODE_ORDER, false, 302L));
    out.add(Arguments.of("flexfit", TieBreak.NODE_ORDER, false, 303L));
    // Sampling policies ("name@k": the policy asked about k nodes drawn from the fitting ones).
    out.add(Arguments.of("bestfit@4", TieBreak.NODE_ORDER, false, 400L));
    out.add(Arguments.of("fgd@2", TieBreak.PER_DECISION, true, 401L));
    out.add(Arguments.of("random", TieBreak.NODE_ORDER, false, -4L));
    out.add(Arguments.of("packing@3", TieBreak.NODE_ORDER, false, -411L));
    return out;
  }

  /** A policy by name; {@code name@k} is the named policy sampling k nodes a decision. */
  static ScoringPolicy create(String policy, PolicyContext context) {
    int at = policy.indexOf('@');
    ScoringPolicy inner = Providers.scoring().named(at < 0 ? policy : policy.substring(0, at)).create(context);
    return at < 0 ? inner : new Sampling(inner, Integer.parseInt(policy.substring(at + 1)));
  }

  private record Sampling(ScoringPolicy inner, int sampleSize) implements ScoringPolicy {
    @Override
    public String name() {
      return inner.name() + "@" + sampleSize;
    }

    @Override
    public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
      return inner.score(task, node, choice, context);
    }
  }

  @ParameterizedTest(name = "{0} {1} uniform={2} seed {3}")
  @MethodSource("cases")
  void engineDecidesAsTheReferenceDoes(String policy, TieBreak tieBreak, boolean uniform, long seed) {
    // A negative seed marks a constrained run.
    var gen = new RandomClusters(Math.abs(seed), seed < 0, seed <= -10, seed >= 300);
    boolean remote = Math.abs(seed) >= 200 && Math.abs(seed) < 300;
    List<Node> nodes = (uniform ? gen.uniformNodes(60) : gen.nodes(60)).stream().map(n -> remote ? inRacks(n) : n).toList();
    var tasks = new ArrayList<Task>();
    var remoteDraws = new java.util.SplittableRandom(seed);
    for (int i = 0; i < TASKS; i++) {
      Task t = gen.task();
      if (remote && t.accelerators().wantsDevices() && t.numa() != Task.Numa.REQUIRED && remoteDraws.nextInt(3) == 0) {
        t = t.toBuilder().accelerators(t.accelerators().remoteOk(remoteDraws.nextInt(4))).build();
      }
      tasks.add(t);
    }
    WorkloadDistribution workload = WorkloadDistribution.typical(tasks, 0.95);
    var context = new PolicyContext(seed, workload, DeviceCatalogue.builtIn());
    Engine engine = (Engine) Scheduler.builder()
        .policy(create(policy, context)).seed(seed).workload(workload).tieBreak(tieBreak).nodes(nodes).buildEngine();
    var reference = new ReferenceEngine(create(policy, context), seed, tieBreak, nodes);
    assertThat(engine.assertMode()).as("assert mode is on in tests").isTrue();

    var placed = new ArrayList<String>();
    int next = 0;
    int placements = 0;
    int pendings = 0;
    int tolerated = 0;
    int excluded = 0;
    int pinned = 0;
    int numaRejections = 0;
    int timeSlices = 0;
    int remotePlacements = 0;
    while (next < tasks.size()) {
      int op = gen.nextInt(100);
      if (op < 5) {
        int salt = gen.nextInt(1 << 20);
        Predicate<String> half = name -> ((name.hashCode() ^ salt) & 1) == 0;
        Task t = tasks.get(next++);
        // decide() is not an operation by itself: atomically() makes it one, as a scheduler's pass does.
        Outcome mine = engine.atomically(() -> engine.decide(List.of(t), half, false));
        Outcome theirs = reference.place(t, half);
        assertSameDecision(mine, theirs, "restricted task " + t.id());
        if (mine.placed()) {
          placed.add(t.id());
        }
      } else if (op < 8) {
        var tried = new ArrayList<String>();
        Transaction tx = engine.begin();
        for (int k = 0; k < 3 && next < tasks.size(); k++) {
          Task t = tasks.get(next++);
          Outcome mine = engine.place(t);
          Outcome theirs = reference.place(t);
          assertSameDecision(mine, theirs, "task " + t.id() + " in a transaction");
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
        Outcome mine = engine.place(t);
        Outcome theirs = reference.place(t);
        assertSameDecision(mine, theirs, "task " + t.id());
        if (mine.placed()) {
          placed.add(t.id());
          placements++;
          String node = assignment(mine).node();
          tolerated += engine.cluster().node(node).spec().taints().isEmpty() ? 0 : 1;
          pinned += assignment(mine).numaNode() != Assignment.NO_NUMA ? 1 : 0;
          timeSlices += t.accelerators().isTimeSlice() ? 1 : 0;
          remotePlacements += assignment(mine).remote() ? 1 : 0;
        } else {
          pendings++;
          numaRejections += reasons(mine).containsKey(RejectReason.NUMA) ? 1 : 0;
          excluded += reasons(mine).containsKey(RejectReason.TAINT) && reasons(mine).containsKey(RejectReason.NODE_SELECTOR) ? 1 : 0;
        }
      } else if (op < 96) {
        String id = placed.remove(gen.nextInt(placed.size()));
        assertThat(engine.release(id)).isEqualTo(reference.release(id));
      } else if (op < 98) {
        List<Node> live = engine.cluster().nodes();
        String name = live.get(gen.nextInt(live.size())).name();
        List<Assignment> evicted = engine.removeNode(name);
        assertThat(evicted).as("evicted from %s", name).isEqualTo(reference.removeNode(name));
        for (Assignment a : evicted) {
          placed.remove(a.task());
        }
      } else {
        Node n = remote ? inRacks(gen.node()) : gen.node();
        engine.addNode(n);
        reference.addNode(n);
      }
      OverCommit.check(engine);
    }
    assertThat(placements).as("the run exercised placements").isGreaterThan(1_000);
    assertThat(pendings).as("the run exercised rejections").isGreaterThan(100);
    if (seed < 0) {
      assertThat(tolerated).as("tasks placed on tainted nodes").isGreaterThan(100);
      assertThat(excluded).as("rejections naming both a selector and a taint").isGreaterThan(10);
    }
    if (remote) {
      assertThat(remotePlacements).as("tasks placed with remote devices").isGreaterThan(50);
    }
    if (seed <= -10) {
      assertThat(pinned).as("tasks pinned to a NUMA node").isGreaterThan(300);
      assertThat(numaRejections).as("rejections naming NUMA").isGreaterThan(10);
    }
    if (seed >= 300) {
      assertThat(timeSlices).as("weighted time slices placed").isGreaterThan(300);
    }
  }

  /**
   * {@code n} placed in a topology by its name: racks r0 and r2 of zone z0, r1 of zone z1, and some
   * nodes in zone z1 outside any rack, so that remote pairs are 0 to 3 topology steps apart.
   */
  private static Node inRacks(Node n) {
    int h = Math.floorMod(n.name().hashCode(), 4);
    List<String> path = h == 3 ? List.of("z1") : List.of("z" + (h % 2), "r" + h);
    return new Node(n.name(), n.cpuMilli(), n.memoryMiB(), n.labels(), n.devices(), n.links(), path, n.taints(), n.numa());
  }

  /** The same node and devices, or the same rejection counts. */
  static void assertSameDecision(Outcome mine, Outcome theirs, String what) {
    assertThat(mine.tasks()).as("tasks of %s", what).isEqualTo(theirs.tasks());
    assertThat(assignment(mine)).as(what).isEqualTo(assignment(theirs));
    assertThat(reasons(mine)).as("reasons for %s", what).isEqualTo(reasons(theirs));
  }

  private static @Nullable Assignment assignment(Outcome o) {
    return o instanceof Outcome.Placed p ? p.assignment() : null;
  }

  private static Map<RejectReason, Integer> reasons(Outcome o) {
    return o instanceof Outcome.Pending p ? p.reasons() : Map.of();
  }
}
