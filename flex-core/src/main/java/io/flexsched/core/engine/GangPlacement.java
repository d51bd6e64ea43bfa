package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.core.Transaction;
import io.flexsched.model.Assignment;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Gangs: every member placed or none, largest first, each attempt in a transaction that is rolled
 * back unless the whole gang fits. With a topology level the members go under one domain of that
 * level, the tightest that holds them (least free GPU compute, then name), so whole domains stay
 * free for the next large job; a preferred level falls back to the whole cluster. Under a
 * {@link Network}, a gang then goes where its weakest link between members' nodes is strongest
 * ({@link NetworkOptions}), never below its minimum bandwidth.
 */
final class GangPlacement {
  private final Engine engine;
  private final ClusterState state;
  private final @Nullable Network network;

  GangPlacement(Engine engine, ClusterState state, @Nullable Network network) {
    this.engine = engine;
    this.state = state;
    this.network = network;
  }


  /** {@link #place} as one decision: timed for the metrics, kept only when every member is placed. */
  GangDecision decide(Gang gang, List<Task> members, @Nullable BitSet allowed) {
    EngineMetrics metrics = engine.metrics();
    long start = metrics == null ? 0 : System.nanoTime();
    try (io.flexsched.core.Transaction tx = engine.begin()) {
      GangDecision g = place(gang, members, allowed);
      if (metrics != null) {
        long end = System.nanoTime();
        metrics.decided(EngineMetrics.GANG, g.placed(), g.reasons(), end - start, end);
      }
      if (g.placed()) {
        tx.commit();
      }
      return g;
    }
  }

  /** A placed gang's assignments in the order of {@code members}. */
  static List<Assignment> inOrder(GangDecision g, List<Task> members) {
    var byTask = new java.util.HashMap<String, Assignment>();
    for (Assignment a : g.assignments()) {
      byTask.put(a.task(), a);
    }
    var out = new java.util.ArrayList<Assignment>(members.size());
    for (Task t : members) {
      out.add(byTask.get(t.id()));
    }
    return out;
  }

  /**
   * Places the gang of {@code members} (already checked by {@link #check}) or nothing, on the nodes
   * in {@code allowed} (every live node when null): members avoid the nodes it leaves out (e.g.
   * one reserved for another request), rather than the gang failing because one landed there.
   */
  GangDecision place(Gang gang, List<Task> members, @Nullable BitSet allowed) {
    var order = new ArrayList<>(members);
    order.sort((a, b) -> Long.compare(b.accelerators().totalMilli(), a.accelerators().totalMilli()));
    orderByChoices(order);
    GangDecision last = null;
    if (gang.topologyLevel() != null) {
      for (Map.Entry<String, BitSet> domain : domains(gang.topologyLevel())) {
        BitSet within = domain.getValue();
        if (allowed != null) {
          within = (BitSet) within.clone();
          within.and(allowed);
        }
        last = attempt(gang, order, domain.getKey(), within, RejectReason.TOPOLOGY);
        if (last.placed()) {
          return last;
        }
      }
      if (gang.required()) {
        return last != null ? last : new GangDecision(gang, false, null, List.of(), members.get(0).id(),
            Map.of(RejectReason.TOPOLOGY, state.liveNodes()));
      }
    }
    if (network != null && members.size() > 1) {
      long need = 0;
      for (Task t : members) {
        need += t.accelerators().totalMilli();
      }
      GangDecision within = null;
      for (NetworkOptions.Option o : NetworkOptions.of(network, state, allowed, gang.minBandwidth(), need)) {
        within = attempt(gang, order, o.label(), o.nodes(), RejectReason.BANDWIDTH);
        if (within.placed()) {
          return within;
        }
      }
      if (gang.minBandwidth() > 0) {
        return within != null ? within : new GangDecision(gang, false, null, List.of(), members.get(0).id(),
            Map.of(RejectReason.BANDWIDTH, state.liveNodes()));
      }
    }
    return attempt(gang, order, null, allowed, null);
  }

  /**
   * Members that may go to fewer nodes (selectors, taints) first, the largest first among equals: a
   * member placed greedily must not take the only node a pickier one may use. A gang without such
   * constraints keeps its order.
   */
  private void orderByChoices(List<Task> order) {
    var choices = new java.util.HashMap<String, Integer>();
    for (Task t : order) {
      BitSet eligible = state.nodeSets.eligible(t);
      if (eligible != null) {
        choices.put(t.id(), eligible.cardinality());
      }
    }
    if (!choices.isEmpty()) {
      int every = state.liveNodes();
      order.sort(java.util.Comparator.comparingInt(t -> choices.getOrDefault(t.id(), every)));
    }
  }

  private GangDecision attempt(Gang gang, List<Task> order, @Nullable String domain, @Nullable BitSet within,
      @Nullable RejectReason outside) {
    var placed = new ArrayList<Assignment>();
    try (Transaction tx = engine.begin()) {
      for (Task t : order) {
        TaskDecision d = engine.decide(new Attempt(t, state, within, outside));
        if (!d.placed()) {
          return new GangDecision(gang, false, domain, List.of(), t.id(), d.reasons());
        }
        placed.add(d.assignment());
      }
      tx.commit();
    }
    return new GangDecision(gang, true, domain, placed, null, Map.of());
  }

  /**
   * The gang that {@code members} make, checked: one gang named by every member, all of its
   * members, no id repeated.
   *
   * @throws InvalidSpecException naming what is wrong
   */
  static Gang check(List<Task> members) {
    Gang gang = members.get(0).gang();
    if (gang == null) {
      throw new InvalidSpecException("gang", "null", "must be set on every member of a gang");
    }
    var ids = new HashSet<String>();
    for (Task t : members) {
      if (!gang.equals(t.gang())) {
        throw new InvalidSpecException("gang", t.gang() == null ? "null" : t.gang().name(),
            "must be the same on every member (" + gang.name() + ")");
      }
      if (!ids.add(t.id())) {
        throw new InvalidSpecException("task.id", "'" + t.id() + "'", "must not repeat within a gang");
      }
    }
    if (members.size() != gang.size()) {
      throw new InvalidSpecException("gang " + gang.name() + " members", members.size(), "must number gang.size " + gang.size());
    }
    return gang;

  }

  /**
   * The live nodes grouped by their domain at {@code level}, tightest first (least free GPU
   * compute, then the domain's name). A node's domain at a level is its topology path up to the
   * element its label of that name holds; a node without that label is in no domain.
   */
  private List<Map.Entry<String, BitSet>> domains(String level) {
    var members = new TreeMap<String, BitSet>();
    var free = new HashMap<String, Long>();
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (!state.isLive(n)) {
        continue;
      }
      String key = domainOf(state.spec(n), level);
      if (key != null) {
        members.computeIfAbsent(key, k -> new BitSet()).set(n);
        free.merge(key, state.totalFreeMilli[n], Long::sum);
      }
    }
    var out = new ArrayList<>(members.entrySet());
    out.sort((a, b) -> {
      int c = Long.compare(free.get(a.getKey()), free.get(b.getKey()));
      return c != 0 ? c : a.getKey().compareTo(b.getKey());
    });
    return out;
  }

  /** The domain of {@code node} at {@code level}, or null. */
  static @Nullable String domainOf(Node node, String level) {
    String value = node.labels().get(level);
    if (value == null) {
      return null;
    }
    List<String> path = node.topology();
    int at = path.indexOf(value);
    return at < 0 ? level + "=" + value : String.join("/", path.subList(0, at + 1));
  }
}
