package io.flexsched.core;

import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a cluster's current state: its nodes, what is placed where, and how much
 * accelerator compute is given out. It follows the engine it came from (read it on that engine's
 * thread); it cannot change anything.
 */
public interface ClusterView {
  /** The live nodes, in the order they joined. */
  List<Node> nodes();

  /**
   * The named node's current state. It reflects later changes; do not hold it across changes if a
   * stable picture is needed.
   *
   * @throws io.flexsched.model.InvalidSpecException naming the field {@code node} when there is no such node
   */
  NodeView node(String name);

  /** True when the named live node is fenced: it keeps its tasks but takes no new ones. */
  boolean isFenced(String name);

  /** Every current assignment, in placement order. */
  List<Assignment> assignments();

  /** The assignment of a placed task. */
  Optional<Assignment> assignment(String taskId);

  /** The placed task with this id. */
  Optional<Task> task(String taskId);

  /** Total compute of the live nodes' devices, in milli (1000 per device). */
  long capacityMilli();

  /** Compute currently given to tasks, in milli. */
  long allocatedMilli();
}
