package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.sim.trace.TracePod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The time-driven replay on inputs small enough to follow by hand: one NPU, a CPU-only LS task
 * that keeps the clock running to t=100, and three NPU tasks; every delay below is worked out in
 * the comments.
 */
class TimeReplayTest {
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");
  private static final List<Node> ONE_NPU = List.of(Node.of("n1", 32_000, 65_536, NPU, 1));

  private static TimedTask timed(String id, QosClass qos, int npus, long arrival, long duration) {
    Task t = Task.builder(id).cpuMilli(1_000).memoryMiB(1_024)
        .accelerators(npus == 0 ? AcceleratorRequest.NONE : AcceleratorRequest.whole(npus))
        .priority(qos.priority()).preemptible(qos.preemptible()).build();
    return new TimedTask(t, qos, arrival, duration);
  }

  /** clock (LS, no NPU, 0..100), a (BE, 0, runs 10), b (LS, arrives 5, runs 10), c (BE, arrives 6, runs 1). */
  private static List<TimedTask> abc() {
    return List.of(
        timed("clock", QosClass.LS, 0, 0, 100),
        timed("a", QosClass.BE, 1, 0, 10),
        timed("b", QosClass.LS, 1, 5, 10),
        timed("c", QosClass.BE, 1, 6, 1));
  }

  private static TimeReplay.Settings settings(String preemption) {
    return new TimeReplay.Settings("bestfit", preemption, 42, 1, false, 10);
  }

  @Test
  void withPreemptionTheLsTaskStartsOnArrivalAndTheVictimRunsAgainLater() {
    // t=0 a starts. t=5 b evicts a (delay 0). t=6 c waits. t=15 b ends: a (earlier) restarts
    // (its first start was 0, so its delay stays 0); t=25 a ends: c starts (delay 19); t=26 c ends.
    TimelineResult r = TimeReplay.run("abc", ONE_NPU, abc(), settings("greedy"));

    assertThat(r.classes()).containsExactly(
        new QosDelays("LS", 2, 2, 0, 0, 0, 0, 0, 0, 0),
        new QosDelays("BE", 2, 2, 0, 19, 19, 1, 0, 1, 0));
    assertThat(r.all()).isEqualTo(new QosDelays("all", 4, 4, 0, 19, 19, 1, 0, 1, 0));
    assertThat(r.preemptions()).isEqualTo(1);
    assertThat(r.horizon()).isEqualTo(100);
    assertThat(r.times()).containsExactly(0, 5, 6, 10, 15, 25, 26, 100);
    assertThat(r.allocatedMilli()).containsExactly(1000, 1000, 1000, 1000, 1000, 1000, 0, 0);
    assertThat(r.meanAllocation()).isCloseTo(0.26, within(1e-12));
    // Arrivals span 0..6, during which the NPU is always taken.
    assertThat(r.meanAllocationWhileArriving()).isEqualTo(1.0);
    assertThat(r.meanAllocation(20, 30)).isCloseTo(0.6, within(1e-12));
    assertThat(r.peakAllocation()).isEqualTo(1.0);
  }

  @Test
  void withoutPreemptionTheLsTaskWaitsForTheBeTaskToEnd() {
    // t=0 a starts. t=5 b waits, t=6 c waits. t=10 a ends: b (priority) starts, delay 5.
    // t=20 b ends: c starts, delay 14; t=21 c ends.
    TimelineResult r = TimeReplay.run("abc", ONE_NPU, abc(), settings(TimeReplay.NO_PREEMPTION));

    assertThat(r.classes()).containsExactly(
        new QosDelays("LS", 2, 2, 0, 5, 5, 0, 0, 0, 0),
        new QosDelays("BE", 2, 2, 0, 14, 14, 0, 0, 0, 0));
    assertThat(r.preemptions()).isZero();
    assertThat(r.times()).containsExactly(0, 5, 6, 10, 20, 21, 100);
    assertThat(r.meanAllocation()).isCloseTo(0.21, within(1e-12));
  }

  @Test
  void compressedArrivalsQueueAndWhatDoesNotEndByTheHorizonIsUnfinished() {
    List<TimedTask> xy = List.of(timed("x", QosClass.BE, 1, 0, 10), timed("y", QosClass.BE, 1, 10, 10));
    // Own times: y arrives as x leaves (departures go first): no delay; y ends at the horizon 20.
    TimelineResult own = TimeReplay.run("xy", ONE_NPU, xy, settings("greedy"));
    assertThat(own.all()).isEqualTo(new QosDelays("all", 2, 2, 0, 0, 0, 0, 0, 0, 0));
    // Compressed 2x: y arrives at 5, starts at 10 (delay 5) and would end at 20, past the horizon 15.
    TimelineResult fast = TimeReplay.run("xy", ONE_NPU, xy, new TimeReplay.Settings("bestfit", "greedy", 42, 2, false, 10));
    assertThat(fast.horizon()).isEqualTo(15);
    assertThat(fast.all()).isEqualTo(new QosDelays("all", 2, 2, 0, 5, 5, 0, 0, 0, 1));
  }

