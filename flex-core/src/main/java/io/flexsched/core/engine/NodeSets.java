package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Sets of live nodes by ordinal: those a caller's predicate accepts, and those a task may go to at
 * all (its node selector, the taints it tolerates). The second are kept per distinct pair of
 * selector and tolerations, because tasks share a few (every GPU pod of a Kubernetes cluster
 * tolerates the GPU taint), so a decision looks its set up instead of checking every node; they
 * are dropped whenever a node joins or leaves, rollbacks included. Which nodes a task may use is
 * no part of a node's state or a task's shape: the score index's answers are shared across tasks
 * and must not depend on it.
 */
final class NodeSets {
  /** Beyond this many distinct constraint pairs (a selector naming one host per task, say) start again. */
  private static final int MAX_SETS = 1_024;

  /** Marks a pair of selector and tolerations that every live node admits. */
  private static final BitSet EVERY = new BitSet(0);

  private final ClusterState state;
  private final Map<List<Object>, BitSet> eligible = new HashMap<>();
  private long seenMembership = -1;
  private boolean anyTaints;

  NodeSets(ClusterState state) {
    this.state = state;
  }

  /** The live nodes {@code allowed} accepts, by ordinal; null (every node) when it is null. */
  @Nullable BitSet accepting(@Nullable Predicate<String> allowed) {
    if (allowed == null) {
      return null;
    }
    var within = new BitSet(state.nodeSlots());
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n) && allowed.test(state.spec(n).name())) {
        within.set(n);
      }
    }
    return within;
  }

  /**
   * The live nodes {@code task} may go to whatever is free there, by ordinal; null when that is
   * every live node. The set is shared: callers must not change it.
   */
  @Nullable BitSet eligible(Task task) {
    if (seenMembership != state.membership()) {
      eligible.clear();
      anyTaints = false;
      for (int n = 0; n < state.nodeSlots(); n++) {
        anyTaints |= state.isLive(n) && !state.spec(n).taints().isEmpty();
      }
      seenMembership = state.membership();
    }
    if (task.nodeSelector().isEmpty() && !anyTaints) {
      return null;
    }
    List<Object> key = List.of(task.nodeSelector(), task.tolerations());
    BitSet set = eligible.get(key);
    if (set == null) {
      if (eligible.size() >= MAX_SETS) {
        eligible.clear();
      }
      set = new BitSet(state.nodeSlots());
      int live = 0;
      for (int n = 0; n < state.nodeSlots(); n++) {
        if (state.isLive(n)) {
          live++;
          if (task.mayRunOn(state.spec(n))) {
            set.set(n);
          }
        }
      }
      // Every node (a GPU pod tolerating the taint every GPU node has): no restriction at all, so
      // the decision keeps the index's fast path.
      set = set.cardinality() == live ? EVERY : set;
      eligible.put(key, set);
    }
    return set == EVERY ? null : set;
  }

  /** Why {@code task} may not go to node {@code n} at all, whatever is free there; null when it may. */
  static @Nullable RejectReason excluded(Task task, Node node) {
    if (!task.selects(node)) {
      return RejectReason.NODE_SELECTOR;
    }
    return task.toleratesAll(node) ? null : RejectReason.TAINT;
  }
}
