package io.flexsched.testkit;

import java.util.ArrayList;
import java.util.List;

/** Collects violations, keeping the first few of each kind so a report stays readable. */
final class Violations {
  private static final int MAX = 25;
  private final List<String> found = new ArrayList<>();

  void check(boolean ok, String message) {
    if (!ok && found.size() < MAX) {
      found.add(message);
    }
  }

  void throwIfAny(String subject) {
    if (!found.isEmpty()) {
      throw new ConformanceError(subject, found);
    }
  }
}
