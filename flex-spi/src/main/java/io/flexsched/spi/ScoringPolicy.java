package io.flexsched.spi;

import io.flexsched.model.Task;

/**
 * Ranks the nodes a task fits on, and picks the devices it would take on each.
 *
 * <p>The engine calls {@link #score} only for nodes that passed its feasibility filter (CPU,
 * memory, device models, device capacity), takes the highest score, and breaks ties with a
 * seeded, uniform random rule. A policy that returns the same score and choice for the same node
 * state and the same task shape should say so with {@link #dependsOnlyOnNodeState()}; the engine
 * then caches its answers by node state.
 */
public interface ScoringPolicy {
  /** The policy's name, e.g. {@code fgd}. */
  String name();

  /**
   * Scores placing {@code task} on {@code node}; higher wins. Writes the devices the task would
   * take on that node into {@code choice} (which arrives empty): exactly
   * {@code task.accelerators().count()} devices that can each host the request, with a profile
   * start for profile requests.
   *
   * @return a finite score
   */
  double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context);

  /**
   * True when {@link #score} depends only on the node's state and on the task's shape: then the
   * engine reuses an answer until the node changes, and shares it between nodes in the same state.
   * A node's state is its specification apart from its name (models, capacities, labels, links,
   * topology), its free counters and the shapes of the tasks on it; a task's shape is every field
   * but its id. A policy that reads a node's name or ordinal, a task's id, the decision's sequence
   * or random draws must return false.
   */
  default boolean dependsOnlyOnNodeState() {
    return true;
  }
}
