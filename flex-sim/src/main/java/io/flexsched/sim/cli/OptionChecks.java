package io.flexsched.sim.cli;

import io.flexsched.model.InvalidSpecException;
import java.nio.file.Path;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** Checks of command-line options shared by the commands, each failing with a typed error naming the option. */
final class OptionChecks {
  private OptionChecks() {}

  /** {@code --nodes} and {@code --pods} come together or not at all. */
  static void together(@Nullable Path nodes, @Nullable Path pods) {
    if ((nodes == null) != (pods == null)) {
      throw new InvalidSpecException(nodes == null ? "--nodes" : "--pods", "missing", "must be given together with "
          + (nodes == null ? "--pods" : "--nodes"));
    }
  }

  /** Every value given for {@code option} is one of {@code known}. */
  static void known(String option, Collection<String> given, Collection<String> known) {
    for (String value : given) {
      if (!known.contains(value)) {
        throw new InvalidSpecException(option, "'" + value + "'", "must be one of " + known);
      }
    }
  }
}
