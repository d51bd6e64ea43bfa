package io.flexsched.core;

import io.flexsched.model.Task;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A task still waiting in a {@link SchedulingQueue}, and why.
 *
 * @param task the task
 * @param cause the main reason
 * @param nodes per rejection reason, how many nodes turned it down in its last attempt (for a
 *     quota, every live node counts as {@link RejectReason#QUOTA}); empty when it was not tried
 * @param detail one human-readable sentence naming what blocks it (a queue, a task, a node)
 */
public record PendingTask(Task task, PendingCause cause, Map<RejectReason, Integer> nodes, String detail) {
  public PendingTask {
    nodes = Collections.unmodifiableMap(nodes.isEmpty() ? new EnumMap<>(RejectReason.class) : new EnumMap<>(nodes));
  }

  /** This reason for another task of the same shape. */
  PendingTask of(Task other) {
    return new PendingTask(other, cause, nodes, detail);
  }
}
