package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.engine.Engine;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementEngineTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");
  private static final DeviceModel G2 = DeviceCatalogue.builtIn().require("G2");

  private static Task share(String id, int milli) {
    return Task.builder(id).cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.share(1, milli, 512)).build();
  }

  private static Task whole(String id, int count) {
    return Task.builder(id).cpuMilli(2000).memoryMiB(2048).accelerators(AcceleratorRequest.whole(count)).build();
  }

  private static PlacementEngine engine(String policy, Node... nodes) {
    return Scheduler.builder().policy(policy).seed(5).nodes(List.of(nodes)).buildEngine();
  }

  /** Everything a policy can see of every node, as text: equal snapshots mean equal states. */
  private static String snapshot(PlacementEngine e) {
    var b = new StringBuilder();
    ClusterView c = e.cluster();
    for (Node n : c.nodes()) {
      NodeView v = c.node(n.name());
      b.append(n.name()).append(' ').append(v.freeCpuMilli()).append(' ').append(v.freeMemoryMiB())
          .append(' ').append(v.totalFreeMilli()).append(' ').append(v.idleDevices()).append(' ').append(v.tasks());
      for (int d = 0; d < v.deviceCount(); d++) {
        b.append(" [").append(v.freeMilli(d)).append(',').append(v.freeDeviceMemoryMiB(d)).append(',')
            .append(v.freeSharers(d)).append(',').append(v.freeComputeUnits(d)).append(',').append(v.freeSlots(d)).append(']');
      }
      b.append('\n');
    }
    return b.append(c.assignments()).append(' ').append(c.allocatedMilli()).append('/').append(c.capacityMilli()).toString();
  }

  @Test
  void assertModeIsOnInTests() {
    assertThat(((Engine) engine("fgd", Node.of("n", 8000, 8192, T4, 1))).assertMode()).isTrue();
  }

  @Test
  void aReleaseRestoresTheExactPriorState() {
    PlacementEngine e = engine("bestfit", Node.of("a", 16_000, 65_536, T4, 2), Node.of("b", 96_000, 393_216, G2, 8));
    e.place(share("s1", 300));
    String before = snapshot(e);
    Outcome d = e.place(whole("w", 2));
    assertThat(d.placed()).isTrue();
    assertThat(snapshot(e)).isNotEqualTo(before);
    e.release("w");
    assertThat(snapshot(e)).isEqualTo(before);
  }

  @Test
  void aRollbackRestoresThePlacementOrderOfTheClusterAndOfEachNode() {
    PlacementEngine e = engine("bestfit", Node.of("a", 64_000, 65_536, T4, 4), Node.of("b", 96_000, 393_216, G2, 8));
    for (String id : List.of("t1", "t2", "t3", "t4")) {
      assertThat(e.place(share(id, 100)).placed()).isTrue();
    }
    List<Assignment> before = e.cluster().assignments();
    var tasksBefore = new ArrayList<List<Task>>();
    for (Node n : e.cluster().nodes()) {
      tasksBefore.add(List.copyOf(e.cluster().node(n.name()).tasks()));
    }
    String node = before.get(1).node();
    try (Transaction tx = e.begin()) {
      e.release("t2");
      e.release("t1");
      assertThat(e.place(share("t5", 100)).placed()).isTrue();
      e.removeNode(node);
      tx.rollback();
    }
    assertThat(e.cluster().assignments()).isEqualTo(before);
    var tasksAfter = new ArrayList<List<Task>>();
    for (Node n : e.cluster().nodes()) {
      tasksAfter.add(List.copyOf(e.cluster().node(n.name()).tasks()));
    }
    assertThat(tasksAfter).isEqualTo(tasksBefore);
    assertThat(e.removeNode(node)).as("evictions in placement order")
        .isEqualTo(before.stream().filter(a -> a.node().equals(node)).toList());
  }

  @Test
  void aRolledBackTransactionLeavesNothingBehind() {
    PlacementEngine e = engine("fgd", Node.of("a", 16_000, 65_536, T4, 2), Node.of("b", 96_000, 393_216, G2, 8));
    e.place(share("keep", 400));
    e.place(whole("gone", 1));
    String before = snapshot(e);
    try (Transaction tx = e.begin()) {
      e.place(share("s2", 500));
      e.release("gone");
      e.addNode(Node.of("c", 8_000, 8_192, T4, 1));
      e.place(whole("on-c", 1));
      List<Assignment> evicted = e.removeNode("b");
      assertThat(evicted).isNotEmpty();
      assertThat(snapshot(e)).isNotEqualTo(before);
      assertThat(tx.isOpen()).isTrue();
    }
    assertThat(snapshot(e)).isEqualTo(before);
    // The node added in the rolled-back transaction is gone, so its name is free again.
    e.addNode(Node.of("c", 8_000, 8_192, T4, 1));
    assertThat(e.cluster().nodes()).extracting(Node::name).containsExactly("a", "b", "c");
  }

  @Test
  void committedWorkStaysAndNestedTransactionsEndInnermostFirst() {
    PlacementEngine e = engine("bestfit", Node.of("a", 16_000, 65_536, T4, 2));
    Transaction outer = e.begin();
    e.place(share("x", 100));
    Transaction inner = e.begin();
    e.place(share("y", 100));
    assertThatThrownBy(outer::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("inner one is open");
    inner.rollback();
    assertThat(e.cluster().assignment("y")).isEmpty();
    outer.commit();
    assertThat(e.cluster().assignment("x")).isPresent();
    assertThatThrownBy(outer::rollback).isInstanceOf(IllegalStateException.class).hasMessage("transaction already ended");
  }

  @Test
  void removingANodeEvictsItsTasksAndFreesNothingElse() {
    PlacementEngine e = engine("bestfit", Node.of("a", 16_000, 65_536, T4, 2), Node.of("b", 16_000, 65_536, T4, 2));
    e.place(whole("w1", 2));
    e.place(whole("w2", 2));
    String host = e.cluster().assignment("w1").orElseThrow().node();
    String other = host.equals("a") ? "b" : "a";
    List<Assignment> evicted = e.removeNode(host);
    assertThat(evicted).extracting(Assignment::task).containsExactly("w1");
    assertThat(e.cluster().assignment("w1")).isEmpty();
    assertThat(e.cluster().assignment("w2").orElseThrow().node()).isEqualTo(other);
    assertThat(e.cluster().capacityMilli()).isEqualTo(2000);
    assertThat(e.cluster().allocatedMilli()).isEqualTo(2000);
  }

  @Test
  void rejectedOperationsChangeNothing() {
    PlacementEngine e = engine("fgd", Node.of("a", 16_000, 65_536, T4, 2));
    e.place(share("s", 500));
    String before = snapshot(e);
    assertThatThrownBy(() -> e.release("nope")).isInstanceOf(InvalidSpecException.class)
        .hasMessage("task must be a task placed on this cluster, was 'nope'")
        .extracting(x -> ((InvalidSpecException) x).field()).isEqualTo("task");
    assertThatThrownBy(() -> e.removeNode("z")).isInstanceOf(InvalidSpecException.class)
        .hasMessage("node must be a node of this cluster, was 'z'")
        .extracting(x -> ((InvalidSpecException) x).field()).isEqualTo("node");
    assertThatThrownBy(() -> e.place(share("s", 100))).isInstanceOf(InvalidSpecException.class)
        .hasMessage("task.id must not repeat a task already placed, was 's'");
    assertThatThrownBy(() -> e.addNode(Node.of("a", 1000, 1000, T4, 1))).isInstanceOf(InvalidSpecException.class)
        .hasMessage("node.name must not repeat a node of the cluster, was 'a'");
    assertThatThrownBy(() -> e.place(Task.builder("p").accelerators(AcceleratorRequest.profile("9g.99gb")).build()))
        .isInstanceOf(InvalidSpecException.class).hasMessageStartingWith("profile must be a profile of an allowed, known model");
    assertThat(snapshot(e)).isEqualTo(before);
  }

  @Test
  void aPendingTaskSaysPerReasonHowManyNodesRejectedIt() {
    PlacementEngine e = engine("bestfit",
        Node.of("small-cpu", 1_000, 65_536, T4, 2),
        Node.of("small-mem", 64_000, 1_024, T4, 2),
        Node.builder("cpu-only").cpuMilli(64_000).memoryMiB(65_536).build(),
        Node.of("two-t4", 64_000, 65_536, T4, 2),
        Node.of("g2", 64_000, 65_536, G2, 8));
    Task t = Task.builder("t").cpuMilli(4_000).memoryMiB(4_096)
        .accelerators(AcceleratorRequest.whole(4).onModels(java.util.Set.of("T4"))).build();
    Outcome.Pending d = (Outcome.Pending) e.place(t);
    assertThat(d.cause()).isEqualTo(Outcome.Cause.NO_FIT);
    assertThat(d.reasons()).isEqualTo(Map.of(
        RejectReason.INSUFFICIENT_CPU, 1, RejectReason.INSUFFICIENT_MEMORY, 1, RejectReason.NO_DEVICES, 1,
        RejectReason.INSUFFICIENT_DEVICE_COUNT, 1, RejectReason.MODEL_MISMATCH, 1));
    e.place(whole("fill", 8));
    Outcome d2 = e.place(whole("more", 1).toBuilder().id("more").build());
    assertThat(d2.placed()).isTrue();
    // Eight whole GPUs: the three 2-GPU nodes have too few, the CPU-only node none, and G2's are taken.
    Outcome big = e.place(Task.builder("big").cpuMilli(1000).accelerators(AcceleratorRequest.whole(8)).build());
    assertThat(((Outcome.Pending) big).reasons())
        .isEqualTo(Map.of(RejectReason.INSUFFICIENT_DEVICE_COUNT, 3, RejectReason.NO_DEVICES, 1,
            RejectReason.INSUFFICIENT_DEVICE_SHARE, 1));
  }

  @Test
  void sixteenHalfDeviceTasksNeverPutMoreThanOneDeviceOnADevice() {
    PlacementEngine e = engine("fgd", Node.of("a", 64_000, 65_536, T4, 2), Node.of("b", 64_000, 65_536, T4, 2));
    int placed = 0;
    for (int i = 0; i < 16; i++) {
      placed += e.place(share("h" + i, 500)).placed() ? 1 : 0;
    }
    assertThat(placed).isEqualTo(8);
    OverCommit.check(e);
    for (Node n : e.cluster().nodes()) {
      for (int d = 0; d < 2; d++) {
        assertThat(e.cluster().node(n.name()).freeMilli(d)).isZero();
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameDecisionsAndTheTieBreakRulesDiffer() {
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < 40; i++) {
      nodes.add(Node.of("n" + i, 64_000, 262_144, G2, 8));
    }
    var decisions = new ArrayList<List<String>>();
    for (TieBreak rule : List.of(TieBreak.NODE_ORDER, TieBreak.NODE_ORDER, TieBreak.PER_DECISION)) {
      PlacementEngine e = Scheduler.builder().policy("packing").seed(9).tieBreak(rule).nodes(nodes).buildEngine();
      var where = new ArrayList<String>();
      for (int i = 0; i < 20; i++) {
        // CPU-only tasks score 0 on every node under packing: only the tie-break decides.
        where.add(placed(e.place(Task.builder("c" + i).cpuMilli(1000).build())).node());
      }
      decisions.add(where);
    }
    assertThat(decisions.get(0)).isEqualTo(decisions.get(1));
    assertThat(new java.util.HashSet<>(decisions.get(0))).as("node order packs ties onto one node").hasSize(1);
    assertThat(new java.util.HashSet<>(decisions.get(2))).as("per-decision draws spread ties").hasSizeGreaterThan(5);
  }

  @Test
  void aPolicyThatChoosesAnUnfitDeviceIsRefusedAndChangesNothing() {
    ScoringPolicy liar = new ScoringPolicy() {
      @Override
      public String name() {
        return "liar";
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        choice.add(0);
        return 1;
      }
    };
    PlacementEngine e = Scheduler.builder().policy(liar).nodes(List.of(Node.of("a", 16_000, 65_536, T4, 2))).buildEngine();
    e.place(whole("first", 1));
    String before = snapshot(e);
    assertThatThrownBy(() -> e.place(whole("second", 1))).isInstanceOf(PolicyException.class)
        .hasMessage("scoring policy 'liar' for task second on node a: it chose devices [0], but device 0 cannot host the request")
        .satisfies(x -> {
          PolicyException p = (PolicyException) x;
          assertThat(List.of(p.extension(), p.node(), p.task())).containsExactly("scoring policy 'liar'", "a", "second");
        });
    assertThat(snapshot(e)).isEqualTo(before);
  }

  @Test
  void theBuilderTakesEachSettingOnceAndNamesUnknownPolicies() {
    assertThatThrownBy(() -> Scheduler.builder().policy("fgd").policy("random"))
        .isInstanceOf(IllegalStateException.class).hasMessage("policy was already set to fgd");
    assertThatThrownBy(() -> Scheduler.builder().seed(1).seed(2))
        .isInstanceOf(IllegalStateException.class).hasMessage("seed was already set to 1");
    assertThatThrownBy(() -> Scheduler.builder().policy("nope").buildEngine())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("policy must be one of [bestfit, clustering, dotprod, fgd, fgd-exact, flexfit, packing, random], was 'nope'")
        .extracting(x -> ((InvalidSpecException) x).field()).isEqualTo("policy");
  }

  @Test
  void profilesTakeSlotsAndComputeUnits() {
    DeviceModel a100 = DeviceCatalogue.builtIn().require("A100-40GB");
    PlacementEngine e = engine("bestfit", Node.of("m", 64_000, 262_144, a100, 1));
    // Each 1g.5gb takes the start that leaves the most placements of larger profiles (counted by
    // hand from hardware.md's geometry): 6 (8 left), then 4 (6; 5 ties, lower start wins), 5,
    // then 0, 1, 2, 3 as the room runs out. Slot 7 is no 1g start, so an eighth never fits.
    int[] starts = {6, 4, 5, 0, 1, 2, 3};
    for (int i = 0; i < 7; i++) {
      Outcome d = e.place(Task.builder("p" + i).accelerators(AcceleratorRequest.profile("1g.5gb")).build());
      assertThat(placed(d).slices()).containsExactly(new Slice(0, 142, 5120, "1g.5gb", starts[i]));
    }
    assertThat(e.place(Task.builder("p7").accelerators(AcceleratorRequest.profile("1g.5gb")).build()).placed()).isFalse();
    assertThat(e.cluster().node("m").freeComputeUnits(0)).isZero();
  }

  @Test
  void nodesWithEqualCountersButDifferentTasksAreNotConfused() {
    // Regression guard for answers shared by node state: the state must include the tasks' shapes.
    for (long seed = 1; seed <= 8; seed++) {
      PlacementEngine e = Scheduler.builder().policy("clustering").seed(seed)
          .nodes(List.of(Node.of("b", 96_000, 393_216, G2, 8))).buildEngine();
      Task single = Task.builder("s").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1)).build();
      e.place(single.toBuilder().id("s1").build());
      e.place(single.toBuilder().id("s2").build());
      e.addNode(Node.of("a", 96_000, 393_216, G2, 8));
      // The pair: a has no GPU tasks (25 + 0), b only another tag (u = 25*2000/8000 = 6): a wins.
      Task pair = Task.builder("pair").cpuMilli(2_000).memoryMiB(2_048).accelerators(AcceleratorRequest.whole(2)).build();
      assertThat(placed(e.place(pair)).node()).isEqualTo("a");
      // Now a and b have the same free CPU, memory and devices, but different tasks.
      assertThat(snapshotOf(e, "a").replace("[pair]", "")).isEqualTo(snapshotOf(e, "b").replace("[s1, s2]", ""));
      try (Transaction tx = e.begin()) {
        // A one-GPU task: b holds only its tag (75 + 6 = 81), a only another (6).
        assertThat(placed(e.place(single.toBuilder().id("probe1").build())).node()).as("seed %d", seed).isEqualTo("b");
      }
      try (Transaction tx = e.begin()) {
        // A two-GPU task: a holds only its tag (81), b only another (6).
        assertThat(placed(e.place(pair.toBuilder().id("probe2").build())).node()).as("seed %d", seed).isEqualTo("a");
      }
    }
  }

  /** The assignment of a single task's outcome, failing the test when it was not placed. */
  private static Assignment placed(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Placed.class);
    return ((Outcome.Placed) o).assignment();
  }

  private static String snapshotOf(PlacementEngine e, String node) {
    NodeView v = e.cluster().node(node);
    var b = new StringBuilder().append(v.freeCpuMilli()).append(' ').append(v.freeMemoryMiB()).append(' ');
    for (int d = 0; d < v.deviceCount(); d++) {
      b.append(v.freeMilli(d)).append(',');
    }
    return b.append(v.tasks().stream().map(Task::id).toList()).toString();
  }
}
