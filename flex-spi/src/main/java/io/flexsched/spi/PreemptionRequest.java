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
public record PreemptionRequest(List<Task> preemptors, List<Candidate> candidates) {
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
    for (Candidate c : candidates) {
      all.addAll(c.victims());
    }
    return all;
  }

  /**
   * A node on which a preemptor's victims may be found: its current state and the placed tasks on
   * it that the preemptor may evict.
   *
   * @param node the node's name
   * @param view its state before any eviction (do not read it from inside a
   *     {@link PreemptionPolicy.FitProbe} call)
   * @param victims the tasks on it that may be evicted, in placement order
   */
  public record Candidate(String node, NodeView view, List<Victim> victims) {
    public Candidate {
      victims = List.copyOf(victims);
    }
  }
}
