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
   * Best fit, the FGD paper's default: a share goes to the fitting devices with the least free
   * compute (ties to the lowest index); whole devices are the lowest-indexed idle ones; a profile
   * goes to the fitting device with the fewest free compute units, at its lowest free start.
   */
  static DeviceSelector bestFit() {
    return BestFitSelector.INSTANCE;
  }
}
