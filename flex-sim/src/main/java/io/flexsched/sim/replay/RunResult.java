package io.flexsched.sim.replay;

/**
 * The outcome of one replay run (one policy, one workload, one seed).
 *
 * @param policy the policy's name
 * @param workload the workload's name
 * @param seed the run's seed
 * @param allocation GPU allocation % per arrival bucket 0..130
 * @param fragmentation cluster fragmentation ratio % (fragmented / free GPU compute) per bucket
 * @param tasks tasks tried (originals plus inflation copies)
 * @param placed tasks placed
 * @param nanos wall time of the run
 */
public record RunResult(
    String policy, String workload, long seed, double[] allocation, double[] fragmentation,
    int tasks, int placed, long nanos) {

  /** Tasks that fitted nowhere. */
  public int failed() {
    return tasks - placed;
  }
}
