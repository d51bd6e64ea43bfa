package io.flexsched.core;

import io.flexsched.model.Assignment;
import io.flexsched.model.Task;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one placement attempt: the assignment, or why no node would take the task.
 *
 * @param task the task
 * @param assignment where it went, or null when it was not placed
 * @param reasons for an unplaced task, per reason how many nodes rejected it (empty when placed)
 */
public record Decision(Task task, @Nullable Assignment assignment, Map<RejectReason, Integer> reasons) {
  public Decision {
    reasons = Collections.unmodifiableMap(reasons.isEmpty() ? new EnumMap<>(RejectReason.class) : new EnumMap<>(reasons));
  }

  /** True when the task was placed. */
  public boolean placed() {
    return assignment != null;
  }
}
