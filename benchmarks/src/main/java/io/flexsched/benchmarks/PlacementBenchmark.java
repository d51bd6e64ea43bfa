package io.flexsched.benchmarks;

import io.flexsched.core.Outcome;
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
 * the fill level stays put. {@code impl=facade} runs the same decisions through the
 * {@link io.flexsched.core.Scheduler} facade (its queue bookkeeping and undo journal on top of the
 * engine); {@code impl=reference} runs the plain reference implementation on the same cluster and
 * tasks, so every result is also a ratio.
 *
 * <p>The trial's setup places and releases one probe of each distinct shape before the first
 * iteration, so that every line of the score index the probes use exists and is current: without
 * it, a shape's first decision builds its line (a pass over every node) inside a measured
 * iteration, and single forks drift as lines appear. {@code cluster=synthetic-1m} is not among the
 * defaults; name it, with {@code -jvmArgsAppend -Xmx16g}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlacementBenchmark {
  @Param({"fgd", "fgd-exact", "flexfit", "bestfit", "packing", "clustering", "dotprod", "random"})
  public String policy;

  @Param({"trace-1k", "synthetic-10k", "synthetic-100k"})
  public String cluster;

  @Param({"0", "50", "90"})
  public int fill;

  @Param({"engine", "facade", "reference"})
  public String impl;

  private Placer placer;
  private List<Task> probes;
  private int next;

  @Setup(Level.Trial)
  public void fill() {
    Clusters.Workbench w = Clusters.workbench(cluster);
    placer = Placer.of(impl, policy, 42, w.workload(), w.nodes(), e -> w.fillAndReport(e, fill, cluster));
    probes = Clusters.probes();
    Clusters.warmShapes(probes, placer::place, placer::release);
  }

  @Benchmark
  public void placeAndRelease(Blackhole bh) {
    Task t = probes.get(next++ & (probes.size() - 1));
    Outcome o = placer.place(t);
    bh.consume(o);
    if (o.placed()) {
      placer.release(t.id());
    }
  }
}
