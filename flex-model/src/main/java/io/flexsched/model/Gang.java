package io.flexsched.model;

import org.jspecify.annotations.Nullable;

/**
 * Membership of a gang: tasks placed all together or not at all.
 *
 * @param name the gang's name, shared by its members
 * @param size how many members make it complete, at least 1
 * @param topologyLevel the domain level its members should share (e.g. {@code rack}), or null
 * @param required true when the level is a hard constraint, false when only preferred
 */
public record Gang(String name, int size, @Nullable String topologyLevel, boolean required) {
  public Gang {
    Checks.name("gang.name", name);
    Checks.atLeast("gang.size", size, 1);
    if (topologyLevel != null) {
      Checks.name("gang.topology", topologyLevel);
    } else if (required) {
      throw new InvalidSpecException("gang.required", true, "needs a gang.topology level");
    }
  }
}
