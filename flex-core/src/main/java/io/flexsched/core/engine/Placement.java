package io.flexsched.core.engine;

import io.flexsched.model.Assignment;
import io.flexsched.model.Task;
import org.jspecify.annotations.Nullable;

/**
 * A placed task: the task, the node ordinal it is on (its CPU and memory; its devices too unless
 * they are on a remote {@link #deviceNode()}), its assignment, its place in the order of
 * placements (kept when a rollback puts the placement back, so that order is restored too), and
 * what the engine's owner booked against it (the queued scheduler's queue entry), or null. The
 * booking is the one mutable part: set once, in the operation that made the placement.
 */
final class Placement {
  private final Task task;
  private final int node;
  private final int deviceNode;
  private final Assignment assignment;
  private final long sequence;
  private @Nullable Object booking;

  Placement(Task task, int node, Assignment assignment, long sequence) {
    this(task, node, node, assignment, sequence);
  }

  Placement(Task task, int node, int deviceNode, Assignment assignment, long sequence) {
    this.task = task;
    this.node = node;
    this.deviceNode = deviceNode;
    this.assignment = assignment;
    this.sequence = sequence;
  }

  Task task() {
    return task;
  }

  int node() {
    return node;
  }

  /** The ordinal of the node its slices are on: {@link #node()} unless its devices are remote. */
  int deviceNode() {
    return deviceNode;
  }

  boolean remote() {
    return deviceNode != node;
  }

  Assignment assignment() {
    return assignment;
  }

  long sequence() {
    return sequence;
  }

  @Nullable Object booking() {
    return booking;
  }

  void book(@Nullable Object value) {
    booking = value;
  }

  @Override
  public String toString() {
    return "Placement[" + assignment + ", sequence " + sequence + "]";
  }
}
