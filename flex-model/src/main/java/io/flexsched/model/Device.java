package io.flexsched.model;

/**
 * One accelerator on a node.
 *
 * @param index its index on the node, 0-based (what a task's assignment names)
 * @param model what kind of accelerator it is
 */
public record Device(int index, DeviceModel model) {
  public Device {
    Checks.atLeast("device.index", index, 0);
    if (model == null) {
      throw new InvalidSpecException("device " + index + " model", "null", "must not be null");
    }
  }
}
