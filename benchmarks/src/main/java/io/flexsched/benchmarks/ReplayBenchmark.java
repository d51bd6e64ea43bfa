package io.flexsched.benchmarks;

import io.flexsched.sim.replay.BuiltInWorkload;
import io.flexsched.sim.replay.PaperReplay;
import io.flexsched.sim.replay.RunResult;
import io.flexsched.sim.replay.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * One whole run of the FGD paper's replay (one policy, one seed): on the Alibaba trace's default
 * pod list (read from {@code FLEX_TRACE_DIR}, default {@code ../shared/traces/alibaba-gpu-v2023})
 * and on the built-in workload.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReplayBenchmark {
  @Param({"built-in", "trace-default"})
  public String workload;

  @Param({"fgd"})
  public String policy;

  private Workload w;

  @Setup
  public void load() {
    if (workload.equals("built-in")) {
      w = BuiltInWorkload.load();
      return;
    }
    String env = System.getenv("FLEX_TRACE_DIR");
    Path dir = Path.of(env != null ? env : "../shared/traces/alibaba-gpu-v2023");
    Path nodes = dir.resolve("openb_node_list_gpu_node.csv");
    if (!Files.isRegularFile(nodes)) {
      throw new IllegalStateException("the trace is not at " + dir.toAbsolutePath() + "; set FLEX_TRACE_DIR");
    }
    w = Workload.fromTrace(nodes, dir.resolve("openb_pod_list_default.csv"));
  }

  @Benchmark
  public RunResult replayOneSeed() {
    return PaperReplay.run(w, policy, 42);
  }
}
