package io.flexsched.model;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of accelerator: who makes it, how much it has, and how it can be shared.
 *
 * <p>Every sharing mode is expressed as counters the device publishes and a placement consumes
 * (the Kubernetes DRA partitionable-device model): a whole device consumes all 1000 compute milli; a fractional share consumes some
 * milli, some memory and one sharer; a time slice consumes its quota of the device's time in milli,
 * some memory and one sharer (its weight is kept beside the counters); a profile consumes compute
 * units, memory and a run of slots.
 *
 * @param name the model's name, e.g. {@code A100-40GB}
 * @param vendor who makes it, e.g. {@code nvidia}
 * @param memoryMiB device memory
 * @param sharing how it can be shared
 * @param granularityMilli the step of a fractional share (1000 for whole devices)
 * @param maxSharers how many tasks may share one device at once
 * @param slots memory slots of a profile-partitioned device (0 otherwise, or for templates)
 * @param computeUnits compute units of a profile-partitioned device (0 otherwise)
 * @param profiles the profiles of a profile-partitioned device (empty otherwise)
 * @param attributes vendor facts a hardware provider reads, e.g. {@code ringSize=4}
 */
public record DeviceModel(
    String name,
    String vendor,
    long memoryMiB,
    SharingMode sharing,
    int granularityMilli,
    int maxSharers,
    int slots,
    int computeUnits,
    List<Profile> profiles,
    Map<String, String> attributes) {

  /** One whole device, in compute milli. */
  public static final int WHOLE_MILLI = 1000;

  /** The largest number of slots a device may have (slot sets are 64-bit masks). */
  public static final int MAX_SLOTS = 64;

  public DeviceModel {
    Checks.name("model.name", name);
    Checks.name("model " + name + " vendor", vendor);
    Checks.atLeast("model " + name + " memoryMiB", memoryMiB, 1);
    if (sharing == null) {
      throw new InvalidSpecException("model " + name + " sharing", "null", "must be whole, fractional or profiles");
    }
    profiles = Checks.copy("model " + name + " profiles", profiles);
    attributes = Checks.copyLabels("model " + name + " attributes", attributes);
    switch (sharing) {
      case WHOLE -> {
        requireEqual(name, "granularityMilli", granularityMilli, WHOLE_MILLI, "whole");
        requireEqual(name, "maxSharers", maxSharers, 1, "whole");
        requireNoProfiles(name, slots, computeUnits, profiles, "whole");
      }
      case FRACTIONAL, TIME_SLICED -> {
        Checks.inRange("model " + name + " granularityMilli", granularityMilli, 1, WHOLE_MILLI);
        if (WHOLE_MILLI % granularityMilli != 0) {
          throw new InvalidSpecException(
              "model " + name + " granularityMilli", granularityMilli, "must divide 1000");
        }
        Checks.atLeast("model " + name + " maxSharers", maxSharers, 1);
        requireNoProfiles(name, slots, computeUnits, profiles, sharing == SharingMode.FRACTIONAL ? "fractional" : "time-sliced");
      }
      case PROFILES -> {
        requireEqual(name, "granularityMilli", granularityMilli, WHOLE_MILLI, "profiles");
        Checks.inRange("model " + name + " slots", slots, 0, MAX_SLOTS);
        Checks.atLeast("model " + name + " computeUnits", computeUnits, 1);
        Checks.atLeast("model " + name + " maxSharers", maxSharers, 1);
        if (profiles.isEmpty()) {
          throw new InvalidSpecException(
              "model " + name + " profiles", "[]", "must list at least one profile when sharing is profiles");
        }
        var names = new HashSet<String>();
        for (Profile p : profiles) {
          if (!names.add(p.name())) {
            throw new InvalidSpecException("model " + name + " profiles", p.name(), "must not repeat a name");
          }
          validateProfile(name, slots, computeUnits, memoryMiB, p);
        }
      }
    }
  }

  private static void validateProfile(String model, int slots, int computeUnits, long memoryMiB, Profile p) {
    String field = "model " + model + " profile " + p.name();
    if (p.computeUnits() > computeUnits) {
      throw new InvalidSpecException(field + " computeUnits", p.computeUnits(), "must be at most the model's " + computeUnits);
    }
    if (p.memoryMiB() > memoryMiB) {
      throw new InvalidSpecException(field + " memoryMiB", p.memoryMiB(), "must be at most the model's " + memoryMiB);
    }
    if (slots == 0 && p.slots() != 0) {
      throw new InvalidSpecException(field + " slots", p.slots(), "must be 0 on a model without slots");
    }
    if (p.slots() > slots) {
      throw new InvalidSpecException(field + " slots", p.slots(), "must be at most the model's " + slots);
    }
    for (int s : p.starts()) {
      if ((long) s + p.slots() > slots) { // long: a start near Integer.MAX_VALUE must not wrap
        throw new InvalidSpecException(
            field + " starts", s, "must leave room for " + p.slots() + " slots within " + slots);
      }
    }
  }

  private static void requireEqual(String model, String field, int value, int expected, String mode) {
    if (value != expected) {
      throw new InvalidSpecException("model " + model + " " + field, value, "must be " + expected + " when sharing is " + mode);
    }
  }

  private static void requireNoProfiles(String model, int slots, int computeUnits, List<Profile> profiles, String mode) {
    if (slots != 0) {
      throw new InvalidSpecException("model " + model + " slots", slots, "must be 0 when sharing is " + mode);
    }
    if (computeUnits != 0) {
      throw new InvalidSpecException("model " + model + " computeUnits", computeUnits, "must be 0 when sharing is " + mode);
    }
    if (!profiles.isEmpty()) {
      throw new InvalidSpecException(
          "model " + model + " profiles", profiles.get(0).name(), "are only allowed when sharing is profiles");
    }
  }

  /** A model handed out only as whole devices. */
  public static DeviceModel whole(String vendor, String name, long memoryMiB) {
    return new DeviceModel(name, vendor, memoryMiB, SharingMode.WHOLE, WHOLE_MILLI, 1, 0, 0, List.of(), Map.of());
  }

  /**
   * A model shared in fractions of compute plus a memory quota.
   *
   * @param granularityMilli the step of a share, dividing 1000 (e.g. 50 for 5 %)
   * @param maxSharers how many tasks may share one device; {@link Integer#MAX_VALUE} for no limit
   */
  public static DeviceModel fractional(String vendor, String name, long memoryMiB, int granularityMilli, int maxSharers) {
    return new DeviceModel(
        name, vendor, memoryMiB, SharingMode.FRACTIONAL, granularityMilli, maxSharers, 0, 0, List.of(), Map.of());
  }

  /**
   * A model time-sliced between tasks by quota and weight ({@link SharingMode#TIME_SLICED}).
   *
   * @param granularityMilli the step of a quota, dividing 1000 (Flex:ai's NPU time slices: 50, 5 %)
   * @param maxSharers how many tasks may share one device (Flex:ai's: 20); {@link Integer#MAX_VALUE} for no limit
   */
  public static DeviceModel timeSliced(String vendor, String name, long memoryMiB, int granularityMilli, int maxSharers) {
    return new DeviceModel(
        name, vendor, memoryMiB, SharingMode.TIME_SLICED, granularityMilli, maxSharers, 0, 0, List.of(), Map.of());
  }

  /** True when devices of this model are shared by compute milli, as a fraction or as a time slice. */
  public boolean sharesCompute() {
    return sharing == SharingMode.FRACTIONAL || sharing == SharingMode.TIME_SLICED;
  }

  /** A model partitioned into fixed profiles. */
  public static DeviceModel partitioned(
      String vendor, String name, long memoryMiB, int slots, int computeUnits, List<Profile> profiles) {
    return new DeviceModel(
        name, vendor, memoryMiB, SharingMode.PROFILES, WHOLE_MILLI, Integer.MAX_VALUE, slots, computeUnits, profiles, Map.of());
  }

  /** This model with one more attribute. */
  public DeviceModel withAttribute(String key, String value) {
    var copy = new java.util.HashMap<>(attributes);
    copy.put(key, value);
    return new DeviceModel(name, vendor, memoryMiB, sharing, granularityMilli, maxSharers, slots, computeUnits, profiles, copy);
  }

  /** The profile with this name, if the model has it. */
  public Optional<Profile> profile(String profileName) {
    for (Profile p : profiles) {
      if (p.name().equals(profileName)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The compute share of {@code profile} in milli of a whole device, rounded down. */
  public int profileMilli(Profile profile) {
    return (int) ((long) profile.computeUnits() * WHOLE_MILLI / computeUnits);
  }
}
