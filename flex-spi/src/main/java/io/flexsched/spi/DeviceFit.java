package io.flexsched.spi;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;

/**
 * Whether one device can host one device's worth of a request: the rule the engine's filter and
 * every built-in policy share.
 *
 * <ul>
 *   <li>a whole device (1000 milli, no profile) needs an idle device of an allowed model;
 *   <li>a share (below 1000 milli) needs a fractional device of an allowed model, in a multiple
 *       of its granularity, with at least that much compute and memory free and a sharer free;
 *   <li>a profile needs a profile-partitioned device of an allowed model that has the profile,
 *       with its compute units and memory free and, where the model has slots, a free run of
 *       slots at an allowed start.
 * </ul>
 */
public final class DeviceFit {
  private DeviceFit() {}

  /**
   * True when a device of {@code model}, free, could host one device's worth of {@code request}:
   * an allowed model that has the request's profile, or for a whole device enough memory, or for a
   * share fractional sharing in a multiple of its granularity. Whether a device can host it now
   * is {@link #canHost}.
   */
  public static boolean couldServe(DeviceModel model, AcceleratorRequest request) {
    if (!request.allows(model)) {
      return false;
    }
    if (request.profile() != null) {
      return model.sharing() == SharingMode.PROFILES && model.profile(request.profile()).isPresent();
    }
    return request.milliPerDevice() == DeviceModel.WHOLE_MILLI
        ? request.memoryMiBPerDevice() <= model.memoryMiB()
        : model.sharing() == SharingMode.FRACTIONAL && request.milliPerDevice() % model.granularityMilli() == 0;
  }

  /** True when device {@code device} of {@code node} can host one device's worth of {@code request}. */
  public static boolean canHost(NodeView node, int device, AcceleratorRequest request) {
    DeviceModel model = node.model(device);
    if (!request.allows(model)) {
      return false;
    }
    String profileName = request.profile();
    if (profileName != null) {
      Profile p = model.profile(profileName).orElse(null);
      return p != null && firstFreeStart(node, device, p) != NO_START;
    }
    if (request.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      return node.isIdle(device) && request.memoryMiBPerDevice() <= model.memoryMiB();
    }
    return model.sharing() == SharingMode.FRACTIONAL
        && request.milliPerDevice() % model.granularityMilli() == 0
        && node.freeMilli(device) >= request.milliPerDevice()
        && node.freeDeviceMemoryMiB(device) >= request.memoryMiBPerDevice()
        && node.freeSharers(device) > 0;
  }

  /** Returned by {@link #firstFreeStart} when the profile fits nowhere on the device. */
  public static final int NO_START = -2;

  /**
   * The lowest allowed start at which {@code profile} fits on the device, -1 for a profile
   * without slots that fits, or {@link #NO_START}.
   */
  public static int firstFreeStart(NodeView node, int device, Profile profile) {
    if (node.freeComputeUnits(device) < profile.computeUnits()
        || node.freeDeviceMemoryMiB(device) < profile.memoryMiB()
        || node.freeSharers(device) <= 0) {
      return NO_START;
    }
    if (profile.slots() == 0) {
      return -1;
    }
    long free = node.freeSlots(device);
    for (int start : profile.starts()) {
      long mask = profile.slotMask(start);
      if ((free & mask) == mask) {
        return start;
      }
    }
    return NO_START;
  }

  /** How many devices of {@code node} can each host one device's worth of {@code request}. */
  public static int hostableDevices(NodeView node, AcceleratorRequest request) {
    int n = 0;
    for (int d = 0; d < node.deviceCount(); d++) {
      if (canHost(node, d, request)) {
        n++;
      }
    }
    return n;
  }
}
