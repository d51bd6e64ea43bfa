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
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code flex kube-extender} behind a real kube-scheduler v1.20.2, on a real kube-apiserver: the
 * GPU resources are managed by the extender and ignored by kube-scheduler, so Flex decides.
 */
@ExtendWith(KubeApiServer.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExtenderTest {
  private KubeScheduler flex;
  private ExtenderServer extender;
  private Process kubeScheduler;
  private Path log;

  @BeforeAll
  void start(KubeApiServer api) throws Exception {
    flex = new KubeScheduler(api.newClient(), SchedulerSettings.defaults("flex-extender", "fgd"), new SimpleMeterRegistry());
    flex.start();
    extender = new ExtenderServer(flex, new InetSocketAddress("127.0.0.1", 0), null);
    Path config = api.dir().resolve("kube-scheduler.yaml");
    Files.writeString(config, """
        apiVersion: kubescheduler.config.k8s.io/v1beta1
        kind: KubeSchedulerConfiguration
        clientConnection:
          kubeconfig: %s
        leaderElection:
          leaderElect: false
        healthzBindAddress: 127.0.0.1:%d
        metricsBindAddress: 127.0.0.1:%d
        extenders:
        - urlPrefix: http://127.0.0.1:%d
          filterVerb: filter
          prioritizeVerb: prioritize
          preemptVerb: preempt
          bindVerb: bind
          weight: 1
          nodeCacheCapable: true
          managedResources:
          - {name: nvidia.com/gpu, ignoredByScheduler: true}
          - {name: nvidia.com/gpucores, ignoredByScheduler: true}
          - {name: nvidia.com/gpumem, ignoredByScheduler: true}
        """.formatted(api.kubeconfig(), KubeApiServer.freePort(), KubeApiServer.freePort(), extender.port()));
    log = api.dir().resolve("kube-scheduler.log");
    kubeScheduler = new ProcessBuilder(KubeApiServer.binaries().resolve("kube-scheduler").toString(),
        "--config", config.toString(), "--bind-address=127.0.0.1", "--secure-port=" + KubeApiServer.freePort(), "--port=0",
        "--authentication-skip-lookup=true", "--v=2")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @AfterAll
  void stop() throws Exception {
    if (kubeScheduler != null) {
      kubeScheduler.destroy();
      kubeScheduler.waitFor(10, TimeUnit.SECONDS);
    }
    if (extender != null) {
      extender.close();
    }
    if (flex != null) {
      flex.close();
    }
  }

  @Test
  void kubeSchedulerPlacesFractionalGpuPodsThroughFlexAndCallsPreempt(KubeApiServer api) {
    KubernetesClient k = api.client();
    String ns = api.namespace("ext");
    k.nodes().resource(gpuNode("ext-n0", 2)).create();
    k.nodes().resource(gpuNode("ext-n1", 2)).create();
    for (int i = 0; i < 8; i++) {
      k.pods().resource(pod(ns, "half-" + i, "default-scheduler",
          res("cpu", "100m", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "50", "nvidia.com/gpumem", "1024"), Map.of())).create();
    }
    waitFor(Duration.ofSeconds(60), () -> k.pods().inNamespace(ns).list().getItems().stream().allMatch(SecondarySchedulerTest::bound));
    List<Pod> pods = k.pods().inNamespace(ns).list().getItems();
    assertThat(pods).allSatisfy(p -> assertThat(p.getMetadata().getAnnotations()).containsKey(AssignmentAnnotation.KEY));
    assertNoOverCommit(pods, 2);
    assertThat(extender.calls("filter")).isPositive();
    assertThat(extender.calls("prioritize")).isPositive();
    assertThat(extender.calls("bind")).isEqualTo(8);

    // The cluster is full: a high-priority pod makes kube-scheduler ask the extender whom to evict.
    Pod high = pod(ns, "high", "default-scheduler", res("cpu", "100m", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "50"), Map.of());
    k.pods().resource(KubeObjects.withPriority(k, high, 1000)).create();
    waitFor(Duration.ofSeconds(60), () -> extender.calls("preempt") > 0);
    waitFor(Duration.ofSeconds(60), () -> bound(k.pods().inNamespace(ns).withName("high").get()));
    assertNoOverCommit(k.pods().inNamespace(ns).list().getItems(), 2);
  }

  @Test
  void hostileRequestsAreAnswered400AndChangeNothing(KubeApiServer api) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int before = flex.onEngine(() -> flex.loop().flex().cluster().assignments().size());
    var random = new Random(42);
    String valid = "{\"Pod\":{\"metadata\":{\"name\":\"p\",\"namespace\":\"x\"},\"spec\":{\"containers\":[{\"name\":\"c\","
        + "\"resources\":{\"requests\":{\"nvidia.com/gpu\":\"1\"}}}]}},\"NodeNames\":[\"ext-n0\",\"nowhere\"]}";
    String[] bodies = {"", "{", "[]", "null", "{\"Pod\":42}", "{\"Pod\":{\"metadata\":{}}}", "{\"NodeNames\":\"x\"}",
        valid.substring(0, 40), valid.replace("\"1\"", "\"-1\""), valid.replace("\"1\"", "\"abc\""),
        "{\"PodName\":1}", valid.replace("[\"ext-n0\",\"nowhere\"]", "[1,2]")};
    String[] verbs = {"filter", "prioritize", "bind", "preempt", "nope"};
    int bad = 0;
    for (int i = 0; i < 10_000; i++) {
      String body = bodies[random.nextInt(bodies.length)];
      String verb = verbs[random.nextInt(verbs.length)];
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + extender.port() + "/" + verb))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(verb + " " + body).isIn(200, 400);
      if (r.statusCode() == 400) {
        bad++;
        assertThat(r.body().strip()).doesNotContain("\n").isNotEmpty();
      }
    }
    HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + extender.port() + "/filter"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"x\":\"" + "a".repeat(ExtenderServer.MAX_BODY) + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(huge.body()).contains("larger than");
    assertThat(bad).isGreaterThan(5_000);
    assertThat(flex.onEngine(() -> flex.loop().flex().cluster().assignments().size())).isEqualTo(before);
    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + extender.port() + "/filter"))
        .POST(HttpRequest.BodyPublishers.ofString(valid)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"FailedNodes\"").contains("nowhere");
  }
}
