package io.flexsched.model;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Validation shared by the model's compact constructors. */
final class Checks {
  private Checks() {}

  static long atLeast(String field, long value, long min) {
    if (value < min) {
      throw new InvalidSpecException(field, value, "must be at least " + min);
    }
    return value;
  }

  static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new InvalidSpecException(field, value, "must be at least " + min);
    }
    return value;
  }

  static int inRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidSpecException(field, value, "must be in " + min + ".." + max);
    }
    return value;
  }

  static String name(String field, String value) {
    if (value == null || !isName(value)) {
      throw new InvalidSpecException(
          field, value == null ? "null" : "'" + value + "'",
          "must be a non-empty name of letters, digits and ._:/+-");
    }
    return value;
  }

  /**
   * True for {@code [A-Za-z0-9][A-Za-z0-9._:/+-]*}, checked by hand: every placement builds an
   * assignment, and a regular expression there was a tenth of a decision.
   */
  static boolean isName(String value) {
    if (value.isEmpty() || !isAlphanumeric(value.charAt(0))) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isAlphanumeric(c) && c != '.' && c != '_' && c != ':' && c != '/' && c != '+' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  static <T> List<T> copy(String field, Collection<T> values) {
    if (values == null) {
      throw new InvalidSpecException(field, "null", "must not be null");
    }
    for (T v : values) {
      if (v == null) {
        throw new InvalidSpecException(field, values, "must not contain null");
      }
    }
    return List.copyOf(values);
  }

  static Map<String, String> copyLabels(String field, Map<String, String> labels) {
    if (labels == null) {
      throw new InvalidSpecException(field, "null", "must not be null");
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      name(field + " key", e.getKey());
      if (e.getValue() == null) {
        throw new InvalidSpecException(field + "." + e.getKey(), "null", "must not be null");
      }
    }
    return Map.copyOf(labels);
  }

  static <T> void unique(String field, Collection<T> values) {
    var seen = new HashSet<T>();
    for (T v : values) {
      if (!seen.add(v)) {
        throw new InvalidSpecException(field, v, "must not repeat");
      }
    }
  }
}
