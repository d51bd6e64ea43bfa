package io.flexsched.core;

import io.flexsched.model.Assignment;
import java.util.List;

/**
 * The outcome of placing a task with preemption: the engine's decision and, when it was placed
 * by evicting others, the assignments those victims held.
 *
 * @param decision where the task went, or why it did not fit even after evictions were considered
 * @param preempted the victims' former assignments, in eviction order; empty when nobody was evicted
 */
public record PreemptionOutcome(Decision decision, List<Assignment> preempted) {
  public PreemptionOutcome {
    preempted = List.copyOf(preempted);
    if (!decision.placed() && !preempted.isEmpty()) {
      throw new IllegalArgumentException("task " + decision.task().id() + " was not placed, so it preempted nobody");
    }
  }

  /** True when the task was placed. */
  public boolean placed() {
    return decision.placed();
  }

  /** The victims' task ids, in eviction order. */
  public List<String> preemptedIds() {
    return preempted.stream().map(Assignment::task).toList();
  }
}
