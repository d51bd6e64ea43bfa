package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.gpuNode;
import static io.flexsched.kubernetes.KubeObjects.pod;
import static io.flexsched.kubernetes.KubeObjects.res;
import static io.flexsched.kubernetes.SecondarySchedulerTest.bound;
import static io.flexsched.kubernetes.SecondarySchedulerTest.events;
import static io.flexsched.kubernetes.SecondarySchedulerTest.unschedulable;
import static io.flexsched.kubernetes.SecondarySchedulerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler runs with a token bound to deploy/kubernetes/flex-scheduler.yaml's ClusterRole
 * alone: binding, conditions, events and preemption all work with it, and it grants no more.
 */
@ExtendWith(KubeApiServer.Extension.class)
class LeastPrivilegeTest {
  @Test
  void theSchedulerNeedsNothingBeyondItsClusterRole(KubeApiServer api) throws Exception {
    KubernetesClient admin = api.client();
    try (InputStream in = Files.newInputStream(Path.of("..", "deploy", "kubernetes", "flex-scheduler.yaml"))) {
      List<HasMetadata> objects = admin.load(in).items();
      assertThat(objects).extracting(HasMetadata::getKind).contains("ClusterRole", "ClusterRoleBinding", "ServiceAccount");
      for (HasMetadata o : objects) {
        admin.resource(o).create();
      }
    }
    String ns = api.namespace("rbac");
    admin.nodes().resource(gpuNode(ns + "-n0", 1)).create();
    KubernetesClient limited = api.newClient(KubeApiServer.SCHEDULER_TOKEN);
    try (var scheduler = new KubeScheduler(limited, SchedulerSettings.defaults(ns, "fgd"), new SimpleMeterRegistry())) {
      scheduler.start();
      admin.pods().resource(pod(ns, "low", ns, res("cpu", "1", "nvidia.com/gpu", "1"), Map.of())).create();
      waitFor(Duration.ofSeconds(20), () -> bound(admin.pods().inNamespace(ns).withName("low").get()));
      assertThat(admin.pods().inNamespace(ns).withName("low").get().getMetadata().getAnnotations())
          .containsKey(AssignmentAnnotation.KEY);
      admin.pods().resource(pod(ns, "waits", ns, res("cpu", "1", "nvidia.com/gpu", "1"), Map.of())).create();
      waitFor(Duration.ofSeconds(20), () -> unschedulable(admin.pods().inNamespace(ns).withName("waits").get())
          && !events(admin, ns, "waits").isEmpty());
      admin.pods().resource(KubeObjects.withPriority(admin,
          pod(ns, "high", ns, res("cpu", "1", "nvidia.com/gpu", "1"), Map.of()), 1000)).create();
      waitFor(Duration.ofSeconds(30), () -> bound(admin.pods().inNamespace(ns).withName("high").get()));
      assertThat(admin.pods().inNamespace(ns).withName("low").get()).isNull();
      assertThat(events(admin, ns, "high")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Preempting"));
    }
    // Nothing more: no secrets, no node changes, no pod creation.
    assertThatThrownBy(() -> limited.secrets().inNamespace(ns).list()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("forbidden");
    assertThatThrownBy(() -> limited.nodes().withName(ns + "-n0").delete()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("forbidden");
    assertThatThrownBy(() -> limited.pods().resource(pod(ns, "sneaky", ns, Map.of(), Map.of())).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("forbidden");
  }
}