  @Test
  void aTaskThatNeverStartsHasNoDelayButIsUnfinished() {
    List<TimedTask> tasks = List.of(timed("huge", QosClass.LS, 2, 0, 5), timed("ok", QosClass.BE, 1, 0, 5));
    TimelineResult r = TimeReplay.run("never", ONE_NPU, tasks, settings("greedy"));
    assertThat(r.classes()).containsExactly(
        new QosDelays("LS", 1, 0, -1, -1, -1, 0, 0, 0, 1),
        new QosDelays("BE", 1, 1, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void nearestRankPercentiles() {
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = i + 1;
    }
    assertThat(QosDelays.percentile(hundred, 50)).isEqualTo(50);
    assertThat(QosDelays.percentile(hundred, 99)).isEqualTo(99);
    assertThat(QosDelays.percentile(new long[] {7}, 99)).isEqualTo(7);
    assertThat(QosDelays.percentile(new long[0], 50)).isEqualTo(-1);
  }

  @Test
  void qosClassesMapToPrioritiesAndPreemptibility() {
    assertThat(QosClass.of("LS").priority()).isEqualTo(QosClass.of("guaranteed").priority()).isEqualTo(2);
    assertThat(QosClass.of("LS").preemptible()).isFalse();
    assertThat(QosClass.of("Guaranteed").preemptible()).isFalse();
    assertThat(QosClass.of("Burstable").priority()).isEqualTo(1);
    assertThat(QosClass.of("Burstable").preemptible()).isTrue();
    assertThat(QosClass.of("BE").priority()).isZero();
    assertThat(QosClass.of("BE").preemptible()).isTrue();
    assertThatThrownBy(() -> QosClass.of("Gold")).isInstanceOf(InvalidSpecException.class)
        .hasMessage("qos must be one of LS, Guaranteed, Burstable, BE, was 'Gold'");
  }

  @Test
  void podsWithoutTimesAreRefusedNamingTheFileAndThePod() {
    var multigpu = new TracePod("p1", 1000, 1024, 1, 1000, Set.of(), "", "", -1, -1, -1);
    assertThatThrownBy(() -> TimedTask.fromTrace(List.of(multigpu), Path.of("multigpu20.csv")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("--pods must have creation_time and deletion_time for pod p1 (the time-driven replay needs them; "
            + "the multigpu pod lists have only their first five columns), was multigpu20.csv");
    var backwards = new TracePod("p2", 1000, 1024, 1, 1000, Set.of(), "BE", "Running", 50, 40, 50);
    assertThatThrownBy(() -> TimedTask.fromTrace(List.of(backwards), Path.of("pods.csv")))
        .hasMessageContaining("must not delete pod p2 (at 40) before creating it (at 50)");
    var gold = new TracePod("p3", 1000, 1024, 1, 1000, Set.of(), "Gold", "Running", 0, 40, 0);
    assertThatThrownBy(() -> TimedTask.fromTrace(List.of(gold), Path.of("pods.csv")))
        .hasMessageContaining("must give pod p3 a known qos");
  }

  @Test
  void podsBecomeTasksOfTheirClass() {
    var be = new TracePod("p", 2000, 4096, 1, 500, Set.of("T4"), "BE", "Running", 30, 90, 30);
    TimedTask t = TimedTask.fromTrace(List.of(be), Path.of("pods.csv")).get(0);
    assertThat(t.arrival()).isEqualTo(30);
    assertThat(t.duration()).isEqualTo(60);
    assertThat(t.qos()).isEqualTo(QosClass.BE);
    assertThat(t.task().priority()).isZero();
    assertThat(t.task().preemptible()).isTrue();
    assertThat(t.task().accelerators().milliPerDevice()).isEqualTo(500);
  }

  @Test
  void aScaledClusterKeepsEveryModelAndSpreadsItsPicks() {
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < 10; i++) {
      nodes.add(Node.of("t4-" + i, 8000, 8192, DeviceCatalogue.builtIn().require("T4"), 2));
    }
    for (int i = 0; i < 3; i++) {
      nodes.add(Node.of("a10-" + i, 8000, 8192, DeviceCatalogue.builtIn().require("A10"), 1));
    }
    nodes.add(Node.builder("cpu-0").cpuMilli(8000).memoryMiB(8192).build());
    // A quarter: T4 ⌈2.5⌉ = 3 (every fourth), A10 ⌈0.75⌉ = 1, CPU-only ⌈0.25⌉ = 1.
    assertThat(TimeReplay.scaled(nodes, 0.25)).extracting(Node::name)
        .containsExactly("t4-0", "t4-4", "t4-8", "a10-0", "cpu-0");
    assertThat(TimeReplay.scaled(nodes, 1)).isEqualTo(nodes);
    assertThatThrownBy(() -> TimeReplay.scaled(nodes, 0)).hasMessage("--cluster-scale must be in (0, 1], was 0.0");
  }
}
