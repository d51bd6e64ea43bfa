package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PlacementEngine#explain}: the counts a pending decision reports, and the nearest miss. */
class ExplainTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");
  private static final DeviceModel G2 = DeviceCatalogue.builtIn().require("G2");
  private static final DeviceModel A100 = DeviceCatalogue.builtIn().require("A100-40GB");

  private static PlacementEngine engine(Node... nodes) {
    return Scheduler.builder().policy("bestfit").seed(3).nodes(List.of(nodes)).buildEngine();
  }

  /** The node a single task went to, failing the test when it is pending. */
  private static String nodeOf(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Placed.class);
    return ((Outcome.Placed) o).assignment().node();
  }

  private static Task whole(String id, long cpu, int gpus) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1024).accelerators(AcceleratorRequest.whole(gpus)).build();
  }

  @Test
  void theNodeShortOfTheSmallerFractionIsNearest() {
    // "cpu" has every GPU but lacks a quarter of the CPU; "gpu" has the CPU but one of the two GPUs is taken.
    PlacementEngine e = engine(Node.of("cpu", 12_000, 65_536, T4, 4), Node.of("gpu", 32_000, 65_536, T4, 2));
    assertThat(nodeOf(e.place(whole("filler", 2_000, 1)))).isEqualTo("gpu");
    Task t = whole("t", 16_000, 2);

    Explanation x = e.explain(t);

    assertThat(x.fittingNodes()).isZero();
    assertThat(x.reasons()).isEqualTo(Map.of(RejectReason.INSUFFICIENT_CPU, 1, RejectReason.INSUFFICIENT_DEVICE_SHARE, 1));
    Explanation.NearMiss m = x.nearest();
    assertThat(m.node()).isEqualTo("cpu");
    assertThat(m.reason()).isEqualTo(RejectReason.INSUFFICIENT_CPU);
    assertThat(m.lacks()).isEqualTo(Map.of("cpuMilli", 4_000L));
    assertThat(m.distance()).isEqualTo(0.25);
  }

  @Test
  void aWholeDeviceInUseIsLackedWhole() {
    PlacementEngine e = engine(Node.of("cpu", 4_000, 65_536, T4, 4), Node.of("gpu", 32_000, 65_536, T4, 2));
    e.place(whole("filler", 2_000, 1));

    Explanation.NearMiss m = e.explain(whole("t", 16_000, 2)).nearest();

    // cpu: 12,000 of 16,000 short = 0.75; gpu: one device of two, wholly taken = 0.5.
    assertThat(m.node()).isEqualTo("gpu");
    assertThat(m.reason()).isEqualTo(RejectReason.INSUFFICIENT_DEVICE_SHARE);
    assertThat(m.lacks()).containsExactly(Map.entry("gpus", 1L), Map.entry("gpuMilli", 1_000L));
    assertThat(m.distance()).isEqualTo(0.5);
  }

  @Test
  void aSharedRequestLacksTheMilliAndMemoryOfTheDeviceNearestToHostingIt() {
    PlacementEngine e = engine(Node.of("a", 32_000, 65_536, T4, 2));
    long t4Memory = T4.memoryMiB();
    Task big = Task.builder("big").cpuMilli(1000).memoryMiB(1024)
        .accelerators(AcceleratorRequest.share(1, 700, t4Memory - 1_000)).build();
    Task mid = Task.builder("mid").cpuMilli(1000).memoryMiB(1024)
        .accelerators(AcceleratorRequest.share(1, 900, 2_000)).build();
    assertThat(e.place(big).placed()).isTrue();
    assertThat(e.place(mid).placed()).isTrue();
    // Device free: one has 300 milli and 1,000 MiB, the other 100 milli and t4Memory - 2,000 MiB.
    Task t = Task.builder("t").cpuMilli(1000).memoryMiB(1024)
        .accelerators(AcceleratorRequest.share(1, 500, 1_500)).build();

    Explanation.NearMiss m = e.explain(t).nearest();

    // 300-milli device: lacks 200/500 = 0.4 of milli and 500/1,500 = 0.33 of memory -> 0.4;
    // 100-milli device: lacks 400/500 = 0.8 -> the first is nearest.
    assertThat(m.lacks()).containsExactly(Map.entry("gpus", 1L), Map.entry("gpuMilli", 200L), Map.entry("gpuMemoryMiB", 500L));
    assertThat(m.distance()).isEqualTo(0.4);
  }

  @Test
  void aProfileRequestLacksComputeUnitsAndMemory() {
    PlacementEngine e = engine(Node.of("mig", 32_000, 65_536, A100, 1));
    Profile p4 = A100.profile("4g.20gb").orElseThrow();
    Profile p7 = A100.profile("7g.40gb").orElseThrow();
    Task four = Task.builder("four").cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.profile("4g.20gb")).build();
    assertThat(e.place(four).placed()).isTrue();

    Explanation x = e.explain(Task.builder("t").cpuMilli(1000).memoryMiB(1024)
        .accelerators(AcceleratorRequest.profile("7g.40gb")).build());

    long unitsFree = A100.computeUnits() - p4.computeUnits();
    long memFree = A100.memoryMiB() - p4.memoryMiB();
    assertThat(x.reasons()).isEqualTo(Map.of(RejectReason.INSUFFICIENT_DEVICE_SHARE, 1));
    assertThat(x.nearest().lacks()).containsExactly(Map.entry("gpus", 1L),
        Map.entry("gpuMemoryMiB", p7.memoryMiB() - memFree), Map.entry("computeUnits", p7.computeUnits() - unitsFree));
  }

  @Test
  void aNodeWithoutAnAllowedModelLacksEveryDevice() {
    PlacementEngine e = engine(Node.of("g2", 64_000, 65_536, G2, 8), Node.of("cpu-only", 1_000, 1_024, T4, 0));
    Task t = Task.builder("t").cpuMilli(2_000).memoryMiB(1024)
        .accelerators(AcceleratorRequest.whole(2).onModels(Set.of("T4"))).build();

    Explanation x = e.explain(t);

    assertThat(x.reasons()).isEqualTo(Map.of(RejectReason.MODEL_MISMATCH, 1, RejectReason.INSUFFICIENT_CPU, 1));
    // g2 lacks both devices (distance 1); cpu-only lacks half the CPU and both devices (distance 1.5).
    assertThat(x.nearest().node()).isEqualTo("g2");
    assertThat(x.nearest().lacks()).isEqualTo(Map.of("gpus", 2L));
    assertThat(x.nearest().distance()).isEqualTo(1.0);
  }

  @Test
  void aTaskThatFitsHasNoNearestMissWhenEveryNodeTakesIt() {
    PlacementEngine e = engine(Node.of("a", 32_000, 65_536, T4, 2), Node.of("b", 32_000, 65_536, T4, 2));
    Explanation x = e.explain(whole("t", 1_000, 1));
    assertThat(x.fittingNodes()).isEqualTo(2);
    assertThat(x.reasons()).isEmpty();
    assertThat(x.nearestMiss()).isEmpty();
  }

  /**
   * On random clusters and task streams: explaining changes nothing (a twin engine that never
   * explains makes the same decisions, even with a random policy and per-decision tie-breaking),
   * a pending task's explanation has the decision's counts, its nearest miss and no fitting node,
   * a placed task's has at least one fitting node, and every live node is counted once.
   */
  @ParameterizedTest(name = "{0} {1} seed {2}")
  @CsvSource({"fgd, NODE_ORDER, 11", "random, PER_DECISION, 12", "bestfit, PER_DECISION, 13"})
  void explainingChangesNothingAndAgreesWithTheDecision(String policy, TieBreak tieBreak, long seed) {
    var gen = new RandomClusters(seed);
    List<Node> nodes = gen.nodes(40);
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 3_000; i++) {
      tasks.add(gen.task());
    }
    WorkloadDistribution workload = WorkloadDistribution.typical(tasks, 0.95);
    PlacementEngine explained = Scheduler.builder().policy(policy).seed(seed).tieBreak(tieBreak).workload(workload).nodes(nodes)
        .buildEngine();
    // The twin never explains: nobody asks it to, and its pending outcomes name no nearest miss.
    PlacementEngine plain = Scheduler.builder().policy(policy).seed(seed).tieBreak(tieBreak).workload(workload).nodes(nodes)
        .nearestMiss(false).buildEngine();
    var placed = new ArrayList<String>();
    int pending = 0;
    for (Task t : tasks) {
      if (!placed.isEmpty() && gen.nextInt(100) < 30) {
        String id = placed.remove(gen.nextInt(placed.size()));
        explained.release(id);
        plain.release(id);
      }
      Explanation x = explained.explain(t);
      Outcome mine = explained.place(t);
      Outcome theirs = plain.place(t);
      int counted = x.fittingNodes() + x.reasons().values().stream().mapToInt(Integer::intValue).sum();
      assertThat(counted).as("nodes counted for %s", t.id()).isEqualTo(explained.cluster().nodes().size());
      if (mine instanceof Outcome.Placed p) {
        assertThat(p).as("decision for %s after explaining it", t.id()).isEqualTo(theirs);
        placed.add(t.id());
        assertThat(x.fittingNodes()).as("fitting nodes for placed %s", t.id()).isPositive();
      } else {
        Outcome.Pending p = (Outcome.Pending) mine;
        assertThat(theirs).as("decision for %s after explaining it", t.id()).isInstanceOf(Outcome.Pending.class);
        assertThat(p.reasons()).as("reasons for %s after explaining it", t.id()).isEqualTo(((Outcome.Pending) theirs).reasons());
        // A pending outcome's nearest miss is the explanation's.
        assertThat(p.nearest()).as("nearest miss of pending %s", t.id()).isEqualTo(x.nearest());
        pending++;
        assertThat(x.fittingNodes()).as("fitting nodes for pending %s", t.id()).isZero();
        assertThat(x.reasons()).as("reasons for pending %s", t.id()).isEqualTo(p.reasons());
        assertThat(x.nearest()).as("nearest miss for pending %s", t.id()).isNotNull();
        assertThat(x.nearest().distance()).isBetween(0.0, 3.0);
      }
    }
    assertThat(pending).as("the run exercised pending tasks").isGreaterThan(50);
  }
}
