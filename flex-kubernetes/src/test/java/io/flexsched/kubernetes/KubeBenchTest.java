package io.flexsched.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code flex kube-bench}'s run on a real kube-apiserver, with Flex as the scheduler. */
@ExtendWith(KubeApiServer.Extension.class)
class KubeBenchTest {
  @Test
  void aBenchRunBindsEveryPodItCreatesReportsWhatItSawAndCleansUp(KubeApiServer api) throws Exception {
    var bench = new KubeBench(api.client());
    var started = new ArrayList<KubeScheduler>();
    for (boolean backlog : List.of(true, false)) {
      var plan = new KubeBench.Plan("flex", backlog, 6, 60, 4, 0.5, 4, Duration.ofSeconds(10), Duration.ofSeconds(120));
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
      var plan = new KubeBench.Plan("flex", true, 1, 1000, 8, share, 1, Duration.ofSeconds(1), Duration.ofSeconds(1));
      int half = 0;
      int firstHalf = 0;
      for (int i = 0; i < 1000; i++) {
        half += KubeBench.fractional(plan, i) ? 1 : 0;
        firstHalf += i < 500 && KubeBench.fractional(plan, i) ? 1 : 0;
      }
      assertThat(half).as("share " + share).isEqualTo((int) Math.round(share * 1000));
      assertThat(firstHalf).as("share " + share + " in the first 500").isEqualTo((int) Math.round(share * 500));
    }
  }
}
