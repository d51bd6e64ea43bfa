package io.flexsched.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A task bound to a node and to concrete slices of concrete devices.
 *
 * @param task the task's id
 * @param node the node's name
 * @param slices one per device used, kept in increasing device order; empty for a CPU-only task
 */
public record Assignment(String task, String node, List<Slice> slices) {
  public Assignment {
    Checks.name("assignment.task", task);
    Checks.name("assignment.node", node);
    slices = Checks.copy("assignment.slices", slices);
    var devices = new ArrayList<Integer>();
    for (Slice s : slices) {
      devices.add(s.device());
    }
    Checks.unique("assignment " + task + " slice device", devices);
    var sorted = new ArrayList<>(slices);
    sorted.sort(Comparator.comparingInt(Slice::device));
    slices = List.copyOf(sorted);
  }

  /** The total compute share given, in milli. */
  public long totalMilli() {
    long total = 0;
    for (Slice s : slices) {
      total += s.milli();
    }
    return total;
  }
}
