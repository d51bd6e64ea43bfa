package io.flexsched.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.RandomClusters;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A publication of the metrics, read from another thread while the engine keeps publishing, is
 * always one whole publication: its per-model gauges add up to its own total of allocated compute,
 * its counts never go back, its percentiles are in order.
 */
class MetricsPublicationTest {
  @Test
  void aPublicationReadFromAnotherThreadIsNeverTorn() throws Exception {
    var clusters = new RandomClusters(11);
    var sample = new ArrayList<Task>();
    for (int i = 0; i < 500; i++) {
      sample.add(clusters.task());
    }
    Engine engine = (Engine) Scheduler.builder().policy("fgd").seed(3).workload(WorkloadDistribution.typical(sample, 0.9))
        .nodes(clusters.nodes(16)).metrics(new SimpleMeterRegistry()).metricsRefresh(Duration.ZERO).assertMode(false)
        .buildEngine();
    EngineMetrics metrics = engine.metrics();
    var stop = new AtomicBoolean();
    var torn = new AtomicReference<String>();
    Set<EngineMetrics.Publication> seen = new HashSet<>();
    Thread reader = new Thread(() -> {
      long lastDecisions = 0;
      while (!stop.get() && torn.get() == null) {
        EngineMetrics.Publication p = metrics.published();
        seen.add(p);
        double fromModels = 0;
        for (int m = 0; m < p.capacity().length; m++) {
          fromModels += p.allocation()[m] * p.capacity()[m] * 1000;
        }
        long decisions = 0;
        for (long c : p.counts()) {
          decisions += c;
        }
        if (Math.abs(fromModels - p.allocatedMilli()) > 1e-6 * Math.max(1, p.allocatedMilli())) {
          torn.set("per-model allocation adds up to " + fromModels + ", the total is " + p.allocatedMilli());
        } else if (decisions < lastDecisions) {
          torn.set("counts went back from " + lastDecisions + " to " + decisions);
        } else if (p.percentiles()[0][0] > p.percentiles()[0][1] || p.percentiles()[0][1] > p.percentiles()[0][2]) {
          torn.set("percentiles out of order: " + java.util.Arrays.toString(p.percentiles()[0]));
        }
        lastDecisions = decisions;
      }
    }, "metrics-reader");
    reader.start();
    var random = new SplittableRandom(5);
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 20_000 && torn.get() == null; i++) {
      if (!placed.isEmpty() && random.nextInt(3) == 0) {
        engine.release(placed.remove(random.nextInt(placed.size())));
      } else {
        Task t = clusters.task();
        if (engine.place(t).placed()) {
          placed.add(t.id());
        }
      }
    }
    stop.set(true);
    reader.join(10_000);
    assertThat(torn.get()).as("a torn publication").isNull();
    assertThat(seen.size()).as("publications the reader saw").isGreaterThan(100);
  }
}
