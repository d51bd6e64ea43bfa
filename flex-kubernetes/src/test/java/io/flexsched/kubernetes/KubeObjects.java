package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nodes and pods as the tests create them: fabric8 model objects, nothing sent anywhere. */
final class KubeObjects {
  private KubeObjects() {}

  /** A node with {@code gpus} GPUs of GPU Feature Discovery's product name {@code product} (or none). */
  static Node node(String name, String cpu, String memory, int gpus, String product, Map<String, String> labels) {
    var allocatable = new LinkedHashMap<String, Quantity>();
    allocatable.put("cpu", new Quantity(cpu));
    allocatable.put("memory", new Quantity(memory));
    allocatable.put("pods", new Quantity("1000"));
    var allLabels = new HashMap<>(labels);
    if (gpus > 0) {
      allocatable.put("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
      allLabels.put("nvidia.com/gpu.product", product);
    }
    return new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(allLabels).endMetadata()
        .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable).endStatus()
        .build();
  }

  static Node gpuNode(String name, int gpus) {
    return node(name, "32", "128Gi", gpus, "Tesla-T4", Map.of());
  }

  /** A pod of scheduler {@code scheduler} asking {@code resources} (as requests and limits). */
  static Pod pod(String ns, String name, String scheduler, Map<String, String> resources, Map<String, String> annotations) {
    var requests = new LinkedHashMap<String, Quantity>();
    resources.forEach((k, v) -> requests.put(k, new Quantity(v)));
    return new PodBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).withAnnotations(annotations).endMetadata()
        .withNewSpec().withSchedulerName(scheduler).withTerminationGracePeriodSeconds(0L)
          .addNewContainer().withName("main").withImage("busybox")
            .withNewResources().withRequests(requests).withLimits(requests).endResources()
          .endContainer()
        .endSpec().build();
  }

  /**
   * Gives {@code pod} priority {@code value} the way a user does: through a PriorityClass (the API
   * server refuses a bare {@code spec.priority}), created when missing.
   */
  static Pod withPriority(io.fabric8.kubernetes.client.KubernetesClient k, Pod pod, int value) {
    String name = "flex-test-" + value;
    k.scheduling().v1().priorityClasses().resource(new io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder()
        .withNewMetadata().withName(name).endMetadata().withValue(value).build())
        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    pod.getSpec().setPriorityClassName(name);
    return pod;
  }

  static Map<String, String> res(String... kv) {
    var m = new LinkedHashMap<String, String>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
