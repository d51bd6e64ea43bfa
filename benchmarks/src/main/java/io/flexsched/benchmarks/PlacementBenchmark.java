package io.flexsched.benchmarks;

import io.flexsched.core.Decision;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Task;
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
 * The cost of one placement decision: on a cluster filled to {@code fill}% of its GPU capacity
 * with tasks of the trace's shapes, place the next task of the stream and release it again, so
 * the fill level stays put. {@code impl=reference} runs the plain reference implementation on
 * the same cluster and tasks, so every result is also a ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlacementBenchmark {
  @Param({"fgd", "fgd-exact", "bestfit", "packing", "clustering", "dotprod", "random"})
  public String policy;

  @Param({"trace-1k", "synthetic-10k", "synthetic-100k"})
  public String cluster;

  @Param({"0", "50", "90"})
  public int fill;

  @Param({"engine", "reference"})
  public String impl;

  private Scheduler scheduler;
  private List<Task> probes;
  private int next;

  @Setup(Level.Trial)
  public void fill() {
    Clusters.Workbench w = Clusters.workbench(cluster);
    // The engine fills the cluster; the reference adopts its placements (deciding them itself
    // would take hours at 100,000 nodes), so both start from the same state.
    PlacementEngine filler = PlacementEngine.builder().policy(policy).seed(42).workload(w.workload())
        .assertMode(false).nodes(w.nodes()).build();
    w.fill(filler, fill);
    scheduler = Scheduler.of(impl, policy, 42, w.workload(), w.nodes(), filler);
    probes = Clusters.probes();
  }

  @Benchmark
  public void placeAndRelease(Blackhole bh) {
    Task t = probes.get(next++ & (probes.size() - 1));
    Decision d = scheduler.place(t);
    bh.consume(d);
    if (d.placed()) {
      scheduler.release(t.id());
    }
  }
}
