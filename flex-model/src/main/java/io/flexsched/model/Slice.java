package io.flexsched.model;

import org.jspecify.annotations.Nullable;

/**
 * The part of one device a task was given.
 *
 * @param device the device's index on the node
 * @param milli compute share in milli (1000 for a whole device; a profile's share of compute)
 * @param memoryMiB device memory reserved
 * @param profile the profile placed, or null
 * @param start the first slot of the profile, or -1 when it has no position
 */
public record Slice(int device, int milli, long memoryMiB, @Nullable String profile, int start) {
  public Slice {
    Checks.atLeast("slice.device", device, 0);
    Checks.inRange("slice.milli", milli, 0, DeviceModel.WHOLE_MILLI);
    Checks.atLeast("slice.memoryMiB", memoryMiB, 0);
    Checks.atLeast("slice.start", start, -1);
    if (profile == null && start != -1) {
      throw new InvalidSpecException("slice.start", start, "must be -1 without a profile");
    }
  }

  /** A compute share (or a whole device, with {@code milli} 1000) without a profile. */
  public static Slice share(int device, int milli, long memoryMiB) {
    return new Slice(device, milli, memoryMiB, null, -1);
  }
}
