package io.flexsched.spi;

import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;

/**
 * A read-only view of one node's current state, as a policy sees it during a decision.
 *
 * <p>The engine may hand the same view object out positioned on different nodes: a policy must
 * not keep a reference to it beyond the call it was given in.
 */
public interface NodeView {
  /** The node's stable ordinal in the cluster (never reused while the engine lives). */
  int ordinal();

  /** The node's specification. */
  Node spec();

  /**
   * A stamp that changes whenever anything about this node's state changes (a placement, a
   * release, a removal). Two calls that return the same stamp saw the same state, so a policy may
   * cache what depends only on the node's state under it.
   */
  long stateStamp();

  /** Free CPU in milli-cores. */
  long freeCpuMilli();

  /** Free host memory in MiB. */
  long freeMemoryMiB();

  /** Number of devices on the node. */
  int deviceCount();

  /** The model of device {@code device}. */
  DeviceModel model(int device);

  /** Free compute share of the device, in milli (1000 = untouched). */
  int freeMilli(int device);

  /** Free device memory, in MiB. */
  long freeDeviceMemoryMiB(int device);

  /** How many more tasks may share the device. */
  int freeSharers(int device);

  /** Free compute units of a profile-partitioned device (0 for other models). */
  int freeComputeUnits(int device);

  /** Free slots of a profile-partitioned device, as a bit mask (bit i = slot i free). */
  long freeSlots(int device);

  /** True when nothing is placed on the device. */
  boolean isIdle(int device);

  /** Total free compute share over all devices, in milli. */
  long totalFreeMilli();

  /** Number of devices with nothing placed on them. */
  int idleDevices();

  /** The tasks currently placed on the node, in placement order. */
  List<Task> tasks();

  /**
   * The rules by which devices of this node are chosen and combined: a hardware provider's for
   * its models, {@link DeviceRules#standard()} otherwise.
   */
  default DeviceRules deviceRules() {
    return DeviceRules.standard();
  }
}
