package io.flexsched.sim.replay;

/**
 * One QoS class's figures in a time-driven replay: queueing delay (arrival to first start) over
 * the tasks that started, how often its tasks were preempted, and how many did not finish.
 *
 * @param qos the class, or {@code all}
 * @param tasks tasks of the class
 * @param started tasks that started at least once before the end
 * @param p50 median queueing delay of the started tasks, seconds (nearest rank); -1 when none started
 * @param p99 99th-percentile queueing delay of the started tasks, seconds (nearest rank); -1 when none started
 * @param max the longest queueing delay of a started task, seconds; -1 when none started
 * @param preempted how many times its tasks were preempted
 * @param repeated how many of its tasks were preempted more than once
 * @param mostPreempted the most times one of its tasks was preempted
 * @param unfinished tasks not finished at the end (never started, waiting after a preemption, or still running)
 */
public record QosDelays(String qos, int tasks, int started, long p50, long p99, long max, int preempted, int repeated,
    int mostPreempted, int unfinished) {

  /** The figures of {@code delays} (sorted ascending, one per started task) and {@code preemptions} (one per task). */
  static QosDelays of(String qos, int tasks, long[] delays, int[] preemptions, int unfinished) {
    int preempted = 0;
    int repeated = 0;
    int most = 0;
    for (int p : preemptions) {
      preempted += p;
      repeated += p > 1 ? 1 : 0;
      most = Math.max(most, p);
    }
    return new QosDelays(qos, tasks, delays.length, percentile(delays, 50), percentile(delays, 99),
        delays.length == 0 ? -1 : delays[delays.length - 1], preempted, repeated, most, unfinished);
  }

  /** The nearest-rank {@code p}-th percentile of ascending {@code sorted}: the value at rank ⌈p/100·n⌉; -1 when empty. */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }
}
