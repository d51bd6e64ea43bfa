package io.flexsched.core.queue;

import io.flexsched.core.ClusterView;
import io.flexsched.core.Resources;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Device;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Backfill's reservation: one node held for one request that has waited too long, on which nothing
 * else is placed until it is, so freed capacity accumulates for it. Other requests still take
 * every other node, and a request whose queue stays within its guarantee is not held off by it.
 */
final class Reservations {
  private final Journal journal;
  private @Nullable Entry holder;
  private @Nullable String node;

  Reservations(Journal journal) {
    this.journal = journal;
  }

  /** True when the reservation is held for {@code e}. */
  boolean heldFor(Entry e) {
    return holder == e;
  }

  /** True when no reservation is in force. */
  boolean none() {
    return holder == null;
  }

  /** The reserved node, when there is one. */
  @Nullable String node() {
    return node;
  }

  /** The request it is held for, when there is one. */
  @Nullable Entry holder() {
    return holder;
  }

  /** The nodes {@code e} may go to: every node (null) unless the reservation holds one against it. */
  @Nullable Predicate<String> allowed(Entry e) {
    if (exempt(e)) {
      return null;
    }
    String held = node;
    return name -> !name.equals(held);
  }

  /**
   * Whether the reservation does not apply to {@code e}: there is none, it is {@code e}'s, or
   * {@code e}'s queue has a guarantee and placing it stays within it (a reservation never stands in
   * the way of a queue taking back its guarantee).
   */
  private boolean exempt(Entry e) {
    if (holder == null || holder == e) {
      return true;
    }
    Resources guaranteed = e.lane.spec.guaranteed();
    return guaranteed.gpuMilli() != Resources.UNBOUNDED && e.lane.usage.plus(e.request).within(guaranteed);
  }

  /**
   * Holds a node for {@code e}: of the live, unfenced nodes it fits when empty, the one with the
   * most free compute of models it may use now (then most free CPU). Returns whether it found one.
   */
  boolean reserve(Entry e, ClusterView cluster) {
    String best = null;
    long bestGpu = -1;
    long bestCpu = -1;
    AcceleratorRequest r = e.task.accelerators();
    for (Node n : cluster.nodes()) {
      if (!fitsEmpty(e.task, n) || cluster.isFenced(n.name())) {
        continue;
      }
      NodeView v = cluster.node(n.name());
      long gpu = 0;
      for (int d = 0; d < v.deviceCount(); d++) {
        if (r.count() > 0 && r.couldBeServedBy(v.model(d))) {
          gpu += v.freeMilli(d);
        }
      }
      if (gpu > bestGpu || gpu == bestGpu && v.freeCpuMilli() > bestCpu) {
        best = n.name();
        bestGpu = gpu;
        bestCpu = v.freeCpuMilli();
      }
    }
    if (best != null) {
      set(e, best);
    }
    return best != null;
  }

  /** Drops the reservation. */
  void clear() {
    set(null, null);
  }

  private void set(@Nullable Entry e, @Nullable String name) {
    Entry beforeHolder = holder;
    String beforeNode = node;
    holder = e;
    node = name;
    journal.record(() -> {
      holder = beforeHolder;
      node = beforeNode;
    });
  }

  /** The reservation as {@code task@node}, if any. */
  Optional<String> describe() {
    return holder == null ? Optional.empty() : Optional.of(holder.task.id() + "@" + node);
  }

  /** Whether {@code task} fits {@code node} with nothing else on it. */
  static boolean fitsEmpty(Task task, Node node) {
    if (task.cpuMilli() > node.cpuMilli() || task.memoryMiB() > node.memoryMiB()) {
      return false;
    }
    AcceleratorRequest r = task.accelerators();
    int usable = 0;
    for (Device d : node.devices()) {
      if (r.couldBeServedBy(d.model())) {
        usable++;
      }
    }
    return usable >= r.count();
  }
}
