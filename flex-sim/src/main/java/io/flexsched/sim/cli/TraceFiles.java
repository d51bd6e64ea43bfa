package io.flexsched.sim.cli;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.sim.replay.BuiltInWorkload;
import io.flexsched.sim.replay.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --nodes} and {@code --pods} options of the commands that replay the paper's protocol:
 * both name a trace's files, or neither and the built-in workload runs.
 */
final class TraceFiles {
  @Option(names = "--nodes", paramLabel = "FILE", description = "node list CSV (sn,cpu_milli,memory_mib,gpu,model)")
  @Nullable Path nodes;

  @Option(names = "--pods", paramLabel = "FILE", description = "pod list CSV (the trace's openb_pod_list_*.csv format)")
  @Nullable Path pods;

  /**
   * Checks that both options or neither were given; call before any work starts.
   *
   * @throws InvalidSpecException naming the option that is missing
   */
  void check() {
    OptionChecks.together(nodes, pods);
  }

  /** The trace named, or the built-in workload. */
  Workload load() {
    check();
    if (nodes == null || pods == null) {
      return BuiltInWorkload.load();
    }
    requireFile("--nodes", nodes);
    requireFile("--pods", pods);
    return Workload.fromTrace(nodes, pods);
  }

  private static void requireFile(String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidSpecException(option, file, "must be a readable file");
    }
  }
}
