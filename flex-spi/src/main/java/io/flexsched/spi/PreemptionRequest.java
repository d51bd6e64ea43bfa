package io.flexsched.spi;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * What a preemption policy is asked: which of these victims to evict so that the preemptors fit.
 * There is one preemptor for a single task and several for a gang, whose members may land on
 * different nodes and whose victims may then span nodes.
 *
 * @param preemptors the tasks to place, none of which fits without evictions
 * @param candidates the nodes with victims the preemptors may evict, in cluster order
 */
public record PreemptionRequest(List<Task> preemptors, List<CandidateNode> candidates) {
  public PreemptionRequest {
    preemptors = List.copyOf(preemptors);
    candidates = List.copyOf(candidates);
    if (preemptors.isEmpty()) {
      throw new InvalidSpecException("preemptors", "[]", "must name at least one task");
    }
  }

  /** True for a single task, false for a gang of several. */
  public boolean single() {
    return preemptors.size() == 1;
  }

  /** Every candidate victim, node by node. */
  public List<Victim> victims() {
    var all = new ArrayList<Victim>();
    for (CandidateNode c : candidates) {
      all.addAll(c.victims());
    }
    return all;
  }
}
