package io.flexsched.spi;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Task;
import java.util.List;

/**
 * A read-only view of one node's current state, as a policy sees it during a decision.
 *
 * <p>The engine may hand the same view object out positioned on different nodes: a policy must
 * not keep a reference to it beyond the call it was given in.
 */
public interface NodeView {
  /** Returned by {@link #firstFreeStart} when the profile fits nowhere on the device. */
  int NO_START = -2;

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

  /**
   * The summed weights of the time slices on a {@link SharingMode#TIME_SLICED} device (a plain
   * share there counts weight 1); 0 for other models and idle devices. Its free time share, the
   * part no quota guarantees, is {@link #freeMilli}: with every resident busy, a slice of quota q
   * and weight w gets about {@code q + freeMilli * w / weights}.
   */
  default long timeSliceWeights(int device) {
    return 0;
  }

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

  /**
   * The tasks currently placed on the node, in placement order: those whose CPU and memory are
   * here, and those that use its devices from another node ({@code Assignment.deviceNode()}).
   */
  List<Task> tasks();

  /**
   * The rules by which devices of this node are chosen and combined: a hardware provider's for
   * its models, {@link DeviceRules#standard()} otherwise.
   */
  default DeviceRules deviceRules() {
    return DeviceRules.standard();
  }
  /**
   * True when device {@code device} can host one device's worth of {@code request} now: the rule
   * the engine's filter and every built-in policy share.
   *
   * <ul>
   *   <li>a whole device (1000 milli, no profile) needs an idle device of an allowed model (a
   *       time slice of quota 1000, an idle time-sliced one);
   *   <li>a share (below 1000 milli) needs a fractional or time-sliced device of an allowed model,
   *       in a multiple of its granularity, with at least that much compute and memory free and a
   *       sharer free; a time slice (below 1000 milli of quota) the same of a time-sliced device;
   *   <li>a profile needs a profile-partitioned device of an allowed model that has the profile,
   *       with its compute units and memory free and, where the model has slots, a free run of
   *       slots at an allowed start.
   * </ul>
   */
  default boolean canHost(int device, AcceleratorRequest request) {
    DeviceModel model = model(device);
    if (!request.allows(model)) {
      return false;
    }
    String profileName = request.profile();
    if (profileName != null) {
      Profile p = model.profile(profileName).orElse(null);
      return p != null && firstFreeStart(device, p) != NO_START;
    }
    if (request.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      return isIdle(device) && request.couldBeServedBy(model);
    }
    return request.couldBeServedBy(model)
        && freeMilli(device) >= request.milliPerDevice()
        && freeDeviceMemoryMiB(device) >= request.memoryMiBPerDevice()
        && freeSharers(device) > 0;
  }

  /**
   * The lowest allowed start at which {@code profile} fits on device {@code device} now, -1 for a
   * profile without slots that fits, or {@link #NO_START}.
   */
  default int firstFreeStart(int device, Profile profile) {
    if (freeComputeUnits(device) < profile.computeUnits()
        || freeDeviceMemoryMiB(device) < profile.memoryMiB()
        || freeSharers(device) <= 0) {
      return NO_START;
    }
    if (profile.slots() == 0) {
      return -1;
    }
    long free = freeSlots(device);
    for (int start : profile.starts()) {
      long mask = profile.slotMask(start);
      if ((free & mask) == mask) {
        return start;
      }
    }
    return NO_START;
  }

  /** How many devices of the node can each host one device's worth of {@code request} now. */
  default int hostableDevices(AcceleratorRequest request) {
    int n = 0;
    for (int d = 0; d < deviceCount(); d++) {
      if (canHost(d, request)) {
        n++;
      }
    }
    return n;
  }
}
