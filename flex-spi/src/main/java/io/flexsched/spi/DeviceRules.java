package io.flexsched.spi;

import io.flexsched.model.Task;

/**
 * How the devices of one kind of hardware are chosen and combined on a node: which sets of
 * devices a request may take (Ascend's HCCS rings, NVLink meshes, MIG geometry), and which of
 * them is best. A {@link HardwareProvider} supplies rules for its models; every other device
 * follows {@link #standard()}.
 *
 * <p>The engine uses the rules in its filter (a node where {@link #select} finds no set does not
 * fit the task), as the default device choice of every built-in policy, and to check any
 * policy's choice ({@link #admits}) before it reserves anything.
 */
public interface DeviceRules {
  /**
   * Writes into {@code choice} (which arrives empty) the devices {@code task} should take on
   * {@code node}, each able to host it ({@link NodeView#canHost}), with a profile start for
   * profile requests.
   *
   * @return false when no set of devices on the node satisfies the rules
   */
  boolean select(Task task, NodeView node, DeviceChoice choice);

  /**
   * True when {@code choice} is a set of devices the rules allow for {@code task} on
   * {@code node} (the engine checks separately that each device can host the task).
   */
  boolean admits(Task task, NodeView node, DeviceChoice choice);

  /**
   * The standard rules: a share goes to the fitting devices with the least free compute (ties to
   * the lowest index); on a node without links whole devices are the lowest-indexed idle ones;
   * on a node with a link matrix a multi-device task takes the set that maximises its weakest
   * link, then the sum of its links, then the links left among the free devices, and
   * {@code minLinkScore} is a hard limit; a profile goes to the fitting device with the fewest
   * free compute units, at the allowed start that keeps the most placements of larger profiles
   * possible on that device.
   */
  static DeviceRules standard() {
    return StandardDeviceRules.INSTANCE;
  }

  /**
   * The standard rules except that a profile takes its lowest free allowed start: the naive
   * baseline that fragmentation-aware start choice is measured against.
   */
  static DeviceRules lowestStartFirst() {
    return StandardDeviceRules.LOWEST_START;
  }
}
