package io.flexsched.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one Micrometer timer recording costs, by how the timer keeps its distribution: the
 * budget the engine's latency timer has to fit in (see {@link MetricsBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerCostBenchmark {
  /** {@code plain}: count, total, max; {@code percentiles-N}: client-side percentiles over N rotating histograms. */
  @Param({"plain", "percentiles-3", "percentiles-1"})
  public String timer;

  private Timer t;
  private long value = 1_000;

  @Setup
  public void setUp() {
    Timer.Builder b = Timer.builder("t");
    if (timer.startsWith("percentiles-")) {
      b.publishPercentiles(0.5, 0.9, 0.99).distributionStatisticBufferLength(Integer.parseInt(timer.substring(12)));
    } else if (!timer.equals("plain")) {
      throw new IllegalArgumentException("unknown timer " + timer);
    }
    t = b.register(new SimpleMeterRegistry());
  }

  @Benchmark
  public void record() {
    value = value * 6364136223846793005L + 1442695040888963407L;
    t.record(1_000 + ((value >>> 40) & 0xFFFF), TimeUnit.NANOSECONDS);
  }
}
