package io.flexsched.core.queue;

import io.flexsched.core.ClusterView;
import io.flexsched.core.Resources;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Device;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Backfill's reservation: nodes held for one request that has waited too long, on which nothing
 * else is placed until it is, so freed capacity accumulates for it: one node for a task, enough
 * for every member of a gang ({@link GangPlan}). Other requests still take every other node, and a
 * request whose queue stays within its guarantee is not held off by it. A gang's nodes are planned
 * again every pass and whenever one of them leaves or is fenced, so it never holds a node it no
 * longer needs, nor one it cannot use.
 */
final class Reservations {
  private final Journal journal;
  private @Nullable Entry holder;
  private List<String> nodes = List.of();

  /** Whether a reservation holds nodes only against requests of its holder's priority or lower. */
  private final boolean yieldToHigherPriority;

  Reservations(Journal journal, boolean yieldToHigherPriority) {
    this.journal = journal;
    this.yieldToHigherPriority = yieldToHigherPriority;
  }

  /** True when the reservation is held for {@code e}. */
  boolean heldFor(Entry e) {
    return holder == e;
  }

  /** True when no reservation is in force. */
  boolean none() {
    return holder == null;
  }

  /** True when node {@code name} is held. */
  boolean holds(String name) {
    return nodes.contains(name);
  }

  /** The reserved nodes (none without a reservation). */
  List<String> nodes() {
    return nodes;
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
    List<String> held = nodes;
    return held.size() == 1 ? name -> !name.equals(held.get(0)) : name -> !held.contains(name);
  }

  /**
   * Whether the reservation does not apply to {@code e}: there is none, it is {@code e}'s, it
   * yields to {@code e}'s higher priority, or {@code e}'s queue has a guarantee and placing it stays
   * within it (a reservation never stands in the way of a queue taking back its guarantee).
   */
  private boolean exempt(Entry e) {
    if (holder == null || holder == e || yieldToHigherPriority && e.priority > holder.priority) {
      return true;
    }
    Resources guaranteed = e.lane.spec.guaranteed();
    return guaranteed.gpuMilli() != Resources.UNBOUNDED && e.lane.fitsWithin(e, guaranteed);
  }

  /**
   * Holds nodes for {@code e}: for a gang, the nodes {@link GangPlan} picks; for a task, of the
   * live, unfenced nodes it fits when empty, the one with the most free compute of models it may
   * use now (then most free CPU). Returns whether it found any.
   */
  boolean reserve(Entry e, ClusterView cluster) {
    if (e.members.size() > 1) {
      List<String> plan = GangPlan.of(e.members, cluster);
      if (!plan.isEmpty()) {
        set(e, plan);
      }
      return !plan.isEmpty();
    }
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
      set(e, List.of(best));
    }
    return best != null;
  }

  /**
   * Plans a gang's reservation again on the cluster as it stands (a task's stays where it is);
   * drops it when no plan remains. Returns whether the held nodes changed.
   */
  boolean replan(ClusterView cluster) {
    if (holder == null || holder.members.size() == 1) {
      return false;
    }
    List<String> plan = GangPlan.of(holder.members, cluster);
    if (plan.equals(nodes)) {
      return false;
    }
    if (plan.isEmpty()) {
      clear();
    } else {
      set(holder, plan);
    }
    return true;
  }

  /**
   * Node {@code name} left or was fenced: a task's reservation on it is dropped, a gang's planned
   * again. Returns whether the reservation changed.
   */
  boolean lost(String name, ClusterView cluster) {
    if (!holds(name)) {
      return false;
    }
    if (holder.members.size() == 1 || !replan(cluster)) {
      clear();
    }
    return true;
  }

  /** Drops the reservation. */
  void clear() {
    set(null, List.of());
  }

  private void set(@Nullable Entry e, List<String> held) {
    Entry beforeHolder = holder;
    List<String> beforeNodes = nodes;
    holder = e;
    nodes = held;
    journal.record(() -> {
      holder = beforeHolder;
      nodes = beforeNodes;
    });
  }

  /** The reservation as {@code task@node}, or for a gang {@code gang@node,node...}, if any. */
  Optional<String> describe() {
    if (holder == null) {
      return Optional.empty();
    }
    String who = holder.members.size() > 1 ? holder.task.gang().name() : holder.task.id();
    return Optional.of(who + "@" + String.join(",", nodes));
  }

  /** Whether {@code task} fits {@code node} with nothing else on it (and may go there at all). */
  static boolean fitsEmpty(Task task, Node node) {
    if (task.cpuMilli() > node.cpuMilli() || task.memoryMiB() > node.memoryMiB() || !task.mayRunOn(node)) {
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
