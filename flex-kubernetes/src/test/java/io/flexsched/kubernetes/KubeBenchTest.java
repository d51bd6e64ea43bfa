package io.flexsched.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code flex kube-bench}'s run on a real kube-apiserver, with Flex as the scheduler. */
@ExtendWith(KubeApiServer.Extension.class)
class KubeBenchTest {
  @Test
  void aBenchRunBindsEveryPodItCreatesReportsWhatItSawAndCleansUp(KubeApiServer api) throws Exception {
    var started = new ArrayList<KubeScheduler>();
    for (boolean backlog : List.of(true, false)) {
      var plan = new KubeBench.Plan("flex", backlog, "uniform", 6, 60, 4, 0.5, 4, Duration.ofSeconds(10), Duration.ofSeconds(120));
      var bench = new KubeBench(api.client(), plan);
      String ns = "bench-" + (backlog ? "backlog" : "stream");
      bench.createNodes(plan, ns);
      assertThat(api.client().nodes().withLabel("flexsched.io/bench", ns).list().getItems()).hasSize(6);
      KubeBench.Result r;
      try {
        r = bench.run(plan, ns, ns, () -> {
          var s = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(ns, "fgd"), new SimpleMeterRegistry());
          started.add(s);
          s.start();
        });
      } finally {
        started.forEach(KubeScheduler::close);
        started.clear();
      }
      // 30 whole and 30 half GPUs asked of 24: every pod the GPUs allow is bound, and no more.
      assertThat(r.fractionalAsked()).isEqualTo(30);
      assertThat(r.gpuAllocated()).isCloseTo(100.0, within(1e-9));
      var pods = api.client().pods().inNamespace(ns).list().getItems();
      assertThat(r.bound()).isEqualTo((int) pods.stream().filter(SecondarySchedulerTest::bound).count());
      SecondarySchedulerTest.assertNoOverCommit(pods, 4);
      assertThat(r.overCommitted()).isZero();
      assertThat(r.firstMillis()).isLessThanOrEqualTo(r.p50Millis());
      assertThat(r.p50Millis()).isLessThanOrEqualTo(r.p99Millis());
      assertThat(r.line()).contains("bound=" + r.bound()).contains(backlog ? "backlog" : "stream");
      bench.cleanUp(ns);
      assertThat(api.client().nodes().withLabel("flexsched.io/bench", ns).list().getItems()).isEmpty();
    }
  }

  @Test
  void theShareOfHalfGpuPodsIsSpreadAsAsked() {
    for (double share : new double[] {0, 0.1, 0.25, 0.5, 1}) {
      var plan = new KubeBench.Plan("flex", true, "uniform", 1, 1000, 8, share, 1, Duration.ofSeconds(1), Duration.ofSeconds(1));
      var objects = new BenchObjects(plan);
      int half = 0;
      int firstHalf = 0;
      for (int i = 0; i < 1000; i++) {
        half += objects.fractional(i) ? 1 : 0;
        firstHalf += i < 500 && objects.fractional(i) ? 1 : 0;
      }
      assertThat(half).as("share " + share).isEqualTo((int) Math.round(share * 1000));
      assertThat(firstHalf).as("share " + share + " in the first 500").isEqualTo((int) Math.round(share * 500));
    }
  }

  @Test
  void traceShapedObjectsKeepTheClustersMixAndTheTasksShapes() {
    var plan = new KubeBench.Plan("flex", true, "trace", 100, 2000, 8, 0, 1, Duration.ofSeconds(1), Duration.ofSeconds(1));
    var objects = new BenchObjects(plan);
    List<Node> nodes = objects.nodes("ns");
    // Sampled evenly from the built-in cluster: each model keeps its share of the nodes, to one node.
    var all = io.flexsched.sim.replay.BuiltInWorkload.nodes();
    for (String model : List.of("G2", "T4")) {
      long inAll = all.stream().filter(n -> !n.devices().isEmpty() && n.devices().get(0).model().name().equals(model)).count();
      long sampled = nodes.stream().filter(n -> model.equals(n.getMetadata().getLabels().get("nvidia.com/gpu.product"))).count();
      assertThat((double) sampled).as(model).isCloseTo(100.0 * inAll / all.size(), within(1.0));
      assertThat(sampled).as(model).isPositive();
    }
    assertThat(BenchObjects.products()).containsEntry("G2", "G2").containsEntry("T4", "T4");
    long gpus = nodes.stream().mapToLong(n -> Long.parseLong(n.getStatus().getAllocatable().get("nvidia.com/gpu").getAmount())).sum();
    assertThat(objects.totalGpus()).isEqualTo(gpus);
    int shares = 0;
    for (int i = 0; i < 2000; i++) {
      var requests = objects.pod("ns", "s", i).getSpec().getContainers().get(0).getResources().getRequests();
      shares += objects.fractional(i) ? 1 : 0;
      assertThat(requests.containsKey("nvidia.com/gpucores")).isEqualTo(objects.fractional(i));
      assertThat(objects.gpus(i)).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(8);
    }
    // The same tasks as the replay's built-in workload draws with the same seed: shares and whole GPUs both.
    long expected = io.flexsched.sim.replay.BuiltInWorkload.tasks(2000, BenchObjects.SEED).stream()
        .filter(t -> t.accelerators().count() > 0 && t.accelerators().milliPerDevice() < 1000).count();
    assertThat((long) shares).isEqualTo(expected).isBetween(1L, 1999L);
  }

  @Test
  void theOverCommitCheckFindsAGpuGivenTwice(KubeApiServer api) {
    var k = api.client();
    String ns = api.namespace("overcommit");
    k.nodes().resource(KubeObjects.gpuNode(ns + "-n0", 1)).create();
    for (String name : List.of("a", "b")) {
      k.pods().resource(KubeObjects.pod(ns, name, "nobody", KubeObjects.res("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1"), java.util.Map.of())).create();
      k.bindings().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.BindingBuilder()
          .withNewMetadata().withName(name).endMetadata()
          .withNewTarget().withKind("Node").withName(ns + "-n0").endTarget().build()).create();
    }
    var nodes = List.of(k.nodes().withName(ns + "-n0").get());
    assertThat(OverCommits.find(k.pods().inNamespace(ns).list().getItems(), nodes))
        .singleElement().asString().startsWith(ns + "-n0: 2 whole GPUs");
    assertThat(OverCommits.count(k, ns, nodes)).isEqualTo(1);
    k.pods().inNamespace(ns).withName("b").withGracePeriod(0).delete();
    waitGone(k, ns, "b");
    assertThat(OverCommits.count(k, ns, nodes)).isZero();
    k.nodes().withName(ns + "-n0").delete();
  }

  private static void waitGone(io.fabric8.kubernetes.client.KubernetesClient k, String ns, String name) {
    SecondarySchedulerTest.waitFor(Duration.ofSeconds(20), () -> k.pods().inNamespace(ns).withName(name).get() == null);
  }

  @Test
  void withoutAKubeconfigEachSchedulerGetsItsOwnControlPlaneAndTheSamePods() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var stdout = System.out;
    int code;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code = new picocli.CommandLine(new KubeBenchCommand()).execute("--workload", "uniform", "--nodes", "4", "--pods", "40",
          "--gpus-per-node", "4", "--fractional", "0.5", "--settle", "5", "--timeout", "120", "--kube-scheduler-qps", "200");
    } finally {
      System.setOut(stdout);
    }
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    List<String> results = printed.lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(results).hasSize(2);
    // 20 whole and 20 half GPUs asked of 16: Flex fills every GPU; kube-scheduler places the whole
    // pods only (it cannot express a share), 16 of 20.
    assertThat(results.get(0)).startsWith("flex ").contains("bound=", "gpu=100.0%", "overcommitted=0");
    assertThat(results.get(1)).startsWith("default-scheduler").contains("bound=16 ", "fractional=0/20", "overcommitted=0");
  }
}
