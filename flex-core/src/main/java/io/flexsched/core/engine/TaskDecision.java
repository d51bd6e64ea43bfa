package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.model.Assignment;
import io.flexsched.model.Task;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One task's decision inside the engine: where it went, or per reason how many nodes rejected it.
 *
 * @param task the task
 * @param assignment where it went, or null
 * @param reasons for a task not placed, the per-reason counts (empty when placed)
 */
record TaskDecision(Task task, @Nullable Assignment assignment, Map<RejectReason, Integer> reasons) {
  boolean placed() {
    return assignment != null;
  }
}
