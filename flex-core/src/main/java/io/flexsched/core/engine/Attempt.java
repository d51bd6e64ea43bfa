package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import java.util.BitSet;
import org.jspecify.annotations.Nullable;

/**
 * What one placement decision works from (kube-scheduler's CycleState): the task, which device
 * models may serve it and with which profile, and the nodes it may go to. Made per decision and
 * passed down, never kept.
 */
final class Attempt {
  final Task task;
  final AcceleratorRequest request;
  /** Per device model id: may it serve the request at all. */
  final boolean[] compatible;
  /** Per device model id: the request's profile on that model, or null. */
  final @Nullable Profile[] profiles;
  /** The nodes the task may go to, or null for every node. */
  final @Nullable BitSet allowed;
  /**
   * Where the task is not placed: the reason a node outside {@link #allowed} counts under, or null
   * to count it under the reason the node itself rejects the task (if any).
   */
  final @Nullable RejectReason outside;
  /** The nodes the task may go to at all (its selector, its tolerations), or null for every node; shared, never changed. */
  final @Nullable BitSet eligible;

  Attempt(Task task, ClusterState state, @Nullable BitSet allowed, @Nullable RejectReason outside) {
    this.task = task;
    this.request = task.accelerators();
    this.allowed = allowed;
    this.outside = outside;
    this.eligible = state.nodeSets.eligible(task);
    int models = state.modelCount();
    this.compatible = new boolean[models];
    this.profiles = new Profile[models];
    for (int m = 0; m < models; m++) {
      DeviceModel dm = state.modelById(m);
      compatible[m] = request.count() > 0 && request.couldBeServedBy(dm);
      profiles[m] = request.profile() == null || !compatible[m] ? null : dm.profile(request.profile()).orElseThrow();
    }
  }

  /** True when the task may go to node {@code n} (it may still not fit there). */
  boolean mayUse(int n) {
    return (allowed == null || allowed.get(n)) && (eligible == null || eligible.get(n));
  }

  /** True when the task may go to only some nodes: a caller's restriction or its own constraints. */
  boolean restricted() {
    return allowed != null || eligible != null;
  }

  /** True when node {@code n} lies outside the caller's restriction (not the task's own constraints). */
  boolean outsideAllowed(int n) {
    return allowed != null && !allowed.get(n);
  }
}
