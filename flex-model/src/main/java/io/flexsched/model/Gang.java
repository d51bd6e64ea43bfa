package io.flexsched.model;

import org.jspecify.annotations.Nullable;

/**
 * Membership of a gang: tasks placed all together or not at all.
 *
 * @param name the gang's name, shared by its members
 * @param size how many members make it complete, at least 1
 * @param topologyLevel the domain level its members should share (e.g. {@code rack}), or null
 * @param required true when the level is a hard constraint, false when only preferred
 * @param minBandwidth the least network bandwidth allowed between any two of its members' nodes,
 *     in the units of the scheduler's network matrix; 0 = no limit. Members on one node, or in one
 *     domain of the network's level, are always close enough.
 */
public record Gang(String name, int size, @Nullable String topologyLevel, boolean required, int minBandwidth) {
  public Gang {
    Checks.name("gang.name", name);
    Checks.atLeast("gang.size", size, 1);
    if (topologyLevel != null) {
      Checks.name("gang.topology", topologyLevel);
    } else if (required) {
      throw new InvalidSpecException("gang.required", true, "needs a gang.topology level");
    }
    Checks.atLeast("gang.minBandwidth", minBandwidth, 0);
  }

  /** A gang without a bandwidth limit. */
  public Gang(String name, int size, @Nullable String topologyLevel, boolean required) {
    this(name, size, topologyLevel, required, 0);
  }

  /** This gang with the least bandwidth allowed between its members' nodes. */
  public Gang withMinBandwidth(int value) {
    return new Gang(name, size, topologyLevel, required, value);
  }
}
