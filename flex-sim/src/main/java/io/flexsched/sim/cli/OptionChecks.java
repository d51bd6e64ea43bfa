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

  /**
   * The number of threads {@code text} asks for: a whole number of at least 1, or {@code auto} for
   * the available processors.
   */
  static int threads(String option, String text) {
    if (text.equals("auto")) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the rule.
    }
    throw new InvalidSpecException(option, "'" + text + "'", "must be a whole number of at least 1, or auto");
  }

  /** A whole-number option of at least {@code min}. */
  static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new InvalidSpecException(option, value, "must be at least " + min);
    }
  }

  /** A number option of at least {@code min} and finite (not NaN, not infinite). */
  static void numberAtLeast(String option, double value, long min) {
    if (!(value >= min && Double.isFinite(value))) {
      throw new InvalidSpecException(option, value, "must be a number of at least " + min);
    }
  }

  /** A fraction option: more than 0, at most 1. */
  static void fraction(String option, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new InvalidSpecException(option, value, "must be in (0, 1]");
    }
  }

  /** A whole number of at least {@code min} given as {@code text}. */
  static int wholeAtLeast(String option, String text, int min) {
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the rule.
    }
    throw new InvalidSpecException(option, "'" + text + "'", "must be a whole number of at least " + min);
  }
}
