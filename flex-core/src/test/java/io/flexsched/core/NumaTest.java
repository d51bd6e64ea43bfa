package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * NUMA affinity as a user sees it: a two-socket node with GPUs 0 and 1 on socket 0 and GPUs 2 and
 * 3 on socket 1. A required task takes its devices and its CPU from one socket or waits with reason
 * {@code numa}; a preferred one goes where it gets affinity, and without it only when no node can
 * give it; pinned CPU is given back by release and rollback; a failing policy changes nothing.
 */
class NumaTest {
  private static final DeviceModel A100 = DeviceCatalogue.builtIn().require("A100-40GB");

  /** A node of 16 cores, socket 0 with {@code cpu0} of them and GPUs 0-1, socket 1 with the rest and GPUs 2-3. */
  private static Node twoSockets(String name, long cpu0) {
    return Node.builder(name).cpuMilli(16_000).memoryMiB(65_536).devices(A100, 4)
        .numa(List.of(new Node.NumaNode(cpu0, List.of(0, 1)), new Node.NumaNode(16_000 - cpu0, List.of(2, 3))))
        .build();
  }

  private static PlacementEngine engine(String policy, Node... nodes) {
    return Scheduler.builder().policy(policy).seed(7).nodes(List.of(nodes)).buildEngine();
  }

