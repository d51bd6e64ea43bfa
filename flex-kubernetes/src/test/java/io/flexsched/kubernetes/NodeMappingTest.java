package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.flexsched.core.Scheduler;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMappingTest {
  private final DeviceCatalogue catalogue = Scheduler.catalogue();
  private final NodeMapping mapping = new NodeMapping(catalogue, new GpuProducts(catalogue, Map.of("Custom-T4", "T4")),
      NodeMapping.defaultTopology());

  @Test
  void allocatableAndGpuFeatureDiscoveryProductsMapToCatalogueModels() {
    Node n = mapping.map(node("n1", "7500m", "64Gi", 4, "NVIDIA-A100-SXM4-40GB", Map.of())).node();
    assertThat(n.cpuMilli()).isEqualTo(7500);
    assertThat(n.memoryMiB()).isEqualTo(65536);
    assertThat(n.devices()).hasSize(4).allSatisfy(d -> assertThat(d.model().name()).isEqualTo("A100-40GB"));
    assertThat(model("Tesla-T4")).isEqualTo("T4");
    assertThat(model("Tesla-V100-SXM2-32GB")).isEqualTo("V100M32");
    assertThat(model("Tesla-V100-SXM2-16GB")).isEqualTo("V100M16");
    assertThat(model("NVIDIA-A100-80GB-PCIe")).isEqualTo("A100-80GB");
    assertThat(model("NVIDIA-A10")).isEqualTo("A10");
    assertThat(model("Custom-T4")).isEqualTo("T4");
  }

  private String model(String product) {
    return mapping.map(node("n", "8", "8Gi", 1, product, Map.of())).node().devices().get(0).model().name();
  }

  @Test
  void anUnknownProductBecomesAFractionalModelSizedByItsMemoryLabel() {
    Node n = mapping.map(node("n", "8", "8Gi", 2, "Acme-X1", Map.of("nvidia.com/gpu.memory", "24576"))).node();
    assertThat(n.devices().get(0).model().name()).isEqualTo("Acme-X1");
    assertThat(n.devices().get(0).model().memoryMiB()).isEqualTo(24576);
    assertThatThrownBy(() -> mapping.map(node("n", "8", "8Gi", 2, "Acme-X1", Map.of())))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("nvidia.com/gpu.memory").hasMessageContaining("Acme-X1");
  }

  @Test
  void ascendTopologyLinksAndFencing() {
    var k8s = node("npu", "16", "32Gi", 0, "", Map.of("topology.kubernetes.io/zone", "z1", "flexsched.io/rack", "r7"));
    k8s.getStatus().getAllocatable().put("huawei.com/Ascend910", new Quantity("8"));
    Node n = mapping.map(k8s).node();
    assertThat(n.devices()).hasSize(8).allSatisfy(d -> assertThat(d.model().name()).isEqualTo("Ascend910"));
    assertThat(n.topology()).containsExactly("z1", "r7");
    assertThat(n.labels()).containsEntry("rack", "r7").containsEntry("zone", "z1");

    var linked = node("l", "8", "8Gi", 2, "Tesla-T4", Map.of());
    linked.getMetadata().setAnnotations(Map.of("flexsched.io/links", "[[0,3],[3,0]]"));
    assertThat(mapping.map(linked).node().links().score(0, 1)).isEqualTo(3);
    linked.getMetadata().setAnnotations(Map.of("flexsched.io/links", "[[0,3]]"));
    assertThatThrownBy(() -> mapping.map(linked)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("flexsched.io/links");

    var cordoned = node("c", "8", "8Gi", 0, "", Map.of());
    assertThat(mapping.map(cordoned).fenced()).isFalse();
    cordoned.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
    cordoned.getSpec().setUnschedulable(true);
    assertThat(mapping.map(cordoned).fenced()).isTrue();
    cordoned.getSpec().setUnschedulable(false);
    // A taint is no fence: pods that tolerate it still go there.
    cordoned.getSpec().setTaints(List.of(new TaintBuilder().withKey("k").withEffect("NoSchedule").build(),
        new TaintBuilder().withKey("spot").withValue("yes").withEffect("NoExecute").build(),
        new TaintBuilder().withKey("soft").withEffect("PreferNoSchedule").build()));
    assertThat(mapping.map(cordoned).fenced()).isFalse();
    assertThat(mapping.map(cordoned).node().taints()).containsExactly(
        new io.flexsched.model.Node.Taint("k", "", "NoSchedule"), new io.flexsched.model.Node.Taint("spot", "yes", "NoExecute"));
  }

  @Test
  void aNodeKeepsItsOwnLabelsBesideItsTopologyLevels() {
    var labelled = node("l", "8", "8Gi", 0, "", Map.of("pool", "train", "topology.kubernetes.io/zone", "z1"));
    var n = mapping.map(labelled).node();
    assertThat(n.labels()).containsEntry("pool", "train").containsEntry("topology.kubernetes.io/zone", "z1")
        .containsEntry("zone", "z1");
  }
}
