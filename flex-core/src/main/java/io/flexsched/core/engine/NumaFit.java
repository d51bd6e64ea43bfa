package io.flexsched.core.engine;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;

/**
 * Whether a task fits within one NUMA node of a node (the kubelet topology manager's
 * single-numa-node check): the NUMA node can still pin the task's CPU, enough of its own devices
 * can host the request, and the node's device rules find a set among them. The rest (the node's
 * free CPU and memory, fencing, the task's selector) is the {@link Filter}'s.
 */
final class NumaFit {
  private final ClusterState state;
  private final NumaView view;
  private final DeviceChoice scratch = new DeviceChoice();

  NumaFit(ClusterState state) {
    this.state = state;
    this.view = new NumaView(state);
  }

  /** Whether the attempt's task, which passes node {@code n}'s filter, fits NUMA node {@code k} of it. */
  boolean fits(int n, int k, Attempt a) {
    if (state.numa.unpinned(n, k) < a.task.cpuMilli()) {
      return false;
    }
    AcceleratorRequest r = a.request;
    int need = r.count();
    if (need == 0) {
      return true;
    }
    int hostable = 0;
    int base = state.devStart[n];
    for (int d = 0; d < state.devCount[n]; d++) {
      int m = state.modelId[base + d];
      if (state.numa.of(n, d) == k && a.compatible[m] && state.hostsNow(base + d, r, a.profiles[m])) {
        hostable++;
      }
    }
    if (hostable < need) {
      return false;
    }
    DeviceRules rules = state.rules(n);
    if (rules != DeviceRules.standard() || (need >= 2 && r.minLinkScore() > 0)) {
      scratch.clear();
      return Guard.select(rules, a.task, view.at(n, k), scratch);
    }
    return true;
  }

  /** Whether the attempt's task fits some NUMA node of node {@code n}, which declares them. */
  boolean fitsSome(int n, Attempt a) {
    for (int k = 0; k < state.numa.count(n); k++) {
      if (fits(n, k, a)) {
        return true;
      }
    }
    return false;
  }

  /** The node as a task pinned to NUMA node {@code k} of node {@code n} sees it (a reused view). */
  NumaView view(int n, int k) {
    return view.at(n, k);
  }
}
