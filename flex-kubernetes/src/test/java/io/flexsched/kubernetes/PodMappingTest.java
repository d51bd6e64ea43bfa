package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.pod;
import static io.flexsched.kubernetes.KubeObjects.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodMappingTest {
  private final PodMapping mapping = new PodMapping(Scheduler.catalogue());

  private Task map(Map<String, String> resources, Map<String, String> annotations) {
    return mapping.map(pod("ns", "p", "flex", resources, annotations));
  }

  @Test
  void wholeGpusCpuAndMemory() {
    Task t = map(res("cpu", "1500m", "memory", "3Gi", "nvidia.com/gpu", "2"), Map.of());
    assertThat(t.id()).isEqualTo("ns/p");
    assertThat(t.cpuMilli()).isEqualTo(1500);
    assertThat(t.memoryMiB()).isEqualTo(3072);
    assertThat(t.accelerators()).isEqualTo(AcceleratorRequest.whole(2));
    assertThat(t.priority()).isZero();
    assertThat(t.preemptible()).isTrue();
    assertThat(t.gang()).isNull();
  }

  @Test
  void hamiVolcanoAndFlexAiSharesBecomeMilliAndMemory() {
    assertThat(map(res("nvidia.com/gpu", "1", "nvidia.com/gpucores", "30", "nvidia.com/gpumem", "4096"), Map.of()).accelerators())
        .isEqualTo(AcceleratorRequest.share(1, 300, 4096));
    assertThat(map(res("volcano.sh/vgpu-number", "2", "volcano.sh/vgpu-cores", "50", "volcano.sh/vgpu-memory", "1024"), Map.of())
        .accelerators()).isEqualTo(AcceleratorRequest.share(2, 500, 1024));
    assertThat(map(res("huawei.com/vgpu-number", "1", "huawei.com/vgpu-cores", "25", "huawei.com/vgpu-memory.1Gi", "3"), Map.of())
        .accelerators()).isEqualTo(AcceleratorRequest.share(1, 250, 3072));
  }

  @Test
  void aShareWithoutComputeTakesTheWholeComputeSoNothingIsOverCommitted() {
    assertThat(map(res("nvidia.com/gpu", "1", "nvidia.com/gpumem", "2048"), Map.of()).accelerators())
        .isEqualTo(AcceleratorRequest.share(1, 1000, 2048));
  }

  @Test
  void migProfileAndAscend() {
    AcceleratorRequest mig = map(res("nvidia.com/mig-1g.5gb", "1"), Map.of()).accelerators();
    assertThat(mig.profile()).isEqualTo("1g.5gb");
    assertThat(mig.models()).containsExactly("A100-40GB");
    AcceleratorRequest npu = map(res("huawei.com/Ascend910", "4"), Map.of()).accelerators();
    assertThat(npu.count()).isEqualTo(4);
    assertThat(npu.models()).containsExactly("Ascend910");
  }

  @Test
  void allowedModelsFromHamiTypesOrFlexNames() {
    assertThat(map(res("nvidia.com/gpu", "1"), Map.of("nvidia.com/use-gputype", "A100,V100")).accelerators().models())
        .containsExactlyInAnyOrder("A100-40GB", "A100-80GB", "V100M16", "V100M32");
    assertThat(map(res("nvidia.com/gpu", "1"), Map.of("flexsched.io/models", "T4")).accelerators().models()).containsExactly("T4");
  }

  @Test
  void priorityPreemptibleQueueAndGang() {
    Pod p = pod("ns", "w0", "flex", res("nvidia.com/gpu", "1"), Map.of("flexsched.io/preemptible", "false",
        "flexsched.io/queue", "research", "flexsched.io/gang", "train", "flexsched.io/gang-size", "4",
        "flexsched.io/gang-topology", "rack", "flexsched.io/gang-required", "true"));
    p.getSpec().setPriority(100);
    Task t = mapping.map(p);
    assertThat(t.priority()).isEqualTo(100);
    assertThat(t.preemptible()).isFalse();
    assertThat(t.queue()).isEqualTo("research");
    assertThat(t.gang()).isEqualTo(new Gang("ns/train", 4, "rack", true));
  }

  @Test
  void effectiveRequestIsTheLargerOfInitAndSumOfContainersPlusOverhead() {
    Pod p = pod("ns", "p", "flex", res("cpu", "1", "memory", "1Gi"), Map.of());
    p.getSpec().getContainers().add(new ContainerBuilder().withName("side").withNewResources()
        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("256Mi"))).endResources().build());
    p.getSpec().getInitContainers().add(new ContainerBuilder().withName("init").withNewResources()
        .withRequests(Map.of("cpu", new Quantity("2"), "memory", new Quantity("512Mi"))).endResources().build());
    p.getSpec().setOverhead(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi")));
    Task t = mapping.map(p);
    assertThat(t.cpuMilli()).isEqualTo(2100);
    assertThat(t.memoryMiB()).isEqualTo(1280 + 64);
  }

  @Test
  void malformedRequestsNameTheFieldAndTheValue() {
    assertMalformed(res("nvidia.com/gpu", "1", "nvidia.com/gpucores", "150"), Map.of(), "nvidia.com/gpucores", "150");
    assertMalformed(res("nvidia.com/gpu", "0", "nvidia.com/gpucores", "50"), Map.of(), "nvidia.com/gpu", "0");
    assertMalformed(res("nvidia.com/mig-9g.99gb", "1"), Map.of(), "nvidia.com/mig-9g.99gb", "9g.99gb");
    assertMalformed(res("huawei.com/vgpu-number", "1", "huawei.com/vgpu-cores", "12"), Map.of(), "huawei.com/vgpu-cores", "12");
    assertMalformed(res("nvidia.com/gpu", "1"), Map.of("flexsched.io/models", "Z9"), "flexsched.io/models", "Z9");
    assertMalformed(res("nvidia.com/gpu", "1"), Map.of("flexsched.io/gang", "g"), "flexsched.io/gang-size", "absent");
    assertMalformed(res("memory", "-1Gi"), Map.of(), "memory", "-1Gi");
  }

  private void assertMalformed(Map<String, String> resources, Map<String, String> annotations, String field, String value) {
    assertThatThrownBy(() -> map(resources, annotations))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining(field)
        .hasMessageContaining(value);
  }

  @Test
  void aHamiMemoryPercentageIsSizedByThePodsModelsWhenTheyShareOneMemorySize() {
    long t4 = Scheduler.catalogue().require("T4").memoryMiB();
    assertThat(map(res("nvidia.com/gpu", "1", "nvidia.com/gpucores", "30", "nvidia.com/gpumem-percentage", "25"),
        Map.of("flexsched.io/models", "T4")).accelerators())
        .isEqualTo(AcceleratorRequest.share(1, 300, (t4 * 25 + 99) / 100).onModels(Set.of("T4")));
    // MiB, when given too, wins: it is what the device plugin enforces.
    assertThat(map(res("nvidia.com/gpu", "1", "nvidia.com/gpumem", "1000", "nvidia.com/gpumem-percentage", "25"),
        Map.of("flexsched.io/models", "T4")).accelerators().memoryMiBPerDevice()).isEqualTo(1000);
    assertMalformed(res("nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "25"), Map.of(),
        "nvidia.com/gpumem-percentage", "25");
    assertMalformed(res("nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "25"), Map.of("nvidia.com/use-gputype", "A100"),
        "nvidia.com/gpumem-percentage", "one memory size");
    assertMalformed(res("nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "130"), Map.of("flexsched.io/models", "T4"),
        "nvidia.com/gpumem-percentage", "130");
  }

  @Test
  void aRequestOfNoAcceleratorIsCpuOnly() {
    assertThat(map(res("cpu", "2"), Map.of()).accelerators()).isEqualTo(AcceleratorRequest.NONE);
    assertThat(map(res("cpu", "2"), Map.of()).accelerators().models()).isEqualTo(Set.of());
  }

  @Test
  void nodeSelectorAndTolerationsAsKubernetesMatchesThem() {
    Pod p = pod("ns", "p", "flex", res("nvidia.com/gpu", "1"), Map.of());
    p.getSpec().setNodeSelector(Map.of("pool", "train"));
    p.getSpec().setTolerations(java.util.List.of(
        new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build(),
        new TolerationBuilder().withKey("dedicated").withValue("ml").build(),
        new TolerationBuilder().withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(30L).build()));
    Task t = mapping.map(p);

    assertThat(t.nodeSelector()).isEqualTo(Map.of("pool", "train"));
    assertThat(t.tolerations()).containsExactly(new Task.Toleration("nvidia.com/gpu", null, "NoSchedule"),
        new Task.Toleration("dedicated", "ml", null), new Task.Toleration(null, null, "NoExecute"));
    assertThat(t.tolerations().get(1).tolerates(new io.flexsched.model.Node.Taint("dedicated", "ml", "NoExecute"))).isTrue();
    assertThat(t.tolerations().get(1).tolerates(new io.flexsched.model.Node.Taint("dedicated", "web", "NoSchedule"))).isFalse();

    p.getSpec().setTolerations(java.util.List.of(new TolerationBuilder().withKey("k").withOperator("Lt").build()));
    assertThatThrownBy(() -> mapping.map(p)).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("spec.tolerations operator").hasMessageContaining("'Lt'");
  }
}
