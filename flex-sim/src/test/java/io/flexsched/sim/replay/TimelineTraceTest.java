package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.sim.TraceFiles;
import io.flexsched.sim.trace.TraceNodes;
import io.flexsched.sim.trace.TracePods;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The time-driven replay on the Alibaba trace's default pod list. With the trace's own times the
 * 6,212-GPU cluster is never loaded above about 1% (its peak concurrent GPU demand is 65.59 GPUs,
 * summed from the pod list's creation and deletion times), so nobody waits. On 1% of the cluster
 * with arrivals five times faster, pods queue, and preemption shortens the LS tail at the cost of
 * the preemptible classes.
 */
class TimelineTraceTest {
  private static final String PODS = "openb_pod_list_default.csv";

  private static List<TimedTask> pods() {
    Path file = TraceFiles.file(PODS);
    return TimedTask.fromTrace(TracePods.load(file), file);
  }

  private static List<Node> nodes() {
    return TraceNodes.load(TraceFiles.file("openb_node_list_gpu_node.csv"));
  }

  private static void print(TimelineResult r) {
    for (QosDelays q : r.classes()) {
      System.out.printf("%s %s %s: %s%n", r.policy(), r.preemption(), q.qos(), q);
    }
    System.out.printf("%s %s: %s, %d preemptions, mean allocation %.2f%% while arriving, peak %.2f%%, %.1f s%n",
        r.policy(), r.preemption(), r.all(), r.preemptions(), 100 * r.meanAllocationWhileArriving(),
        100 * r.peakAllocation(), r.nanos() / 1e9);
  }

  @Test
  void withTheTracesOwnTimesEveryPodStartsOnArrival() {
    TimelineResult r = TimeReplay.run("default", nodes(), pods(), TimeReplay.Settings.of("fgd"));
    print(r);
    assertThat(r.all()).isEqualTo(new QosDelays("all", 8152, 8152, 0, 0, 0, 0, 0, 0, 0));
    assertThat(r.classes()).extracting(QosDelays::qos, QosDelays::tasks).containsExactly(
        org.assertj.core.groups.Tuple.tuple("LS", 4647), org.assertj.core.groups.Tuple.tuple("Guaranteed", 7),
        org.assertj.core.groups.Tuple.tuple("Burstable", 100), org.assertj.core.groups.Tuple.tuple("BE", 3398));
    assertThat(r.preemptions()).isZero();
    // Everyone runs at once, so the peak is the trace's peak concurrent demand: 65,590 of 6,212,000 milli.
    assertThat(r.peakAllocation()).isEqualTo(65_590 / 6_212_000.0);
    assertThat(r.horizon()).isEqualTo(12_902_960);
  }

  @Test
  void onAHundredthOfTheClusterPreemptionShortensTheLsTail() {
    List<Node> small = TimeReplay.scaled(nodes(), 0.01);
    assertThat(small).hasSize(17);
    var settings = new TimeReplay.Settings("bestfit", "greedy", 42, 5, false, 10);
    TimelineResult greedy = TimeReplay.run("default", small, pods(), settings);
    TimelineResult none = TimeReplay.run("default", small, pods(),
        new TimeReplay.Settings("bestfit", TimeReplay.NO_PREEMPTION, 42, 5, false, 10));
    print(greedy);
    print(none);
    for (TimelineResult r : List.of(greedy, none)) {
      assertThat(r.all().tasks()).isEqualTo(8152);
      assertThat(r.classes().stream().mapToInt(QosDelays::tasks).sum()).isEqualTo(8152);
      assertThat(r.all().started() + 0L).isLessThanOrEqualTo(8152);
      assertThat(r.peakAllocation()).isBetween(0.5, 1.0);
      assertThat(r.all().p99()).as("pods queue on a hundredth of the cluster").isPositive();
    }
    QosDelays ls = greedy.classes().get(0);
    QosDelays lsWithout = none.classes().get(0);
    assertThat(ls.qos()).isEqualTo("LS");
    // LS and Guaranteed pods are never victims; BE and Burstable are.
    assertThat(greedy.classes()).filteredOn(q -> q.qos().equals("LS") || q.qos().equals("Guaranteed"))
        .allSatisfy(q -> assertThat(q.preempted()).isZero());
    assertThat(greedy.classes()).filteredOn(q -> q.qos().equals("BE") || q.qos().equals("Burstable"))
        .allSatisfy(q -> assertThat(q.preempted()).isPositive());
    assertThat(none.preemptions()).isZero();
    assertThat(ls.p99()).as("LS p99 with preemption vs without").isLessThan(lsWithout.p99());
  }

  @Test
  void aPodListWithoutTimesIsRefused() {
    Path multigpu = TraceFiles.file("openb_pod_list_multigpu20.csv");
    assertThatThrownBy(() -> TimedTask.fromTrace(TracePods.load(multigpu), multigpu))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("must have creation_time and deletion_time for pod openb-pod-");
  }
}
