package io.flexsched.core;

import io.flexsched.model.Assignment;
import java.util.List;

/**
 * The outcome of placing a gang with preemption: the engine's gang decision and, when the gang
 * was placed by evicting others, the assignments those victims held (possibly on several nodes).
 *
 * @param decision where the members went, or why the gang did not fit even after evictions were
 *     considered
 * @param preempted the victims' former assignments, in eviction order; empty when nobody was evicted
 */
public record GangPreemptionOutcome(GangDecision decision, List<Assignment> preempted) {
  public GangPreemptionOutcome {
    preempted = List.copyOf(preempted);
    if (!decision.placed() && !preempted.isEmpty()) {
      throw new IllegalArgumentException("gang " + decision.gang().name() + " was not placed, so it preempted nobody");
    }
  }

  /** True when every member was placed. */
  public boolean placed() {
    return decision.placed();
  }

  /** The victims' task ids, in eviction order. */
  public List<String> preemptedIds() {
    return preempted.stream().map(Assignment::task).toList();
  }
}
