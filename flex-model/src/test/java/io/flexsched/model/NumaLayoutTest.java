package io.flexsched.model;

import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's NUMA layout and a task's NUMA affinity: what is accepted, what is refused and why. */
class NumaLayoutTest {
  private static final DeviceModel A100 = DeviceModel.whole("nvidia", "A100", 40_960);

  private static Node.Builder fourGpus() {
    return Node.builder("n").cpuMilli(16_000).memoryMiB(1024).devices(A100, 4);
  }

  private static Node.NumaNode socket(long cpu, Integer... devices) {
    return new Node.NumaNode(cpu, List.of(devices));
  }

  @Test
  void aLayoutMapsEveryDeviceToItsNumaNode() {
    Node n = fourGpus().numa(List.of(socket(6_000, 0, 1), socket(10_000, 3, 2))).build();

    assertThat(n.numa()).hasSize(2);
    assertThat(n.numaOf(0)).isZero();
    assertThat(n.numaOf(1)).isZero();
    assertThat(n.numaOf(2)).isEqualTo(1);
    assertThat(n.numaOf(3)).isEqualTo(1);
    assertThat(n.numa().get(1).cpuMilli()).isEqualTo(10_000);
  }

  @Test
  void noLayoutIsTheDefaultAndNamesNoNumaNode() {
    Node n = fourGpus().build();

    assertThat(n.numa()).isEmpty();
    assertThat(n.numaOf(0)).isEqualTo(-1);
    assertThat(n).isEqualTo(new Node("n", 16_000, 1024, n.labels(), n.devices(), null, List.of(), List.of()));
  }

  @Test
  void aNumaNodeMayHoldNoDevices() {
    Node n = Node.builder("cpu").cpuMilli(8_000).memoryMiB(1024).numa(List.of(socket(4_000), socket(4_000))).build();

    assertThat(n.numa()).extracting(Node.NumaNode::devices).containsExactly(List.of(), List.of());
  }

  @Test
  void cpuOfTheNumaNodesMustSumToTheNodes() {
    assertRejected(() -> fourGpus().numa(List.of(socket(8_000, 0, 1), socket(7_000, 2, 3))).build(),
        "node n numa cpuMilli", "15000", "node n numa cpuMilli must sum to the node's cpuMilli 16000, was 15000");
  }

  @Test
  void everyDeviceMustBelongToANumaNode() {
    assertRejected(() -> fourGpus().numa(List.of(socket(8_000, 0, 1), socket(8_000, 2))).build(),
        "node n numa", "device 3 in none", "node n numa must place every device in one NUMA node, was device 3 in none");
  }

  @Test
  void noDeviceMayBelongToTwoNumaNodes() {
    assertRejected(() -> fourGpus().numa(List.of(socket(8_000, 0, 1, 2), socket(8_000, 2, 3))).build(),
        "node n numa[1].devices", "2", "node n numa[1].devices must not repeat a device of numa[0], was 2");
  }

  @Test
  void aDeviceIndexMustBeOneOfTheNodes() {
    assertRejected(() -> fourGpus().numa(List.of(socket(8_000, 0, 1, 2, 3), socket(8_000, 4))).build(),
        "node n numa[1].devices", "4", "node n numa[1].devices must be a device index in 0..3, was 4");
  }

  @Test
  void aNumaNodeRefusesNegativeCpuAndRepeatedDevices() {
    assertRejected(() -> socket(-1, 0), "numa.cpuMilli", "-1", "numa.cpuMilli must be at least 0, was -1");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> socket(1, 0, 0)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("numa.devices");
  }

  @Test
  void withNameKeepsTheLayout() {
    Node n = fourGpus().numa(List.of(socket(8_000, 0, 1), socket(8_000, 2, 3))).build();

    assertThat(n.withName("m").numa()).isEqualTo(n.numa());
    assertThat(n.withName("m").withName("n")).isEqualTo(n);
  }

  @Test
  void nodesDifferingOnlyInLayoutAreNotEqual() {
    Node a = fourGpus().numa(List.of(socket(8_000, 0, 1), socket(8_000, 2, 3))).build();
    Node b = fourGpus().numa(List.of(socket(8_000, 0, 2), socket(8_000, 1, 3))).build();

    assertThat(a).isNotEqualTo(b);
    assertThat(a).isNotEqualTo(fourGpus().build());
  }

  @Test
  void taskAffinityDefaultsToNoneAndSurvivesToBuilder() {
    Task plain = Task.builder("t").cpuMilli(1_000).build();
    Task pinned = Task.builder("t").cpuMilli(1_000).numa(Task.Numa.REQUIRED).build();

    assertThat(plain.numa()).isEqualTo(Task.Numa.NONE);
    assertThat(pinned.toBuilder().build()).isEqualTo(pinned);
    assertThat(pinned).isNotEqualTo(plain);
    assertThat(pinned.toBuilder().numa(Task.Numa.PREFERRED).build().numa()).isEqualTo(Task.Numa.PREFERRED);
  }

  @Test
  void taskAffinityMustNotBeNull() {
    assertRejected(() -> Task.builder("t").numa(null).build(), "task t numa", "null", "task t numa must not be null (use Numa.NONE), was null");
  }

  @Test
  void anAssignmentRecordsItsNumaNodeOrNone() {
    var plain = new Assignment("t", "n", List.of());

    assertThat(plain.numaNode()).isEqualTo(Assignment.NO_NUMA);
    assertThat(new Assignment("t", "n", List.of(), 1)).isNotEqualTo(plain);
    assertRejected(() -> new Assignment("t", "n", List.of(), -2), "assignment t numaNode", "-2",
        "assignment t numaNode must be at least -1, was -2");
  }
}
