package io.flexsched.benchmarks;

import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.core.engine.Engine;
import io.flexsched.model.AcceleratorRequest;
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

/**
 * The cost of one defragmentation plan (issue 17): on a cluster filled to {@code fill}% of its
 * GPU capacity by FGD with the trace's shapes, the planner's search for the fewest migrations that
 * put a waiting task of {@code waiting} whole GPUs on a node where it does not fit now, within
 * {@code moves} moves. Every what-if is rolled back, so the cluster stays as filled; the search
 * runs in full even when the task would also fit somewhere as it is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DefragmentationBenchmark {
  @Param({"synthetic-10k"})
  public String cluster;

  @Param({"90"})
  public int fill;

  @Param({"1", "8"})
  public int waiting;

  @Param({"3"})
  public int moves;

  private Engine engine;
  private Task task;
  private PlacementEngine.DisruptionBudget budget;

  @Setup(Level.Trial)
  public void fill() {
    Clusters.Workbench w = Clusters.workbench(cluster);
    engine = (Engine) Scheduler.builder().policy("fgd").seed(42).workload(w.workload()).assertMode(false)
        .nodes(w.nodes()).nearestMiss(false).buildEngine();
    w.fill(engine, fill);
    task = Task.builder("waiting").cpuMilli(4_000).memoryMiB(16_384).accelerators(AcceleratorRequest.whole(waiting)).build();
    budget = PlacementEngine.DisruptionBudget.moves(moves);
    List<PlacementEngine.Migration> plan = engine.atomically(() -> engine.defragmenter().plan(task, budget));
    System.out.printf("%n%s at %d%%: a %d-GPU task %s; the plan moves %d%n", cluster, fill, waiting,
        engine.explain(task).fittingNodes() > 0 ? "fits somewhere as it is" : "fits nowhere as it is", plan.size());
  }

  @Benchmark
  public List<PlacementEngine.Migration> plan() {
    return engine.atomically(() -> engine.defragmenter().plan(task, budget));
  }
}
