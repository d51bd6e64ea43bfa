package io.flexsched.spi;

import io.flexsched.model.Task;

/** Picks the devices a task takes on one node it fits on. */
@FunctionalInterface
public interface DeviceSelector {
  /**
   * Writes into {@code choice} (which arrives empty) the devices {@code task} takes on
   * {@code node}: exactly {@code task.accelerators().count()} devices that can each host it.
   *
   * @return false when the task cannot be hosted on the node after all
   */
  boolean select(Task task, NodeView node, DeviceChoice choice, DecisionContext context);

  /**
   * The node's own device rules ({@link NodeView#deviceRules()}): for standard hardware, best fit
   * (the FGD paper's default) made aware of links and of profile geometry; see
   * {@link DeviceRules#standard()}.
   */
  static DeviceSelector bestFit() {
    return (task, node, choice, context) -> node.deviceRules().select(task, node, choice);
  }
}
