package io.flexsched.benchmarks;

import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Task;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of metrics in the placement loop: {@link PlacementBenchmark}'s place-and-release step
 * with a Micrometer registry ({@code metrics=on}: a {@link SimpleMeterRegistry}, gauges refreshed
 * at the default interval) and without one ({@code metrics=off}), on the same cluster and tasks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MetricsBenchmark {
  @Param({"fgd"})
  public String policy;

  @Param({"trace-1k", "synthetic-10k"})
  public String cluster;

  @Param({"50"})
  public int fill;

  /**
   * {@code off}: no registry; {@code on}: a registry, metrics published at the default interval
   * (10 s); {@code on-no-gauges}: a registry whose gauges are refreshed only on demand (never,
   * here), which isolates the cost of the timer and counters.
   */
  @Param({"off", "on", "on-no-gauges"})
  public String metrics;

  private PlacementEngine engine;
  private List<Task> probes;
  private int next;

  @Setup(Level.Trial)
  public void fill() {
    Clusters.Workbench w = Clusters.workbench(cluster);
    Scheduler.Builder b = Scheduler.builder().policy(policy).seed(42).workload(w.workload())
        .assertMode(false).nodes(w.nodes()).nearestMiss(false);
    if (metrics.startsWith("on")) {
      b.metrics(new SimpleMeterRegistry(), "cluster", cluster);
      if (metrics.equals("on-no-gauges")) {
        b.metricsRefresh(java.time.Duration.ofDays(365));
      } else if (!metrics.equals("on")) {
        throw new IllegalArgumentException("metrics must be off, on or on-no-gauges, not " + metrics);
      }
    } else if (!metrics.equals("off")) {
      throw new IllegalArgumentException("metrics must be off, on or on-no-gauges, not " + metrics);
    }
    engine = b.buildEngine();
    w.fill(engine, fill);
    probes = Clusters.probes();
    Clusters.warmShapes(probes, engine::place, engine::release);
  }

  @Benchmark
  public void placeAndRelease(Blackhole bh) {
    Task t = probes.get(next++ & (probes.size() - 1));
    Outcome o = engine.place(t);
    bh.consume(o);
    if (o.placed()) {
      engine.release(t.id());
    }
  }
}
