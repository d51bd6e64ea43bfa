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
 * @param numaNode the NUMA node of the node ({@link Node#numa()}) the task's CPU is pinned to, or
 *     {@link #NO_NUMA} when it takes CPU from the node's shared pool
 */
public record Assignment(String task, String node, List<Slice> slices, int numaNode) {
  /** The {@link #numaNode} of a task whose CPU is not pinned to a NUMA node. */
  public static final int NO_NUMA = -1;

  /** An assignment whose CPU comes from the node's shared pool. */
  public Assignment(String task, String node, List<Slice> slices) {
    this(task, node, slices, NO_NUMA);
  }

  public Assignment {
    Checks.atLeast("assignment " + task + " numaNode", numaNode, NO_NUMA);
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

  /**
   * As a record prints itself, but the NUMA node only when the task is pinned to one: an
   * assignment without NUMA affinity reads as it did before NUMA existed (logs and examples
   * compare it).
   */
  @Override
  public String toString() {
    return "Assignment[task=" + task + ", node=" + node + ", slices=" + slices
        + (numaNode == NO_NUMA ? "" : ", numaNode=" + numaNode) + "]";
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
