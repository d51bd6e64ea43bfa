package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether a task fits a node, and if not the first reason why (kube-scheduler's filter plugins in
 * one pass): fenced, CPU, memory, devices, models, device count, device share, then the node's
 * device rules (links, rings), then for a task that requires NUMA affinity, a NUMA node that holds it.
 */
final class Filter {
  private static final RejectReason[] REASONS = RejectReason.values();

  private final ClusterState state;
  private final NodeCursor cursor;
  private final DeviceChoice scratch = new DeviceChoice();
  final NumaFit numa;

  Filter(ClusterState state) {
    this.state = state;
    this.cursor = new NodeCursor(state);
    this.numa = new NumaFit(state);
  }

  /**
   * Null when the attempt's task fits live node {@code n}, else the first reason it does not: the
   * node is fenced, the task may not go there at all (selector, taints), or what its shape asks is
   * not free there.
   */
  @Nullable RejectReason reject(int n, Attempt a) {
    if (state.fenced[n]) {
      return RejectReason.FENCED;
    }
    if (a.eligible != null && !a.eligible.get(n)) {
      return NodeSets.excluded(a.task, state.spec(n));
    }
    return rejectShape(n, a);
  }

  /**
   * {@link #reject} for the attempt's shape alone, whoever asks: what the score index remembers
   * per node state and shape. Fencing and a task's own constraints are checked by the caller.
   */
  @Nullable RejectReason rejectShape(int n, Attempt a) {
    RejectReason why = rejectAnywhere(n, a);
    if (why == null && a.task.numa() == Task.Numa.REQUIRED && state.numa.count(n) > 0 && !numa.fitsSome(n, a)) {
      return RejectReason.NUMA;
    }
    return why;
  }

  /** {@link #rejectShape} with the task's CPU and devices taken from anywhere on the node. */
  private @Nullable RejectReason rejectAnywhere(int n, Attempt a) {
    if (state.cpuFree[n] < a.task.cpuMilli()) {
      return RejectReason.INSUFFICIENT_CPU;
    }
    if (state.memFree[n] < a.task.memoryMiB()) {
      return RejectReason.INSUFFICIENT_MEMORY;
    }
    AcceleratorRequest r = a.request;
    int need = r.count();
    if (need == 0) {
      return null;
    }
    int count = state.devCount[n];
    if (count == 0) {
      return RejectReason.NO_DEVICES;
    }
    int base = state.devStart[n];
    int usable = 0;
    int hostable = 0;
    for (int g = base; g < base + count; g++) {
      int m = state.modelId[g];
      if (a.compatible[m]) {
        usable++;
        if (state.hostsNow(g, r, a.profiles[m])) {
          hostable++;
        }
      }
    }
    if (usable == 0) {
      return RejectReason.MODEL_MISMATCH;
    }
    if (usable < need) {
      return RejectReason.INSUFFICIENT_DEVICE_COUNT;
    }
    if (hostable < need) {
      return RejectReason.INSUFFICIENT_DEVICE_SHARE;
    }
    DeviceRules rules = state.rules(n);
    if (rules != DeviceRules.standard() || (need >= 2 && r.minLinkScore() > 0)) {
      scratch.clear();
      if (!Guard.select(rules, a.task, cursor.at(n), scratch)) {
        return rules == DeviceRules.standard() ? RejectReason.LINK_SCORE : RejectReason.DEVICE_RULES;
      }
    }
    return null;
  }

  /**
   * Per rejection reason, how many live nodes the attempt's task does not fit; a node outside the
   * caller's restriction counts under its {@code outside} reason, or under its own reason when that
   * is null.
   */
  Map<RejectReason, Integer> reasons(Attempt a) {
    int[] rejected = new int[REASONS.length];
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n)) {
        RejectReason why = a.outside != null && a.outsideAllowed(n) ? a.outside : reject(n, a);
        if (why != null) {
          rejected[why.ordinal()]++;
        }
      }
    }
    return reasonMap(rejected);
  }

  /** The non-zero counts of {@code rejected} (indexed by reason ordinal) as a map. */
  static Map<RejectReason, Integer> reasonMap(int[] rejected) {
    var out = new EnumMap<RejectReason, Integer>(RejectReason.class);
    for (int i = 0; i < rejected.length; i++) {
      if (rejected[i] > 0) {
        out.put(REASONS[i], rejected[i]);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
