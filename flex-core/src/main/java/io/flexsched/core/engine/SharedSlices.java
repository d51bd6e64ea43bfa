package io.flexsched.core.engine;

import io.flexsched.model.Slice;
import java.util.HashMap;
import java.util.Map;

/**
 * One instance per distinct slice handed out: a cluster's placements repeat a few slices (a
 * whole device at index 0, a given share of a given model) hundreds of thousands of times, and a
 * slice is an immutable value, so equal ones can be the same object. Bounded: past
 * {@value #LIMIT} distinct slices (requests of many odd sizes), new ones are handed out as they are.
 */
final class SharedSlices {
  static final int LIMIT = 4_096;
  private final Map<Slice, Slice> seen = new HashMap<>();

  /** The shared instance equal to {@code s} (itself when it is the first, or past the limit). */
  Slice of(Slice s) {
    Slice shared = seen.get(s);
    if (shared != null) {
      return shared;
    }
    if (seen.size() < LIMIT) {
      seen.put(s, s);
    }
    return s;
  }
}
