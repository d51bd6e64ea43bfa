package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.gpuNode;
import static io.flexsched.kubernetes.KubeObjects.pod;
import static io.flexsched.kubernetes.KubeObjects.res;
import static io.flexsched.kubernetes.SecondarySchedulerTest.assertNoOverCommit;
import static io.flexsched.kubernetes.SecondarySchedulerTest.bound;
import static io.flexsched.kubernetes.SecondarySchedulerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many pods on many nodes, and an API server that goes away mid-run, on a real kube-apiserver. */
@ExtendWith(KubeApiServer.Extension.class)
class ScaleAndRestartTest {
  private KubeScheduler scheduler;

  @AfterEach
  void stop(KubeApiServer api) {
    if (scheduler != null) {
      scheduler.close();
    }
    api.client().nodes().delete();
  }

  private void createPods(KubernetesClient k, String ns, int count, int from) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = from; i < from + count; i++) {
      int n = i;
      // Whole GPUs, halves and quarters, with the CPU and memory that come with them.
      Map<String, String> r = switch (n % 4) {
        case 0 -> res("cpu", "2", "memory", "4Gi", "nvidia.com/gpu", "1");
        case 1 -> res("cpu", "1", "memory", "2Gi", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "50", "nvidia.com/gpumem", "4096");
        case 2 -> res("cpu", "500m", "memory", "1Gi", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "25", "nvidia.com/gpumem", "2048");
        default -> res("cpu", "1", "memory", "1Gi");
      };
      pool.execute(() -> k.pods().resource(pod(ns, "p-" + n, ns, r, Map.of())).create());
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aThousandWholeAndFractionalPodsOnAHundredNodesNeverOverCommit(KubeApiServer api) throws Exception {
    KubernetesClient k = api.client();
    String ns = api.namespace("scale");
    for (int i = 0; i < 100; i++) {
      k.nodes().resource(gpuNode(ns + "-n" + i, 8)).create();
    }
    scheduler = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(ns, "fgd"), new SimpleMeterRegistry());
    scheduler.start();
    createPods(k, ns, 1000, 0);
    // 250 whole + 125 + 62.5 GPUs' worth asked of 800: everything fits, by devices and by CPU.
    waitFor(Duration.ofSeconds(180), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    List<Pod> pods = k.pods().inNamespace(ns).list().getItems();
    assertThat(pods).hasSize(1000);
    assertNoOverCommit(pods, 8);
    assertHostResourcesFit(pods, 32_000, 128 * 1024);
  }

  @Test
  void theApiServerRestartedMidRunTheSchedulerReconnectsAndFinishesWithoutDuplicates(KubeApiServer api) throws Exception {
    KubernetesClient k = api.client();
    String ns = api.namespace("restart");
    for (int i = 0; i < 10; i++) {
      k.nodes().resource(gpuNode(ns + "-n" + i, 8)).create();
    }
    scheduler = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(ns, "fgd"), new SimpleMeterRegistry());
    scheduler.start();
    createPods(k, ns, 60, 0);
    api.stopApiServer();
    Thread.sleep(3000);
    api.startApiServer();
    createPods(k, ns, 60, 60);
    waitFor(Duration.ofSeconds(120), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    List<Pod> pods = k.pods().inNamespace(ns).list().getItems();
    assertThat(pods).hasSize(120);
    assertNoOverCommit(pods, 8);
    assertHostResourcesFit(pods, 32_000, 128 * 1024);
  }

  /** CPU and memory per node, summed from the bound pods' requests as the API server holds them. */
  static void assertHostResourcesFit(List<Pod> pods, long cpuMilli, long memoryMiB) {
    var cpu = new HashMap<String, Long>();
    var mem = new HashMap<String, Long>();
    for (Pod p : pods) {
      if (bound(p)) {
        var requests = PodMapping.effectiveRequests(p);
        cpu.merge(p.getSpec().getNodeName(), requests.getOrDefault("cpu", java.math.BigDecimal.ZERO).movePointRight(3).longValue(), Long::sum);
        mem.merge(p.getSpec().getNodeName(), requests.getOrDefault("memory", java.math.BigDecimal.ZERO).longValue() >> 20, Long::sum);
      }
    }
    cpu.forEach((n, v) -> assertThat(v).as("cpu on " + n).isLessThanOrEqualTo(cpuMilli));
    mem.forEach((n, v) -> assertThat(v).as("memory on " + n).isLessThanOrEqualTo(memoryMiB));
  }
}
