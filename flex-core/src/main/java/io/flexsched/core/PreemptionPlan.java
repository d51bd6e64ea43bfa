package io.flexsched.core;

import io.flexsched.model.Task;
import io.flexsched.spi.Victim;
import io.flexsched.spi.VictimCost;
import java.util.List;

/**
 * A preemption worked out but not applied: the preemptors, the victims a
 * {@link io.flexsched.spi.PreemptionPolicy} chose to evict for them, and what that costs.
 * {@link Preemption#commit} applies it only if every preemptor then fits.
 *
 * @param preemptors the tasks to place (one, or a gang's members)
 * @param victims the placed tasks to evict; empty when the preemptors fit without evictions
 * @param cost what evicting the victims costs
 * @param policy the name of the policy that chose them
 */
public record PreemptionPlan(List<Task> preemptors, List<Victim> victims, VictimCost cost, String policy) {
  public PreemptionPlan {
    preemptors = List.copyOf(preemptors);
    victims = List.copyOf(victims);
  }

  /** The victims' task ids, in eviction order. */
  public List<String> victimIds() {
    return victims.stream().map(Victim::id).toList();
  }
}
