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
 * @param deviceNode the node whose devices the slices are on: {@code node} itself, or for a task
 *     that takes remote devices ({@link AcceleratorRequest.Remote}) another node of its pool; a
 *     remote assignment has slices and no NUMA pin
 */
public record Assignment(String task, String node, List<Slice> slices, int numaNode, String deviceNode) {
  /** The {@link #numaNode} of a task whose CPU is not pinned to a NUMA node. */
  public static final int NO_NUMA = -1;

  /** An assignment whose CPU comes from the node's shared pool. */
  public Assignment(String task, String node, List<Slice> slices) {
    this(task, node, slices, NO_NUMA);
  }

  /** An assignment whose devices are on its own node. */
  public Assignment(String task, String node, List<Slice> slices, int numaNode) {
    this(task, node, slices, numaNode, node);
  }

  public Assignment {
    Checks.atLeast("assignment " + task + " numaNode", numaNode, NO_NUMA);
    Checks.name("assignment.task", task);
    Checks.name("assignment.node", node);
    Checks.name("assignment.deviceNode", deviceNode);
    if (!deviceNode.equals(node)) {
      if (slices == null || slices.isEmpty()) {
        throw new InvalidSpecException("assignment " + task + " deviceNode", "'" + deviceNode + "'",
            "must be the node itself for a task without devices");
      }
      if (numaNode != NO_NUMA) {
        throw new InvalidSpecException("assignment " + task + " numaNode", numaNode,
            "must be absent when the devices are on another node (" + deviceNode + ")");
      }
    }
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
   * As a record prints itself, but the NUMA node only when the task is pinned to one and the
   * device node only when it is another node: a local assignment without NUMA affinity reads as it
   * did before either existed (logs and examples compare it).
   */
  @Override
  public String toString() {
    return "Assignment[task=" + task + ", node=" + node + ", slices=" + slices
        + (numaNode == NO_NUMA ? "" : ", numaNode=" + numaNode)
        + (remote() ? ", deviceNode=" + deviceNode : "") + "]";
  }

  /** True when the task's devices are on another node than its CPU and memory. */
  public boolean remote() {
    return !deviceNode.equals(node);
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
