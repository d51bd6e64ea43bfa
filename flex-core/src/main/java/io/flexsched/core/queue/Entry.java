package io.flexsched.core.queue;

import io.flexsched.core.Outcome;
import io.flexsched.core.Resources;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One request in a scheduler: a task or a gang, pending or (per member) running. */
final class Entry {
  /** The first member. */
  final Task task;
  final List<Task> members;
  final long arrival;
  /** What it asks of its queue, summed over its members: accelerator compute, CPU and memory. */
  final long gpuMilli;
  final long cpuMilli;
  final long memoryMiB;
  final Lane lane;
  /** The lowest priority among the members. */
  final int priority;
  /** True when every member is preemptible. */
  final boolean preemptible;
  /** The task under a fixed id: equal for tasks that only differ by id; made when first needed. */
  private Task shape;
  /** How many times later requests were placed past it under backfill. */
  int passes;
  /** Why it waits, as of its last attempt; null until it has been tried. */
  Outcome.Pending reason;
  /** When it first arrived, in the clock's milliseconds. */
  final long arrivedAt;
  /**
   * Each member's expected duration in milliseconds (-1 for unknown), for the queue's order; null
   * under FIFO.
   */
  long @Nullable [] expected;
  /** How long it ran in earlier placements (before preemptions), in the clock's milliseconds. */
  long ran;
  /** Since when it waits (arrival, or its last preemption), in the clock's milliseconds. */
  long waitingSince;
  /** When it was last placed, in the clock's milliseconds. */
  long startedAt;
  /** When it was preempted, oldest first (the first {@code preemptions} elements). */
  long[] preemptedAt = NEVER;
  int preemptions;
  /**
   * For a running gang member: the gang's entry, which keeps its arrival and preemption history
   * and is queued again, whole, when the gang is preempted. Null otherwise.
   */
  @Nullable Entry group;

  private static final long[] NEVER = new long[0];

  /** What it asks of its queue. */
  Resources request() {
    return new Resources(gpuMilli, cpuMilli, memoryMiB);
  }

  Entry(List<Task> members, long arrival, Lane lane, long now) {
    this.waitingSince = now;
    this.arrivedAt = now;
    this.task = members.get(0);
    this.members = List.copyOf(members);
    this.arrival = arrival;
    long gpu = 0;
    long cpu = 0;
    long memory = 0;
    int lowest = task.priority();
    boolean all = true;
    for (Task m : this.members) {
      gpu += m.accelerators().totalMilli();
      cpu += m.cpuMilli();
      memory += m.memoryMiB();
      lowest = Math.min(lowest, m.priority());
      all &= m.preemptible();
    }
    this.gpuMilli = gpu;
    this.cpuMilli = cpu;
    this.memoryMiB = memory;
    this.priority = lowest;
    this.preemptible = all;
    this.lane = lane;
  }

  /** The first member under a fixed id, the key of remembered failures (building it validates a task: not for free). */
  Task shape() {
    if (shape == null) {
      shape = task.toBuilder().id("shape").build();
    }
    return shape;
  }

  /** Why it waits: its last attempt's reason, or not tried yet. */
  Outcome.Pending reason() {
    return reason != null ? reason
        : new Outcome.Pending(members, Outcome.Cause.NOT_TRIED, Map.of(), null, "submitted, not tried yet");
  }

  /**
   * Until when damping protects it from preemption: {@code cooling} after a preemption that was the
   * {@code maxPreemptions}-th within {@code window}; {@link Long#MIN_VALUE} when never.
   */
  long protectedUntil(int maxPreemptions, long window, long cooling) {
    long until = Long.MIN_VALUE;
    for (int i = maxPreemptions - 1; i < preemptions; i++) {
      if (preemptedAt[i] - preemptedAt[i - maxPreemptions + 1] <= window) {
        until = Math.max(until, preemptedAt[i] + cooling);
      }
    }
    return until;
  }

  /** Whose preemptions count for it: a running gang member's gang, else itself. */
  Entry history() {
    return group != null ? group : this;
  }

  /** True for a gang (or one of its running members). */
  boolean gang() {
    return task.gang() != null;
  }
}
