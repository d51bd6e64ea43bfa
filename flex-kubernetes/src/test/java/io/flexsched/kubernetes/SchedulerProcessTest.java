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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code flex kube-scheduler} as the separate process a user runs, against a real kube-apiserver:
 * SIGKILLed and restarted mid-run, and two replicas with leader election.
 */
@ExtendWith(KubeApiServer.Extension.class)
class SchedulerProcessTest {
  private final List<Process> processes = new ArrayList<>();

  private Process scheduler(KubeApiServer api, Path log, String... extra) throws IOException {
    var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), FlexKube.class.getName(), "kube-scheduler",
        "--kubeconfig", api.kubeconfig().toString()));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    processes.add(p);
    return p;
  }

  @AfterEach
  void stop(KubeApiServer api) throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    api.client().nodes().delete();
  }

  @Test
  void killedAtRandomMomentsAndRestartedItBindsEveryPodThatFitsOnceAndNeverOverCommits(KubeApiServer api) throws Exception {
    KubernetesClient k = api.client();
    String ns = api.namespace("kill");
    for (int i = 0; i < 100; i++) {
      k.nodes().resource(gpuNode(ns + "-n" + i, 4)).create();
    }
    // 400 GPUs: 600 whole-GPU pods and 400 half-GPU pods ask for 800; 400 GPUs' worth fit.
    Path log = api.dir().resolve(ns + ".log");
    var random = new Random(7);
    Process p = scheduler(api, log, "--scheduler-name", ns);
    for (int i = 0; i < 1000; i++) {
      Map<String, String> r = i % 5 < 3 ? res("cpu", "100m", "nvidia.com/gpu", "1")
          : res("cpu", "100m", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "50");
      k.pods().resource(pod(ns, "p-" + i, ns, r, Map.of())).create();
      if (i % 200 == 199) {
        Thread.sleep(random.nextInt(1500));
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        p = scheduler(api, log, "--scheduler-name", ns);
      }
    }
    waitFor(Duration.ofSeconds(180), () -> usedMilli(k.pods().inNamespace(ns).list().getItems()) == 400_000);
    Thread.sleep(2000);
    List<Pod> pods = k.pods().inNamespace(ns).list().getItems();
    assertThat(usedMilli(pods)).isEqualTo(400_000);
    assertNoOverCommit(pods, 4);
    assertThat(pods).hasSize(1000);
    assertThat(Files.readString(log)).doesNotContain("answered 409");
  }

  private static long usedMilli(List<Pod> pods) {
    long sum = 0;
    for (Pod p : pods) {
      if (bound(p)) {
        String json = p.getMetadata().getAnnotations().get(AssignmentAnnotation.KEY);
        sum += AssignmentAnnotation.read(PodMapping.id(p), json).totalMilli();
      }
    }
    return sum;
  }

  @Test
  void withLeaderElectionOnlyTheLeaderBindsAndKillingItHandsOver(KubeApiServer api) throws Exception {
    KubernetesClient k = api.client();
    String ns = api.namespace("lease");
    k.nodes().resource(gpuNode(ns + "-n0", 8)).create();
    Path logA = api.dir().resolve(ns + "-a.log");
    Path logB = api.dir().resolve(ns + "-b.log");
    int metricsPort = KubeApiServer.freePort();
    Process a = scheduler(api, logA, "--scheduler-name", ns, "--leader-elect", "--lease-namespace", ns,
        "--metrics-port", Integer.toString(metricsPort));
    waitFor(Duration.ofSeconds(30), () -> contains(logA, "leading as"));
    Process b = scheduler(api, logB, "--scheduler-name", ns, "--leader-elect", "--lease-namespace", ns);
    for (int i = 0; i < 4; i++) {
      k.pods().resource(pod(ns, "first-" + i, ns, res("nvidia.com/gpu", "1"), Map.of())).create();
    }
    waitFor(Duration.ofSeconds(30), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    assertThat(Files.readString(logB)).doesNotContain("leading as").doesNotContain(" -> ");
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("flex_kube_bindings_total");

    a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    for (int i = 0; i < 4; i++) {
      k.pods().resource(pod(ns, "second-" + i, ns, res("nvidia.com/gpu", "1"), Map.of())).create();
    }
    // The lease lasts 15 s; the standby takes over after it expires.
    waitFor(Duration.ofSeconds(40), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    assertThat(Files.readString(logB)).contains("leading as");
    assertNoOverCommit(k.pods().inNamespace(ns).list().getItems(), 8);
    assertThat(b.isAlive()).isTrue();
  }

  private static boolean contains(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }
}
