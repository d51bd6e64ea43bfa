package io.flexsched.sim.replay;

import io.flexsched.core.Damping;
import java.util.List;

/**
 * The outcome of one time-driven replay: per QoS class the queueing delays, preemptions and
 * unfinished tasks, and GPU allocation over time.
 *
 * @param workload the workload's name
 * @param policy the scoring policy
 * @param preemption the victim search, or {@code none}
 * @param damping the churn damping of preemption
 * @param classes per QoS class present, in {@link QosClass} order
 * @param all the same figures over every task
 * @param preemptions how many preemptions happened (a task preempted twice counts twice)
 * @param times the instants at which allocation was sampled (after each instant's decisions), seconds
 * @param allocatedMilli GPU compute allocated at each of {@link #times}
 * @param capacityMilli the cluster's GPU compute
 * @param firstArrival the first arrival, seconds
 * @param lastArrival the last arrival, seconds
 * @param horizon the end of the replay: the last departure the trace's own times give, seconds
 * @param lastFinish when the last task that finished by the horizon finished, seconds; -1 when none did
 * @param nanos wall time of the run
 */
public record TimelineResult(
    String workload, String policy, String preemption, Damping damping, List<QosDelays> classes, QosDelays all, long preemptions,
    long[] times, long[] allocatedMilli, long capacityMilli, long firstArrival, long lastArrival, long horizon,
    long lastFinish, long nanos) {

  public TimelineResult {
    classes = List.copyOf(classes);
  }

  /**
   * From the first arrival to the last finish, seconds, when every task finished by the horizon;
   * -1 otherwise (the replay stops there, so the true figure is unknown).
   */
  public long makespan() {
    return all.unfinished() == 0 && lastFinish >= 0 ? lastFinish - firstArrival : -1;
  }

  /** GPU allocation averaged over time from the first arrival to the horizon, as a fraction of capacity. */
  public double meanAllocation() {
    return meanAllocation(firstArrival, horizon);
  }

  /** GPU allocation averaged over time from the first to the last arrival, as a fraction of capacity. */
  public double meanAllocationWhileArriving() {
    return meanAllocation(firstArrival, lastArrival);
  }

  /**
   * GPU allocation averaged over {@code [from, to]}, as a fraction of capacity: each sample holds
   * until the next; before the first sample nothing is allocated. An empty interval gives the
   * allocation at {@code from}.
   */
  public double meanAllocation(long from, long to) {
    if (capacityMilli == 0) {
      return 0;
    }
    if (to <= from) {
      return allocationAt(from);
    }
    double area = 0;
    for (int i = 0; i < times.length; i++) {
      long start = Math.max(times[i], from);
      long end = Math.min(i + 1 < times.length ? times[i + 1] : Long.MAX_VALUE, to);
      if (end > start) {
        area += (double) allocatedMilli[i] * (end - start);
      }
    }
    return area / (to - from) / capacityMilli;
  }

  /** The highest GPU allocation sampled, as a fraction of capacity. */
  public double peakAllocation() {
    long peak = 0;
    for (long a : allocatedMilli) {
      peak = Math.max(peak, a);
    }
    return capacityMilli == 0 ? 0 : (double) peak / capacityMilli;
  }

  /** GPU allocation, as a fraction of capacity, at {@code time} (the last sample at or before it). */
  public double allocationAt(long time) {
    int lo = -1;
    for (int i = 0; i < times.length && times[i] <= time; i++) {
      lo = i;
    }
    return lo < 0 || capacityMilli == 0 ? 0 : (double) allocatedMilli[lo] / capacityMilli;
  }
}
