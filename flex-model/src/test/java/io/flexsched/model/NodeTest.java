package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTest {
  private static final DeviceModel A100 = DeviceModel.whole("nvidia", "A100", 40_960);
  private static final DeviceModel T4 = DeviceModel.fractional("nvidia", "T4", 16_384, 50, 10);

  private static Node node(List<Device> devices, LinkMatrix links) {
    return new Node("n", 1000, 1024, Map.of(), devices, links, List.of(), List.of());
  }

  private static List<Device> devices(int... indices) {
    var list = new ArrayList<Device>();
    for (int i : indices) {
      list.add(new Device(i, A100));
    }
    return list;
  }

  @Test
  void ofBuildsIndexedDevicesOfOneModel() {
    var n = Node.of("n1", 64_000, 256_000, A100, 4);

    assertThat(n.name()).isEqualTo("n1");
    assertThat(n.cpuMilli()).isEqualTo(64_000);
    assertThat(n.memoryMiB()).isEqualTo(256_000);
    assertThat(n.devices()).extracting(Device::index).containsExactly(0, 1, 2, 3);
    assertThat(n.devices()).extracting(Device::model).containsOnly(A100);
    assertThat(n.labels()).isEmpty();
    assertThat(n.links()).isNull();
    assertThat(n.topology()).isEmpty();
  }

  @Test
  void builderSetsEveryFieldAndIndexesDevicesAfterThoseAdded() {
    var n = Node.builder("n1")
        .cpuMilli(8000).memoryMiB(32_768)
        .labels(Map.of("pool", "inference"))
        .devices(A100, 2).devices(T4, 1)
        .links(LinkMatrix.uniform(3, 100))
        .topology(List.of("zone-a", "rack-1"))
        .build();

    assertThat(n.devices()).extracting(Device::index).containsExactly(0, 1, 2);
    assertThat(n.devices()).extracting(Device::model).containsExactly(A100, A100, T4);
    assertThat(n.labels()).containsExactly(Map.entry("pool", "inference"));
    assertThat(n.links()).isEqualTo(LinkMatrix.uniform(3, 100));
    assertThat(n.topology()).containsExactly("zone-a", "rack-1");
  }

  @Test
  void builderDefaultsToNothing() {
    var n = Node.builder("cpu-only").build();

    assertThat(n.cpuMilli()).isZero();
    assertThat(n.memoryMiB()).isZero();
    assertThat(n.devices()).isEmpty();
    assertThat(n.links()).isNull();
  }

  @Test
  void sortsDevicesByIndex() {
    var n = node(devices(2, 0, 3, 1), null);

    assertThat(n.devices()).extracting(Device::index).containsExactly(0, 1, 2, 3);
    assertThat(n).isEqualTo(node(devices(0, 1, 2, 3), null));
  }

  @Test
  void copiesAreImmutable() {
    var labels = new HashMap<>(Map.of("a", "1"));
    var devs = devices(0);
    var path = new ArrayList<>(List.of("zone-a"));
    var n = new Node("n", 0, 0, labels, devs, null, path, List.of(new Node.Taint("gpu", "", "NoSchedule")));
    labels.put("b", "2");
    devs.add(new Device(1, A100));
    path.add("rack-1");

    assertThat(n.labels()).containsOnlyKeys("a");
    assertThat(n.devices()).hasSize(1);
    assertThat(n.topology()).containsExactly("zone-a");
    assertThatThrownBy(() -> n.taints().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> n.devices().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> n.topology().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> n.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void acceptsLinksSizedToTheDeviceCount() {
    var links = LinkMatrix.uniform(2, 100);

    assertThat(node(devices(0, 1), links).links()).isEqualTo(links);
    assertThat(node(devices(), LinkMatrix.uniform(0, 0)).links().size()).isZero();
  }

  @Test
  void acceptsSixtyFourDevices() {
    assertThat(Node.of("big", 0, 0, A100, 64).devices()).hasSize(64);
  }

  @Test
  void withNameKeepsEverythingElse() {
    var n = Node.builder("n1").cpuMilli(1).memoryMiB(2).labels(Map.of("a", "b")).devices(A100, 2)
        .links(LinkMatrix.uniform(2, 50)).topology(List.of("rack-1"))
        .taints(List.of(new Node.Taint("gpu", "true", "NoSchedule"))).build();
    var renamed = n.withName("n2");

    assertThat(renamed.name()).isEqualTo("n2");
    assertThat(renamed).isEqualTo(new Node("n2", 1, 2, n.labels(), n.devices(), n.links(), n.topology(), n.taints()));
    assertThat(n.name()).isEqualTo("n1");
  }

  @Test
  void rejectsABadName() {
    assertRejected(() -> Node.of("node 1", 0, 0, A100, 1),
        "node.name", "'node 1'", "node.name " + NAME_RULE + ", was 'node 1'");
    assertRejected(() -> Node.of(null, 0, 0, A100, 1),
        "node.name", "null", "node.name " + NAME_RULE + ", was null");
  }

  @Test
  void withNameRejectsABadName() {
    var n = Node.of("n1", 0, 0, A100, 1);
    assertRejected(() -> n.withName(""), "node.name", "''", "node.name " + NAME_RULE + ", was ''");
  }

  @Test
  void rejectsNegativeCpu() {
    assertRejected(() -> Node.of("n", -1, 0, A100, 1),
        "node n cpuMilli", "-1", "node n cpuMilli must be at least 0, was -1");
  }

  @Test
  void rejectsNegativeMemory() {
    assertRejected(() -> Node.of("n", 0, -1, A100, 1),
        "node n memoryMiB", "-1", "node n memoryMiB must be at least 0, was -1");
  }

  @Test
  void rejectsNullLabels() {
    assertRejected(() -> Node.builder("n").labels(null).build(),
        "node n labels", "null", "node n labels must not be null, was null");
  }

  @Test
  void rejectsABadLabelKey() {
    assertRejected(() -> Node.builder("n").labels(Map.of("a b", "c")).build(),
        "node n labels key", "'a b'", "node n labels key " + NAME_RULE + ", was 'a b'");
  }

  @Test
  void rejectsANullLabelValue() {
    var labels = new HashMap<String, String>();
    labels.put("pool", null);
    assertRejected(() -> Node.builder("n").labels(labels).build(),
        "node n labels.pool", "null", "node n labels.pool must not be null, was null");
  }

  @Test
  void rejectsNullDevices() {
    assertRejected(() -> node(null, null), "node n devices", "null", "node n devices must not be null, was null");
  }

  @Test
  void rejectsANullDevice() {
    assertRejected(() -> node(Arrays.asList((Device) null), null),
        "node n devices", "[null]", "node n devices must not contain null, was [null]");
  }

  @Test
  void rejectsNullTopology() {
    assertRejected(() -> Node.builder("n").topology(null).build(),
        "node n topology", "null", "node n topology must not be null, was null");
  }

  @Test
  void rejectsANullTopologyDomain() {
    assertRejected(() -> Node.builder("n").topology(Arrays.asList("zone-a", null)).build(),
        "node n topology", "[zone-a, null]", "node n topology must not contain null, was [zone-a, null]");
  }

  @Test
  void rejectsABadTopologyDomain() {
    assertRejected(() -> Node.builder("n").topology(List.of("zone-a", "rack 1")).build(),
        "node n topology", "'rack 1'", "node n topology " + NAME_RULE + ", was 'rack 1'");
  }

  @Test
  void rejectsARepeatedDeviceIndex() {
    assertRejected(() -> node(devices(0, 1, 0), null),
        "node n device index", "0", "node n device index must not repeat, was 0");
  }

  @Test
  void rejectsADeviceIndexAtOrAboveTheDeviceCount() {
    assertRejected(() -> node(devices(0, 2), null),
        "node n device index", "2", "node n device index must be below the device count 2, was 2");
  }

  @Test
  void rejectsMoreThanSixtyFourDevices() {
    assertRejected(() -> Node.of("n", 0, 0, A100, 65),
        "node n devices", "65", "node n devices must be at most 64, was 65");
  }

  @Test
  void rejectsLinksLargerThanTheDeviceCount() {
    assertRejected(() -> node(devices(0, 1), LinkMatrix.uniform(3, 100)),
        "node n links", "3x3", "node n links must be sized to the device count 2, was 3x3");
  }

  @Test
  void rejectsLinksSmallerThanTheDeviceCount() {
    assertRejected(() -> node(devices(0, 1, 2, 3), LinkMatrix.uniform(2, 100)),
        "node n links", "2x2", "node n links must be sized to the device count 4, was 2x2");
  }

  @Test
  void builderRejectsANegativeDeviceCount() {
    assertRejected(() -> Node.builder("n").devices(A100, -1),
        "node n device count", "-1", "node n device count must be at least 0, was -1");
  }

  @Test
  void builderRejectsANullModel() {
    assertRejected(() -> Node.builder("n").devices(null, 1),
        "device 0 model", "null", "device 0 model must not be null, was null");
  }
}
