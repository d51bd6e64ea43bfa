package io.flexsched.sim.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one replay run (one policy, one workload, one seed).
 *
 * @param policy the policy's name
 * @param workload the workload's name
 * @param seed the run's seed
 * @param allocation GPU allocation % per arrival bucket 0..130
 * @param fragmentation cluster fragmentation ratio % (fragmented / free GPU compute) per bucket
 * @param utilisation per device model (in the order the cluster first lists them), the % of that
 *     model's compute allocated, per arrival bucket 0..130; empty when not recorded
 * @param tasks tasks tried (originals plus inflation copies)
 * @param placed tasks placed
 * @param nanos wall time of the run
 * @param migrations tasks moved by defragmentation (0 when the run allowed none)
 * @param remote tasks placed with another node's devices (0 when no task accepted them)
 */
public record RunResult(
    String policy, String workload, long seed, double[] allocation, double[] fragmentation,
    Map<String, double[]> utilisation, int tasks, int placed, long nanos, long migrations, long remote) {

  public RunResult {
    utilisation = Collections.unmodifiableMap(new LinkedHashMap<>(utilisation));
  }

  /** A result of a run without remote devices. */
  public RunResult(
      String policy, String workload, long seed, double[] allocation, double[] fragmentation,
      Map<String, double[]> utilisation, int tasks, int placed, long nanos, long migrations) {
    this(policy, workload, seed, allocation, fragmentation, utilisation, tasks, placed, nanos, migrations, 0);
  }

  /** A result of a run without defragmentation. */
  public RunResult(
      String policy, String workload, long seed, double[] allocation, double[] fragmentation,
      Map<String, double[]> utilisation, int tasks, int placed, long nanos) {
    this(policy, workload, seed, allocation, fragmentation, utilisation, tasks, placed, nanos, 0);
  }

  /** A result without per-model utilisation (as recorded before it was). */
  public RunResult(
      String policy, String workload, long seed, double[] allocation, double[] fragmentation,
      int tasks, int placed, long nanos) {
    this(policy, workload, seed, allocation, fragmentation, Map.of(), tasks, placed, nanos);
  }

  /** Tasks that fitted nowhere. */
  public int failed() {
    return tasks - placed;
  }
}