  private static Task gpus(String id, long cpu, int count, Task.Numa numa) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(count)).numa(numa).build();
  }

  private static Task cpuOnly(String id, long cpu, Task.Numa numa) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1_024).numa(numa).build();
  }

  private static Assignment on(Task task, String node, int numa, int... devices) {
    var slices = new ArrayList<Slice>();
    for (int d : devices) {
      slices.add(Slice.share(d, DeviceModel.WHOLE_MILLI, A100.memoryMiB()));
    }
    return new Assignment(task.id(), node, slices, numa);
  }

  private static Assignment placed(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Placed.class);
    return ((Outcome.Placed) o).assignment();
  }

  private static Map<RejectReason, Integer> reasons(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Pending.class);
    return ((Outcome.Pending) o).reasons();
  }

  @Test
  void aRequiredTaskGoesToTheSocketThatHoldsItsDevicesAndCpuAndPinsIt() {
    PlacementEngine engine = engine("bestfit", twoSockets("n", 4_000));
    Task big = cpuOnly("big", 11_000, Task.Numa.REQUIRED);
    engine.restore(big, on(big, "n", 1));

    // Socket 1 has 1 core left to pin, socket 0 has 4: only socket 0 takes 2 cores.
    Assignment a = placed(engine.place(gpus("t", 2_000, 1, Task.Numa.REQUIRED)));

    assertThat(a.numaNode()).isZero();
    assertThat(a.slices()).extracting(Slice::device).containsAnyOf(0, 1).hasSize(1);
    // 3 cores are free on the node, but no socket can pin them: socket 0 has 2 left, socket 1 has 1.
    Task three = cpuOnly("three", 3_000, Task.Numa.REQUIRED);
    assertThat(reasons(engine.place(three))).containsExactly(Map.entry(RejectReason.NUMA, 1));
    Explanation why = engine.explain(three);
    assertThat(why.nearest()).isNotNull();
    assertThat(why.nearest().reason()).isEqualTo(RejectReason.NUMA);
    assertThat(why.nearest().lacks()).containsExactly(Map.entry("cpuMilli", 1_000L));
    // Without affinity it fits: unpinned tasks use the node's shared pool.
    assertThat(placed(engine.place(cpuOnly("plain", 3_000, Task.Numa.NONE))).numaNode()).isEqualTo(Assignment.NO_NUMA);
    engine.verifyAccounting();
    OverCommit.check(engine);
  }

  @Test
  void releaseGivesPinnedCpuBack() {
    PlacementEngine engine = engine("bestfit", twoSockets("n", 8_000));
    Assignment first = placed(engine.place(cpuOnly("first", 6_000, Task.Numa.REQUIRED)));
    Assignment second = placed(engine.place(cpuOnly("second", 6_000, Task.Numa.REQUIRED)));
    assertThat(List.of(first.numaNode(), second.numaNode())).containsExactlyInAnyOrder(0, 1);
    assertThat(reasons(engine.place(cpuOnly("third", 3_000, Task.Numa.REQUIRED)))).containsExactly(Map.entry(RejectReason.NUMA, 1));

    engine.release("first");

    assertThat(placed(engine.place(cpuOnly("third", 3_000, Task.Numa.REQUIRED))).numaNode()).isEqualTo(first.numaNode());
    engine.verifyAccounting();
  }

  @Test
  void rollbackGivesPinnedCpuBack() {
    PlacementEngine engine = engine("bestfit", twoSockets("n", 8_000));
    Transaction tx = engine.begin();
    assertThat(placed(engine.place(cpuOnly("a", 8_000, Task.Numa.REQUIRED))).numaNode()).isZero();
    assertThat(placed(engine.place(cpuOnly("b", 8_000, Task.Numa.REQUIRED))).numaNode()).isEqualTo(1);
    tx.rollback();

    assertThat(engine.cluster().assignments()).isEmpty();
    assertThat(placed(engine.place(cpuOnly("c", 8_000, Task.Numa.REQUIRED))).numaNode()).isZero();
    assertThat(placed(engine.place(cpuOnly("d", 8_000, Task.Numa.REQUIRED))).numaNode()).isEqualTo(1);
    engine.verifyAccounting();
  }

  @Test
  void freeGpusOnTwoSocketsRejectARequiredPairButTakeAPreferredOneUnpinned() {
    PlacementEngine engine = engine("bestfit", twoSockets("n", 8_000));
    Task left = gpus("left", 1_000, 1, Task.Numa.NONE);
    Task right = gpus("right", 1_000, 1, Task.Numa.NONE);
    engine.restore(left, on(left, "n", Assignment.NO_NUMA, 0));
    engine.restore(right, on(right, "n", Assignment.NO_NUMA, 2));

    Task required = gpus("required", 1_000, 2, Task.Numa.REQUIRED);
    assertThat(reasons(engine.place(required))).containsExactly(Map.entry(RejectReason.NUMA, 1));
    assertThat(engine.explain(required).nearest().reason()).isEqualTo(RejectReason.NUMA);
    Assignment preferred = placed(engine.place(gpus("preferred", 1_000, 2, Task.Numa.PREFERRED)));

    assertThat(preferred.numaNode()).isEqualTo(Assignment.NO_NUMA);
    assertThat(preferred.slices()).extracting(Slice::device).containsExactly(1, 3);
    OverCommit.check(engine);
  }

  @Test
  void aPreferredTaskGoesWhereItGetsAffinityOverAHigherScoredNodeWhereItCannot() {
    PlacementEngine engine = engine("bestfit", twoSockets("fuller", 8_000), twoSockets("empty", 8_000));
    Task left = gpus("left", 1_000, 1, Task.Numa.NONE);
    Task right = gpus("right", 1_000, 1, Task.Numa.NONE);
    engine.restore(left, on(left, "fuller", Assignment.NO_NUMA, 0));
    engine.restore(right, on(right, "fuller", Assignment.NO_NUMA, 2));
    // Best fit scores the fuller node higher: a pair without affinity goes there.
    Transaction probe = engine.begin();
    assertThat(placed(engine.place(gpus("probe", 1_000, 2, Task.Numa.NONE))).node()).isEqualTo("fuller");
    probe.rollback();

    Assignment a = placed(engine.place(gpus("pair", 1_000, 2, Task.Numa.PREFERRED)));

    assertThat(a.node()).isEqualTo("empty");
    assertThat(a.numaNode()).isNotEqualTo(Assignment.NO_NUMA);
    assertThat(a.slices()).extracting(s -> twoSockets("x", 8_000).numaOf(s.device())).containsOnly(a.numaNode());
  }

  @Test
  void aRequiredTaskOnANodeWithoutALayoutPlacesAsAnyOther() {
    PlacementEngine engine = engine("bestfit", Node.of("flat", 16_000, 65_536, A100, 4));

    Assignment a = placed(engine.place(gpus("t", 1_000, 4, Task.Numa.REQUIRED)));

    assertThat(a.numaNode()).isEqualTo(Assignment.NO_NUMA);
    assertThat(a.slices()).hasSize(4);
  }

  @Test
  void aPolicyThrowingWhileScoringASocketChangesNothing() {
    var policy = new Failing(4);
    PlacementEngine engine = Scheduler.builder().policy(policy).seed(7).nodes(List.of(twoSockets("n", 8_000))).buildEngine();
    Task kept = gpus("kept", 1_000, 1, Task.Numa.REQUIRED);
    assertThat(placed(engine.place(kept)).numaNode()).isZero();
    List<Assignment> before = engine.cluster().assignments();

    // Calls 1 and 2 scored the sockets for "kept"; now socket 0 is scored (3) and socket 1 throws (4).
    assertThatThrownBy(() -> engine.place(gpus("t", 1_000, 1, Task.Numa.REQUIRED))).isInstanceOf(PolicyException.class);

    assertThat(engine.cluster().assignments()).isEqualTo(before);
    engine.verifyAccounting();
    policy.failAt = Integer.MAX_VALUE;
    assertThat(placed(engine.place(gpus("t", 1_000, 1, Task.Numa.REQUIRED))).numaNode()).isZero();
    engine.verifyAccounting();
  }

  @Test
  void aPolicyChoosingADeviceOfAnotherSocketIsRefused() {
    ScoringPolicy outside = new ScoringPolicy() {
      @Override
      public String name() {
        return "outside";
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        choice.add(3, -1);
        return 1;
      }
    };
    PlacementEngine engine = Scheduler.builder().policy(outside).seed(7).nodes(List.of(twoSockets("n", 16_000))).buildEngine();

    // Socket 1 has no CPU: only socket 0 is asked, and device 3 is not on it.
    assertThatThrownBy(() -> engine.place(gpus("t", 1_000, 1, Task.Numa.REQUIRED)))
        .isInstanceOf(PolicyException.class).hasMessageContaining("not on NUMA node 0");
    assertThat(engine.cluster().assignments()).isEmpty();
    engine.verifyAccounting();
  }

  @Test
  void restoreChecksTheNumaNodeAndPinsIt() {
    PlacementEngine engine = engine("bestfit", twoSockets("n", 8_000));
    Task t = gpus("t", 6_000, 1, Task.Numa.REQUIRED);

    assertThatThrownBy(() -> engine.restore(t, on(t, "n", 1, 0)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("must hold the task's device 0");
    assertThatThrownBy(() -> engine.restore(t, on(t, "n", Assignment.NO_NUMA, 0)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("requires NUMA affinity");
    assertThatThrownBy(() -> engine.restore(t, on(t, "n", 2, 0)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("must be a NUMA node of the node");
    assertThat(engine.cluster().assignments()).isEmpty();

    assertThat(engine.restore(t, on(t, "n", 0, 0)).numaNode()).isZero();
    // 6 of socket 0's 8 cores are pinned now: 3 more go to socket 1.
    assertThat(placed(engine.place(cpuOnly("u", 3_000, Task.Numa.REQUIRED))).numaNode()).isEqualTo(1);
    engine.verifyAccounting();
  }

  /** Best-fit-like scores that throw on the {@code failAt}-th call. */
  private static final class Failing implements ScoringPolicy {
    int failAt;
    int calls;

    Failing(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public String name() {
      return "failing";
    }

    @Override
    public boolean dependsOnlyOnNodeState() {
      return false;
    }

    @Override
    public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
      if (++calls == failAt) {
        throw new IllegalStateException("failing on call " + calls);
      }
      selectDevices(task, node, choice);
      return -node.freeCpuMilli();
    }
  }
}
