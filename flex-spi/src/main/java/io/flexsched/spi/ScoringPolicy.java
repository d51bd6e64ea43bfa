package io.flexsched.spi;

import io.flexsched.model.Task;

/**
 * Ranks the nodes a task fits on, and picks the devices it would take on each.
 *
 * <p>The engine calls {@link #score} only for nodes that passed its feasibility filter (CPU,
 * memory, device models, device capacity, the node's device rules), takes the highest score, and
 * breaks ties with a seeded rule. A policy that returns the same score and choice for the same
 * node state and the same task shape says so with {@link #dependsOnlyOnNodeState()}; the engine
 * then caches its answers by node state.
 *
 * <p>The engine treats a policy as untrusted: an exception, a score that is not finite, or a
 * device choice that does not fit is reported as a {@code PolicyException} naming the policy, the
 * node and the task, and the operation that asked changes nothing.
 */
public interface ScoringPolicy {
  /** The policy's name, e.g. {@code fgd}. */
  String name();

  /**
   * Scores placing {@code task} on {@code node}; higher wins. Writes the devices the task would
   * take on that node into {@code choice} (which arrives empty): exactly
   * {@code task.accelerators().count()} devices that can each host the request, with a profile
   * start for profile requests. {@link #selectDevices} is the usual choice.
   *
   * @return a finite score
   */
  double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context);

  /**
   * The devices {@code task} takes on {@code node} when the policy has no preference of its own:
   * the node's {@link NodeView#deviceRules() device rules} choose (for standard hardware, best fit
   * made aware of links and of profile geometry; see {@link DeviceRules#standard()}).
   *
   * @return false when no set of devices on the node satisfies the rules
   */
  default boolean selectDevices(Task task, NodeView node, DeviceChoice choice) {
    return node.deviceRules().select(task, node, choice);
  }

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

  /**
   * How many nodes the engine asks about for one decision. 0, the default: every node the task
   * fits is scored and the best wins. {@code k > 0}: the engine draws {@code k} nodes uniformly and
   * independently from the nodes the task fits (one node may be drawn twice), scores only those and
   * the best wins: Sparrow's "power of k choices", at O(k log n) a decision whatever the cluster's
   * size and fill. A policy that wants a uniformly random feasible node returns 1 (its score then
   * only chooses the devices). The draws come from the decision's random stream, so decisions stay
   * reproducible; the engine asks once, when it is built.
   */
  default int sampleSize() {
    return 0;
  }

  /**
   * A named factory of scoring policies, discovered with {@link java.util.ServiceLoader} (list the
   * implementation in {@code META-INF/services/io.flexsched.spi.ScoringPolicy$Provider}, or
   * {@code provides io.flexsched.spi.ScoringPolicy.Provider} in {@code module-info}).
   */
  interface Provider {
    /** The name users select the policy by, e.g. {@code fgd}; lower-case, unique. */
    String name();

    /** One sentence on what the policy does. */
    String description();

    /** A new policy instance for one engine (policies need not be thread-safe). */
    ScoringPolicy create(PolicyContext context);
  }
}
