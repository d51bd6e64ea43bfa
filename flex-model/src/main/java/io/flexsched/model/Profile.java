package io.flexsched.model;

import java.util.List;

/**
 * A fixed partition of a profile-partitioned device: an NVIDIA MIG profile or an Ascend vNPU
 * template.
 *
 * @param name the profile's name, e.g. {@code 3g.20gb}
 * @param slots contiguous memory slots it takes; 0 for templates without placement geometry
 * @param computeUnits compute units it consumes
 * @param memoryMiB device memory it provides
 * @param starts slot positions at which it may start (empty when {@code slots} is 0)
 */
public record Profile(String name, int slots, int computeUnits, long memoryMiB, List<Integer> starts) {
  public Profile {
    Checks.name("profile.name", name);
    Checks.atLeast("profile " + name + " slots", slots, 0);
    Checks.atLeast("profile " + name + " computeUnits", computeUnits, 1);
    Checks.atLeast("profile " + name + " memoryMiB", memoryMiB, 1);
    starts = Checks.copy("profile " + name + " starts", starts);
    Checks.unique("profile " + name + " starts", starts);
    if (slots == 0 && !starts.isEmpty()) {
      throw new InvalidSpecException(
          "profile " + name + " starts", starts, "must be empty for a profile without slots");
    }
    if (slots > 0 && starts.isEmpty()) {
      throw new InvalidSpecException(
          "profile " + name + " starts", starts, "must list at least one start for a profile with slots");
    }
    for (int s : starts) {
      Checks.atLeast("profile " + name + " starts", s, 0);
    }
  }

  /** A profile that takes {@code slots} contiguous slots at one of {@code starts}. */
  public static Profile of(String name, int slots, int computeUnits, long memoryMiB, Integer... starts) {
    return new Profile(name, slots, computeUnits, memoryMiB, List.of(starts));
  }

  /** A template without placement geometry: it consumes only compute units and memory. */
  public static Profile template(String name, int computeUnits, long memoryMiB) {
    return new Profile(name, 0, computeUnits, memoryMiB, List.of());
  }

  /** The slot positions this profile covers when placed at {@code start}, as a bit mask. */
  public long slotMask(int start) {
    // -1L >>> (64 - slots), not (1L << slots) - 1: a shift by 64 is a shift by 0 in Java.
    return slots == 0 ? 0L : (-1L >>> (Long.SIZE - slots)) << start;
  }
}
