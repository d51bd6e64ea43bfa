package io.flexsched.core;

import java.util.List;

/**
 * What one {@link SchedulingQueue#schedulePending()} pass did: the tasks it placed, in order,
 * each with the victims it preempted, and every task still pending with its reason.
 *
 * @param placed the placements made, in the order they were made
 * @param pending the tasks still pending after the pass, in arrival order
 */
public record SchedulingPass(List<PreemptionOutcome> placed, List<PendingTask> pending) {
  public SchedulingPass {
    placed = List.copyOf(placed);
    pending = List.copyOf(pending);
  }

  /** How many tasks the pass preempted. */
  public int preemptions() {
    int n = 0;
    for (PreemptionOutcome o : placed) {
      n += o.preempted().size();
    }
    return n;
  }
}
