package io.flexsched.model;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation shared by the model's compact constructors. */
final class Checks {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/+-]*");

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
    if (value == null || !NAME.matcher(value).matches()) {
      throw new InvalidSpecException(
          field, value == null ? "null" : "'" + value + "'",
          "must be a non-empty name of letters, digits and ._:/+-");
    }
    return value;
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
