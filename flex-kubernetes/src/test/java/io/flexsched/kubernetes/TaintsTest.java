package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.node;
import static io.flexsched.kubernetes.KubeObjects.pod;
import static io.flexsched.kubernetes.KubeObjects.res;
import static io.flexsched.kubernetes.SecondarySchedulerTest.bound;
import static io.flexsched.kubernetes.SecondarySchedulerTest.events;
import static io.flexsched.kubernetes.SecondarySchedulerTest.pause;
import static io.flexsched.kubernetes.SecondarySchedulerTest.unschedulable;
import static io.flexsched.kubernetes.SecondarySchedulerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Taints, tolerations and node selectors on a real kube-apiserver: a tainted node takes only the
 * pods that tolerate its taint (the usual way GPU nodes are kept for GPU pods), a pod with a node
 * selector only nodes with those labels, and a taint put on or taken off a node that already runs
 * pods applies at once.
 */
@ExtendWith(KubeApiServer.Extension.class)
class TaintsTest {
  private static final Map<String, String> ONE_GPU = res("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1");
  private static final Taint GPU_TAINT = new TaintBuilder().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").build();

  private KubeScheduler scheduler;
  private KubernetesClient k;
  private String ns;

  @BeforeEach
  void start(KubeApiServer api) {
    k = api.client();
    ns = api.namespace("taints");
    Node gpu = node(ns + "-gpu", "32", "128Gi", 2, "Tesla-T4", Map.of("pool", "train"));
    gpu.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
    gpu.getSpec().setTaints(List.of(GPU_TAINT));
    k.nodes().resource(gpu).create();
    k.nodes().resource(node(ns + "-plain", "32", "128Gi", 1, "Tesla-T4", Map.of("pool", "serve"))).create();
    scheduler = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(ns, "fgd"), new SimpleMeterRegistry());
    scheduler.start();
  }

  @AfterEach
  void stop() {
    scheduler.close();
    k.nodes().delete();
  }

  private Pod create(String name, Map<String, String> resources, boolean toleratesGpu, Map<String, String> selector) {
    Pod p = pod(ns, name, ns, resources, Map.of());
    if (toleratesGpu) {
      p.getSpec().setTolerations(List.of(
          new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build()));
    }
    p.getSpec().setNodeSelector(selector);
    return k.pods().resource(p).create();
  }

  private Pod get(String name) {
    return k.pods().inNamespace(ns).withName(name).get();
  }

  @Test
  void aTaintedNodeTakesOnlyThePodsThatTolerateIt() {
    create("plain", ONE_GPU, false, Map.of());
    waitFor(Duration.ofSeconds(30), () -> bound(get("plain")));
    assertThat(get("plain").getSpec().getNodeName()).isEqualTo(ns + "-plain");

    // The only free GPUs are on the tainted node: a pod without the toleration waits, and says why.
    create("refused", ONE_GPU, false, Map.of());
    waitFor(Duration.ofSeconds(30), () -> unschedulable(get("refused")));
    assertThat(events(k, ns, "refused")).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("FailedScheduling");
      assertThat(e.getMessage()).contains("taint");
    });

    create("tolerant", ONE_GPU, true, Map.of());
    waitFor(Duration.ofSeconds(30), () -> bound(get("tolerant")));
    assertThat(get("tolerant").getSpec().getNodeName()).isEqualTo(ns + "-gpu");
    pause(1000);
    assertThat(bound(get("refused"))).isFalse();
  }

  @Test
  void aNodeSelectorKeepsAPodInItsPool() {
    // Tolerant, so that only the selector decides: the emptier tainted node would score better.
    create("serving", ONE_GPU, true, Map.of("pool", "serve"));
    waitFor(Duration.ofSeconds(30), () -> bound(get("serving")));
    assertThat(get("serving").getSpec().getNodeName()).isEqualTo(ns + "-plain");

    create("serving-2", ONE_GPU, true, Map.of("pool", "serve"));
    waitFor(Duration.ofSeconds(30), () -> unschedulable(get("serving-2")));
    assertThat(events(k, ns, "serving-2")).anySatisfy(e -> assertThat(e.getMessage()).contains("node-selector"));
  }

  @Test
  void aTaintPutOnABusyNodeAppliesAtOnceAndSoDoesItsRemoval() {
    create("running", ONE_GPU, false, Map.of());
    waitFor(Duration.ofSeconds(30), () -> bound(get("running")));
    assertThat(get("running").getSpec().getNodeName()).isEqualTo(ns + "-plain");

    k.nodes().withName(ns + "-plain").edit(n -> {
      n.getSpec().setTaints(List.of(new TaintBuilder().withKey("maintenance").withEffect("NoSchedule").build()));
      return n;
    });
    pause(1000);
    // CPU only: room on both nodes, and both are now tainted against it.
    Map<String, String> cpuOnly = res("cpu", "1", "memory", "1Gi");
    create("cpu", cpuOnly, true, Map.of());
    waitFor(Duration.ofSeconds(30), () -> bound(get("cpu")));
    assertThat(get("cpu").getSpec().getNodeName()).isEqualTo(ns + "-gpu");
    create("blocked", cpuOnly, false, Map.of());
    waitFor(Duration.ofSeconds(30), () -> unschedulable(get("blocked")));

    k.nodes().withName(ns + "-plain").edit(n -> {
      n.getSpec().setTaints(List.of());
      return n;
    });
    waitFor(Duration.ofSeconds(30), () -> bound(get("blocked")));
    assertThat(get("blocked").getSpec().getNodeName()).isEqualTo(ns + "-plain");
    // The running pod stayed accounted through both changes: the plain node's one GPU is still its.
    create("second-gpu", ONE_GPU, false, Map.of());
    waitFor(Duration.ofSeconds(30), () -> unschedulable(get("second-gpu")));
  }
}
