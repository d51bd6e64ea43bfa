package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Remote (pooled) devices as a user sees them: a task that consents takes another node's devices
 * only when no node can take it whole, only within its host's pool, ranked by the policy's scores
 * less its penalty per topology step; its CPU and memory stay on the host, and release, rollback
 * and node removal give back both nodes' shares. Tests run in assert mode (the build sets
 * {@code flex.assert}), so every change is also checked against a recomputation.
 */
class RemoteDevicesTest {
  private static final DeviceModel A100 = DeviceCatalogue.builtIn().require("A100-40GB");

  private static Node node(String name, int gpus, String zone, String rack) {
    return Node.builder(name).cpuMilli(16_000).memoryMiB(65_536).devices(A100, gpus)
        .labels(Map.of("zone", zone, "rack", rack)).topology(List.of(zone, rack)).build();
  }

  private static Task gpuTask(String id, long cpu, int gpus) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(gpus)).build();
  }

  private static Task remoteTask(String id, long cpu, int gpus, int penalty) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(gpus).remoteOk(penalty)).build();
  }

  private static Task cpuTask(String id, long cpu) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1_024).build();
  }

  private static Assignment placed(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Placed.class);
    return ((Outcome.Placed) o).assignment();
  }

  private static PlacementEngine engine(Scheduler.Builder b, Node... nodes) {
    return b.seed(7).nodes(List.of(nodes)).buildEngine();
  }

  /** Node "gpu" (2 GPUs) with all its CPU taken, node "cpu" without devices: only a pair can serve. */
  private static PlacementEngine strandedPair(Scheduler.Builder b) {
    PlacementEngine e = engine(b, node("gpu", 2, "z1", "r1"), node("cpu", 0, "z1", "r1"));
    fill(e, "filler", "gpu");
    return e;
  }

  /** Takes all of {@code node}'s CPU with a task called {@code id}. */
  private static void fill(PlacementEngine e, String id, String node) {
    Task filler = cpuTask(id, 16_000);
    e.restore(filler, new Assignment(id, node, List.of()));
  }

  @Test
  void aRemoteOkTaskTakesARemoteDeviceOnlyWhenNoLocalOneFits() {
    PlacementEngine e = strandedPair(Scheduler.builder().policy("bestfit"));
    assertThat(e.place(gpuTask("local-only", 4_000, 1))).isInstanceOf(Outcome.Pending.class);

    Assignment a = placed(e.place(remoteTask("pooled", 4_000, 1, 0)));

    assertThat(a.node()).isEqualTo("cpu");
    assertThat(a.deviceNode()).isEqualTo("gpu");
    assertThat(a.remote()).isTrue();
    assertThat(a.numaNode()).isEqualTo(Assignment.NO_NUMA);
    assertThat(a.slices()).hasSize(1);
    assertThat(a.toString()).endsWith(", deviceNode=gpu]");
    NodeView host = e.cluster().node("cpu");
    NodeView devices = e.cluster().node("gpu");
    assertThat(host.freeCpuMilli()).isEqualTo(12_000);
    assertThat(host.freeMemoryMiB()).isEqualTo(65_536 - 1_024);
    assertThat(devices.freeCpuMilli()).isZero();
    assertThat(devices.idleDevices()).isEqualTo(1);
    assertThat(devices.isIdle(a.slices().get(0).device())).isFalse();
    // The task is listed on both nodes it uses: a removal of either must find it.
    assertThat(host.tasks()).extracting(Task::id).containsExactly("pooled");
    assertThat(devices.tasks()).extracting(Task::id).containsExactly("filler", "pooled");
    assertThat(e.cluster().allocatedMilli()).isEqualTo(DeviceModel.WHOLE_MILLI);
  }

  @Test
  void localPlacementWinsWhenItExistsWhateverTheScores() {
    // A policy that scores the device node far above the node that takes the task whole.
    PlacementEngine e = engine(Scheduler.builder().policy(byName(Map.of("gpu", 100.0))),
        node("gpu", 2, "z1", "r1"), node("cpu", 0, "z1", "r1"), node("whole", 1, "z1", "r1"));
    fill(e, "filler", "gpu");

    Assignment a = placed(e.place(remoteTask("t", 4_000, 1, 0)));

    assertThat(a.node()).isEqualTo("whole");
    assertThat(a.remote()).isFalse();
    assertThat(a.toString()).doesNotContain("deviceNode");
    // With "whole" full too, the next one goes remote.
    assertThat(placed(e.place(remoteTask("u", 4_000, 1, 0))).deviceNode()).isEqualTo("gpu");
  }

  @Test
  void devicesComeOnlyFromTheHostsPool() {
    Node gpu = node("gpu", 2, "z2", "r1");
    Node cpu = node("cpu", 0, "z1", "r1");
    Node unlabelled = Node.builder("bare").cpuMilli(16_000).memoryMiB(65_536).devices(A100, 2).build();
    PlacementEngine e = engine(Scheduler.builder().policy("bestfit").remoteDevicePool("zone"), gpu, cpu, unlabelled);
    fill(e, "f1", "gpu");
    fill(e, "f2", "bare");

    // GPUs are free on "gpu" (zone z2) and on "bare" (no zone): neither pools with "cpu" in z1.
    assertThat(e.place(remoteTask("t", 4_000, 1, 0))).isInstanceOf(Outcome.Pending.class);

    e.addNode(node("gpu-z1", 1, "z1", "r2"));
    fill(e, "f3", "gpu-z1");
    Assignment a = placed(e.place(remoteTask("t", 4_000, 1, 0)));
    assertThat(a.node()).isEqualTo("cpu");
    assertThat(a.deviceNode()).isEqualTo("gpu-z1");
  }

  @Test
  void withoutAPoolLevelTheWholeClusterIsOnePool() {
    PlacementEngine e = engine(Scheduler.builder().policy("bestfit"), node("gpu", 1, "z2", "r1"), node("cpu", 0, "z1", "r1"));
    fill(e, "filler", "gpu");
    assertThat(placed(e.place(remoteTask("t", 1_000, 1, 0))).deviceNode()).isEqualTo("gpu");
  }

  /** Host "cpu" in rack r1; device nodes "near" (rack r1) and "far" (rack r2), the policy preferring "far" by 10. */
  private static PlacementEngine nearAndFar() {
    PlacementEngine e = engine(Scheduler.builder().policy(byName(Map.of("far", 10.0))),
        node("near", 1, "z1", "r1"), node("far", 1, "z1", "r2"), node("cpu", 0, "z1", "r1"));
    fill(e, "fill-near", "near");
    fill(e, "fill-far", "far");
    return e;
  }

  @Test
  void thePenaltyRanksRemotePairsByTopologyDistance() {
    // A pair is worth its device score + host score - penalty x (1 + steps): near (same rack, 0
    // steps) is worth -p, far (other rack: 2 steps) 10 - 3p, so far wins exactly when p < 5.
    assertThat(placed(nearAndFar().place(remoteTask("t", 1_000, 1, 0))).deviceNode()).isEqualTo("far");
    assertThat(placed(nearAndFar().place(remoteTask("t", 1_000, 1, 4))).deviceNode()).isEqualTo("far");
    assertThat(placed(nearAndFar().place(remoteTask("t", 1_000, 1, 6))).deviceNode()).isEqualTo("near");
    assertThat(placed(nearAndFar().place(remoteTask("t", 1_000, 1, 1_000))).deviceNode()).isEqualTo("near");
    // Its host is "cpu" whichever device node wins.
    assertThat(placed(nearAndFar().place(remoteTask("t", 1_000, 1, 6))).node()).isEqualTo("cpu");
  }

  @Test
  void releaseGivesBackTheHostsCpuAndTheDeviceNodesDevice() {
    PlacementEngine e = strandedPair(Scheduler.builder().policy("bestfit"));
    placed(e.place(remoteTask("a", 4_000, 2, 0)));
    assertThat(e.cluster().node("gpu").idleDevices()).isZero();

    Assignment released = e.release("a");

    assertThat(released.deviceNode()).isEqualTo("gpu");
    assertThat(e.cluster().node("gpu").idleDevices()).isEqualTo(2);
    assertThat(e.cluster().node("cpu").freeCpuMilli()).isEqualTo(16_000);
    assertThat(e.cluster().node("cpu").tasks()).isEmpty();
    assertThat(e.cluster().node("gpu").tasks()).extracting(Task::id).containsExactly("filler");
    assertThat(e.cluster().allocatedMilli()).isZero();
    e.verifyAccounting();
  }

  @Test
  void aRollbackTakesBackBothNodesShares() {
    PlacementEngine e = strandedPair(Scheduler.builder().policy("bestfit"));
    try (Transaction tx = e.begin()) {
      placed(e.place(remoteTask("a", 4_000, 1, 0)));
      tx.rollback();
    }
    assertThat(e.cluster().assignment("a")).isEmpty();
    assertThat(e.cluster().node("gpu").idleDevices()).isEqualTo(2);
    assertThat(e.cluster().node("cpu").freeCpuMilli()).isEqualTo(16_000);
    e.verifyAccounting();
    // The engine's caches saw both nodes change back: the same request is decided the same way.
    assertThat(placed(e.place(remoteTask("a", 4_000, 2, 0))).deviceNode()).isEqualTo("gpu");
  }

  @Test
  void removingTheDeviceNodeOrTheHostEvictsTheTaskFromBoth() {
    PlacementEngine e = strandedPair(Scheduler.builder().policy("bestfit"));
    placed(e.place(remoteTask("a", 4_000, 1, 0)));

    List<Assignment> evicted = e.removeNode("gpu");

    assertThat(evicted).extracting(Assignment::task).containsExactlyInAnyOrder("filler", "a");
    assertThat(e.cluster().assignment("a")).isEmpty();
    assertThat(e.cluster().node("cpu").freeCpuMilli()).isEqualTo(16_000);
    e.verifyAccounting();

    PlacementEngine f = strandedPair(Scheduler.builder().policy("bestfit"));
    placed(f.place(remoteTask("a", 4_000, 1, 0)));
    try (Transaction tx = f.begin()) {
      assertThat(f.removeNode("cpu")).extracting(Assignment::task).containsExactly("a");
      assertThat(f.cluster().node("gpu").idleDevices()).isEqualTo(2);
      tx.rollback();
    }
    // The removal's rollback puts the node and the remote task back, on both nodes.
    assertThat(f.cluster().assignment("a").orElseThrow().deviceNode()).isEqualTo("gpu");
    assertThat(f.cluster().node("gpu").idleDevices()).isEqualTo(1);
    f.verifyAccounting();
  }

  /** A scheduler whose GPU node's CPU is all taken by preemptible task "low" of priority 0. */
  private static Scheduler lowPriorityOnTheGpuNode() {
    Scheduler s = Scheduler.builder().policy("bestfit").seed(7)
        .nodes(List.of(node("gpu", 2, "z1", "r1"), node("cpu", 0, "z1", "r1"))).build();
    s.restore(cpuTask("low", 16_000), new Assignment("low", "gpu", List.of()));
    return s;
  }

  @Test
  void aSchedulerTakesRemoteDevicesBeforeItPreempts() {
    // Without consent the high-priority task takes the GPU node by evicting "low".
    Outcome local = lowPriorityOnTheGpuNode().place(List.of(gpuTask("local", 4_000, 1).toBuilder().priority(5).build()));
    assertThat(local).isInstanceOf(Outcome.Placed.class);
    assertThat(((Outcome.Placed) local).preemptedIds()).containsExactly("low");

    // With consent it borrows the GPU and nobody is evicted.
    Scheduler s = lowPriorityOnTheGpuNode();
    Outcome pooled = s.place(List.of(remoteTask("pooled", 4_000, 1, 0).toBuilder().priority(5).build()));
    assertThat(pooled).isInstanceOf(Outcome.Placed.class);
    assertThat(((Outcome.Placed) pooled).preemptedIds()).isEmpty();
    assertThat(((Outcome.Placed) pooled).assignment().deviceNode()).isEqualTo("gpu");
    assertThat(s.cluster().assignment("low")).isPresent();
  }

  @Test
  void aFencedNodeLendsNoDevices() {
    PlacementEngine e = strandedPair(Scheduler.builder().policy("bestfit"));
    e.fence("gpu");
    assertThat(e.place(remoteTask("a", 4_000, 1, 0))).isInstanceOf(Outcome.Pending.class);
    e.unfence("gpu");
    assertThat(placed(e.place(remoteTask("a", 4_000, 1, 0))).deviceNode()).isEqualTo("gpu");
  }

  @Test
  void gangMembersStayLocal() {
    PlacementEngine e = strandedPair(Scheduler.builder().policy("bestfit"));
    Task member = remoteTask("m", 4_000, 1, 0).toBuilder().gang(new Gang("g", 1, null, false)).build();
    assertThat(e.place(List.of(member))).isInstanceOf(Outcome.Pending.class);
    assertThat(e.cluster().assignments()).extracting(Assignment::task).containsExactly("filler");
  }

  @Test
  void aRemoteAssignmentIsRestoredOnBothNodes() {
    PlacementEngine e = strandedPair(Scheduler.builder().policy("bestfit"));
    Task t = remoteTask("r", 4_000, 1, 0);
    var where = new Assignment("r", "cpu", List.of(Slice.share(1, 1_000, A100.memoryMiB())), Assignment.NO_NUMA, "gpu");

    assertThat(e.restore(t, where)).isEqualTo(where);

    assertThat(e.cluster().node("gpu").isIdle(1)).isFalse();
    assertThat(e.cluster().node("cpu").freeCpuMilli()).isEqualTo(12_000);
    // A task that does not consent cannot be restored remote, and nothing changes.
    Task local = gpuTask("l", 1_000, 1);
    var elsewhere = new Assignment("l", "cpu", List.of(Slice.share(0, 1_000, A100.memoryMiB())), Assignment.NO_NUMA, "gpu");
    assertThatThrownBy(() -> e.restore(local, elsewhere))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("deviceNode");
    assertThat(e.cluster().node("gpu").isIdle(0)).isTrue();
    assertThat(e.cluster().assignments()).hasSize(2);
  }

  @Test
  void badInputIsRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> AcceleratorRequest.NONE.remoteOk(1))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("remotePenalty");
    assertThatThrownBy(() -> AcceleratorRequest.whole(1).remoteOk(-1))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("remotePenalty").hasMessageContaining("-1");
    assertThatThrownBy(() -> remoteTask("t", 1, 1, 0).toBuilder().numa(Task.Numa.REQUIRED).build())
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("numa");
    assertThatThrownBy(() -> new Assignment("t", "a", List.of(Slice.share(0, 1_000, 1)), 0, "b"))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("numaNode");
    assertThatThrownBy(() -> new Assignment("t", "a", List.of(), Assignment.NO_NUMA, "b"))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("deviceNode");
    assertThatThrownBy(() -> Scheduler.builder().remoteDevicePool(" "))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("remoteDevicePool");
    assertThatThrownBy(() -> Scheduler.builder().remoteDevicePool("zone").remoteDevicePool("rack"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("remoteDevicePool was already set to zone");
    // The old forms still build, local.
    assertThat(new Assignment("t", "a", List.of()).deviceNode()).isEqualTo("a");
    assertThat(new AcceleratorRequest(1, 1_000, 0, java.util.Set.of(), null, 0).remote()).isNull();
    assertThat(AcceleratorRequest.whole(1).remoteOk(3).localOnly()).isEqualTo(AcceleratorRequest.whole(1));
  }

  @Test
  void aFailingPolicyOnTheRemotePathChangesNothing() {
    ScoringPolicy failsOnCpuOnly = new ScoringPolicy() {
      @Override
      public String name() {
        return "fails-on-hosts";
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        if (task.accelerators().count() == 0 && task.cpuMilli() == 4_000) {
          throw new IllegalStateException("boom");
        }
        selectDevices(task, node, choice);
        return 0;
      }
    };
    PlacementEngine e = strandedPair(Scheduler.builder().policy(failsOnCpuOnly));
    assertThatThrownBy(() -> e.place(remoteTask("a", 4_000, 1, 0))).isInstanceOf(PolicyException.class);
    assertThat(e.cluster().assignment("a")).isEmpty();
    assertThat(e.cluster().node("gpu").idleDevices()).isEqualTo(2);
    e.verifyAccounting();
  }

  /** Scores a node by its name ({@code scores}, else 0); devices by the node's rules. */
  private static ScoringPolicy byName(Map<String, Double> scores) {
    return new ScoringPolicy() {
      @Override
      public String name() {
        return "by-name";
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        selectDevices(task, node, choice);
        return scores.getOrDefault(node.spec().name(), 0.0);
      }

      @Override
      public boolean dependsOnlyOnNodeState() {
        return false;
      }
    };
  }
}
