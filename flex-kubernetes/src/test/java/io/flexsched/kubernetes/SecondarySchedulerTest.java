package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.gpuNode;
import static io.flexsched.kubernetes.KubeObjects.pod;
import static io.flexsched.kubernetes.KubeObjects.res;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flexsched.model.Assignment;
import io.flexsched.model.Slice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The secondary scheduler against a real kube-apiserver v1.20.2 + etcd. */
@ExtendWith(KubeApiServer.Extension.class)
class SecondarySchedulerTest {
  private KubeScheduler scheduler;
  private KubeApiServer api;

  private KubeScheduler start(KubeApiServer api, String name) {
    this.api = api;
    scheduler = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(name, "fgd"), new SimpleMeterRegistry());
    scheduler.start();
    return scheduler;
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    // Nodes are cluster-wide: each test sees only its own.
    if (api != null) {
      api.client().nodes().delete();
    }
  }

  @Test
  void wholeAndFractionalPodsAreBoundWithAnAssignmentThatAgreesWithTheirNode(KubeApiServer api) {
    KubernetesClient k = api.client();
    String ns = api.namespace("mixed");
    for (int i = 0; i < 4; i++) {
      k.nodes().resource(gpuNode(ns + "-n" + i, 2)).create();
    }
    for (int i = 0; i < 8; i++) {
      k.pods().resource(pod(ns, "whole-" + i, ns, res("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1"), Map.of())).create();
    }
    start(api, ns);
    waitFor(Duration.ofSeconds(30), () -> k.pods().inNamespace(ns).list().getItems().stream().filter(p -> bound(p)).count() == 8);
    for (int i = 0; i < 4; i++) {
      k.pods().resource(pod(ns, "share-" + i, ns, res("cpu", "500m", "memory", "512Mi", "nvidia.com/gpu", "1",
          "nvidia.com/gpucores", "30", "nvidia.com/gpumem", "2048"), Map.of())).create();
    }
    List<Pod> pods = k.pods().inNamespace(ns).list().getItems();
    assertThat(pods.stream().filter(SecondarySchedulerTest::bound)).hasSize(8);
    assertNoOverCommit(pods, 2);
    for (Pod p : pods.stream().filter(SecondarySchedulerTest::bound).toList()) {
      Assignment a = AssignmentAnnotation.read(PodMapping.id(p), p.getMetadata().getAnnotations().get(AssignmentAnnotation.KEY));
      assertThat(a.node()).isEqualTo(p.getSpec().getNodeName());
      assertThat(a.slices()).hasSize(1);
    }
    // 8 whole GPUs fill the 4 nodes: the shares wait, with the reason on the pod.
    waitFor(Duration.ofSeconds(10), () -> !events(k, ns, "share-0").isEmpty());
    Pod share = k.pods().inNamespace(ns).withName("share-0").get();
    waitFor(Duration.ofSeconds(10), () -> unschedulable(k.pods().inNamespace(ns).withName("share-0").get()));
    assertThat(events(k, ns, "share-0")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("FailedScheduling");
      assertThat(e.getMessage()).startsWith("0/").contains("insufficient-gpu");
    });
    assertThat(share.getSpec().getNodeName()).isNull();
    // A whole pod goes: the cluster changed, so the waiting shares are tried again and fit in its GPU.
    k.pods().inNamespace(ns).withName("whole-0").withGracePeriod(0).delete();
    waitFor(Duration.ofSeconds(30), () -> k.pods().inNamespace(ns).list().getItems().stream().filter(p -> bound(p)).count() == 10);
    assertNoOverCommit(k.pods().inNamespace(ns).list().getItems(), 2);
  }

  @Test
  void aGangBindsNothingUntilEveryMemberFitsThenAllTogether(KubeApiServer api) {
    KubernetesClient k = api.client();
    String ns = api.namespace("gang");
    k.nodes().resource(gpuNode(ns + "-n0", 2)).create();
    k.nodes().resource(gpuNode(ns + "-n1", 1)).create();
    for (int i = 0; i < 4; i++) {
      k.pods().resource(pod(ns, "worker-" + i, ns, res("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1"),
          Map.of("flexsched.io/gang", "train", "flexsched.io/gang-size", "4"))).create();
    }
    start(api, ns);
    waitFor(Duration.ofSeconds(15), () -> unschedulable(k.pods().inNamespace(ns).withName("worker-3").get()));
    assertThat(k.pods().inNamespace(ns).list().getItems()).noneMatch(SecondarySchedulerTest::bound);
    k.nodes().resource(gpuNode(ns + "-n2", 2)).create();
    waitFor(Duration.ofSeconds(30), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    assertNoOverCommit(k.pods().inNamespace(ns).list().getItems(), 2);
  }

  @Test
  void aMalformedPodGetsAWarningNamingTheFieldAndTheOthersAreStillScheduled(KubeApiServer api) {
    KubernetesClient k = api.client();
    String ns = api.namespace("bad");
    k.nodes().resource(gpuNode(ns + "-n0", 2)).create();
    start(api, ns);
    k.pods().resource(pod(ns, "cores-150", ns, res("nvidia.com/gpu", "1", "nvidia.com/gpucores", "150"), Map.of())).create();
    k.pods().resource(pod(ns, "mig-unknown", ns, res("nvidia.com/mig-9g.99gb", "1"), Map.of())).create();
    k.pods().resource(pod(ns, "fine", ns, res("cpu", "1", "nvidia.com/gpu", "1"), Map.of())).create();
    waitFor(Duration.ofSeconds(20), () -> bound(k.pods().inNamespace(ns).withName("fine").get()));
    waitFor(Duration.ofSeconds(10), () -> !events(k, ns, "cores-150").isEmpty() && !events(k, ns, "mig-unknown").isEmpty());
    assertThat(events(k, ns, "cores-150")).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("nvidia.com/gpucores").contains("150");
    });
    assertThat(events(k, ns, "mig-unknown")).anySatisfy(e -> assertThat(e.getMessage()).contains("nvidia.com/mig-9g.99gb"));
    assertThat(k.pods().inNamespace(ns).withName("cores-150").get().getSpec().getNodeName()).isNull();
  }

  @Test
  void aHighPriorityPodPreemptsTheFewestAndNeverANonPreemptibleOne(KubeApiServer api) {
    KubernetesClient k = api.client();
    String ns = api.namespace("preempt");
    k.nodes().resource(gpuNode(ns + "-n0", 2)).create();
    k.pods().resource(pod(ns, "keep", ns, res("cpu", "1", "nvidia.com/gpu", "1"), Map.of("flexsched.io/preemptible", "false"))).create();
    k.pods().resource(pod(ns, "low", ns, res("cpu", "1", "nvidia.com/gpu", "1"), Map.of())).create();
    start(api, ns);
    waitFor(Duration.ofSeconds(20), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    Pod high = pod(ns, "high", ns, res("cpu", "1", "nvidia.com/gpu", "1"), Map.of());
    k.pods().resource(KubeObjects.withPriority(k, high, 1000)).create();
    waitFor(Duration.ofSeconds(30), () -> bound(k.pods().inNamespace(ns).withName("high").get()));
    assertThat(k.pods().inNamespace(ns).withName("low").get()).isNull();
    assertThat(bound(k.pods().inNamespace(ns).withName("keep").get())).isTrue();
    assertThat(events(k, ns, "high")).anySatisfy(e -> assertThat(e.getMessage()).contains(ns + "/low"));
    assertNoOverCommit(k.pods().inNamespace(ns).list().getItems(), 2);
  }

  @Test
  void aRestartedSchedulerAccountsEveryBoundPodAndNeverOverCommits(KubeApiServer api) {
    KubernetesClient k = api.client();
    String ns = api.namespace("restart");
    k.nodes().resource(gpuNode(ns + "-n0", 2)).create();
    k.nodes().resource(gpuNode(ns + "-n1", 2)).create();
    // Bound by "someone else": no annotation, straight to a node.
    Pod foreign = pod(ns, "foreign", "default-scheduler", res("cpu", "1", "nvidia.com/gpu", "2"), Map.of());
    foreign.getSpec().setNodeName(ns + "-n0");
    k.pods().resource(foreign).create();
    for (int i = 0; i < 3; i++) {
      k.pods().resource(pod(ns, "a-" + i, ns, res("cpu", "1", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "50"), Map.of())).create();
    }
    start(api, ns);
    waitFor(Duration.ofSeconds(20), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    scheduler.close();
    for (int i = 0; i < 4; i++) {
      k.pods().resource(pod(ns, "b-" + i, ns, res("cpu", "1", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "50"), Map.of())).create();
    }
    start(api, ns);
    // n0's two GPUs are the foreign pod's; n1 holds four half shares.
    waitFor(Duration.ofSeconds(20), () -> k.pods().inNamespace(ns).list().getItems().stream().filter(p -> bound(p)).count() == 4 + 1);
    List<Pod> pods = k.pods().inNamespace(ns).list().getItems();
    assertNoOverCommit(pods, 2);
    assertThat(pods.stream().filter(p -> p.getMetadata().getName().startsWith("a-") || p.getMetadata().getName().startsWith("b-"))
        .filter(SecondarySchedulerTest::bound).map(p -> p.getSpec().getNodeName())).containsOnly(ns + "-n1");
    assertThat(pods.stream().filter(p -> !bound(p))).hasSize(3);
  }

  static boolean bound(Pod p) {
    return p != null && p.getSpec().getNodeName() != null;
  }

  static boolean unschedulable(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
  }

  static List<Event> events(KubernetesClient k, String ns, String pod) {
    return k.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName())).collect(Collectors.toList());
  }

  /**
   * Checks from the API server's objects alone, independently of the scheduler: on every node no
   * GPU holds more than 1000 milli, and whole GPUs are given once; bound pods agree with their annotation.
   */
  static void assertNoOverCommit(List<Pod> pods, int gpusPerNode) {
    var milli = new HashMap<String, Integer>();
    for (Pod p : pods) {
      if (!bound(p)) {
        continue;
      }
      String json = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(AssignmentAnnotation.KEY);
      if (json == null) {
        // Bound by someone else: whole GPUs, which device unknown; count them on the node.
        int gpus = Integer.parseInt(p.getSpec().getContainers().get(0).getResources().getRequests().get("nvidia.com/gpu").getAmount());
        milli.merge(p.getSpec().getNodeName() + "/*", gpus * 1000, Integer::sum);
        continue;
      }
      Assignment a = AssignmentAnnotation.read(PodMapping.id(p), json);
      assertThat(a.node()).isEqualTo(p.getSpec().getNodeName());
      for (Slice s : a.slices()) {
        assertThat(s.device()).isBetween(0, gpusPerNode - 1);
        milli.merge(a.node() + "/" + s.device(), s.milli(), Integer::sum);
      }
    }
    var perNode = new HashMap<String, Integer>();
    milli.forEach((k, v) -> {
      assertThat(v).as("milli on " + k).isLessThanOrEqualTo(k.endsWith("/*") ? gpusPerNode * 1000 : 1000);
      perNode.merge(k.substring(0, k.lastIndexOf('/')), v, Integer::sum);
    });
    perNode.forEach((node, v) -> assertThat(v).as("milli on " + node).isLessThanOrEqualTo(gpusPerNode * 1000));
  }

  /** Lets {@code millis} pass: time for what must NOT happen (a binding, a pass) to show. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void waitFor(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
