package io.flexsched.core.queue;

import io.flexsched.core.Damping;
import io.flexsched.core.Outcome;
import io.flexsched.core.Transaction;
import io.flexsched.core.engine.Engine;
import io.flexsched.core.preempt.Preemption;
import io.flexsched.model.Assignment;
import io.flexsched.model.Task;
import io.flexsched.spi.Victim;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The scheduling cycle (KAI's allocate, preempt and reclaim actions over one session): requests
 * tried in fair-share order (within a queue, the {@link WaitingOrder}), each through the quota
 * gate, the engine, and preemption; what backfill and strict FIFO do with those that wait.
 */
final class Pass {
  private final Engine engine;
  private final @Nullable Preemption preemption;
  private final PendingSet set;
  private final FairShare fairShare;
  private final Reservations reservations;
  private final FailureMemo memo;
  private final Journal journal;
  private final boolean backfill;
  private final int reserveAfter;
  private final boolean explain;
  private final Damping damping;
  /** Whether damping is on: read once, as {@link #now()} asks it twice a decision. */
  private final boolean timed;
  private final InstantSource clock;
  private final WaitingOrder order;
  private final io.flexsched.core.PlacementEngine.@Nullable DisruptionBudget defragment;
  /** The migrations made since {@link #forgetMigrations()}, by the first task of the request they made room for. */
  private final Map<String, List<io.flexsched.core.PlacementEngine.Migration>> migrations = new LinkedHashMap<>();
  private final Journal.Count preemptions;
  /** The clock's reading at the last attempt, while damping makes attempts depend on time. */
  private long lastSeen = Long.MIN_VALUE;

  Pass(Engine engine, @Nullable Preemption preemption, PendingSet set, FairShare fairShare, Reservations reservations,
      FailureMemo memo, Journal journal, QueueSettings settings, WaitingOrder order, boolean explain) {
    this.engine = engine;
    this.preemption = preemption;
    this.set = set;
    this.fairShare = fairShare;
    this.reservations = reservations;
    this.memo = memo;
    this.journal = journal;
    this.backfill = settings.backfill();
    this.reserveAfter = settings.reserveAfter();
    this.explain = explain;
    this.damping = settings.damping();
    this.timed = !damping.off();
    this.clock = settings.clock();
    this.defragment = settings.defragment();
    this.preemptions = journal.count();
    this.order = order;
  }

  /**
   * The clock's time, in milliseconds; always 0 without damping or a queue order that reads time,
   * which alone read it (so the clock stays off the hot path). Under damping, time passing changes
   * who may be a victim, so failed attempts remembered before it are stale; an order's time only
   * changes which request is tried first.
   */
  long now() {
    if (!timed) {
      return order.readsTime() ? clock.millis() : 0;
    }
    long now = clock.millis();
    if (now != lastSeen) {
      long before = lastSeen;
      lastSeen = now;
      journal.record(() -> lastSeen = before);
      memo.changed();
    }
    return now;
  }

  /** Tries every pending request once (victims again once preempted); returns the placements made. */
  List<Outcome> run() {
    Comparator<Entry> inQueue = order.at(now());
    // A gang's reservation follows the cluster: planned again each pass, so it never holds a node for good.
    if (reservations.replan(engine.cluster())) {
      memo.changed();
    }
    var placed = new ArrayList<Outcome>();
    var untried = new LinkedHashMap<Lane, PriorityQueue<Entry>>();
    for (Lane lane : set.lanes.values()) {
      var q = new PriorityQueue<>(inQueue);
      q.addAll(lane.waiting);
      untried.put(lane, q);
    }
    var blocked = new LinkedHashMap<Lane, Entry>();
    var passed = new ArrayList<Entry>();
    while (true) {
      Lane lane = fairShare.next(untried, blocked, inQueue);
      if (lane == null) {
        break;
      }
      Entry e = untried.get(lane).poll();
      if (!set.isPending(e.task.id())) {
        continue;
      }
      Outcome.Placed out = attempt(e);
      if (out == null) {
        if (!backfill) {
          blocked.put(lane, e);
        } else if (e.reason().cause() == Outcome.Cause.NO_FIT || e.reason().cause() == Outcome.Cause.RESERVED) {
          passed.add(e);
        }
        continue;
      }
      placed.add(out);
      for (Assignment victim : out.preempted()) {
        Entry v = set.pendingEntry(victim.task());
        // A gang's members all name its one entry: queue it once.
        if (v.members.size() == 1 || !untried.get(v.lane).contains(v)) {
          untried.get(v.lane).add(v);
        }
      }
      for (Entry b : passed) {
        if (b != e && set.isPending(b.task.id())) {
          set.passed(b);
          if (reservations.none() && b.passes >= reserveAfter && reservations.reserve(b, engine.cluster())) {
            memo.changed();
          }
        }
      }
    }
    for (Map.Entry<Lane, Entry> b : blocked.entrySet()) {
      for (Entry e : untried.get(b.getKey())) {
        if (set.isPending(e.task.id())) {
          set.reason(e, new Outcome.Pending(e.members, Outcome.Cause.BLOCKED, Map.of(), null,
              "strict FIFO: waits behind " + b.getValue().task.id() + " in queue " + b.getKey().spec.name()));
        }
      }
    }
    return placed;
  }

  /** Tries to place one request; the placement, or null (with its reason set) when it waits. */
  Outcome.@Nullable Placed attempt(Entry e) {
    if (damping.yieldToHigherPriority() && timed && yields(e)) {
      return null;
    }
    Outcome.Cause quota = QuotaGate.closed(e);
    if (quota != null) {
      Outcome.Placed out = preempt(e, true);
      if (out == null) {
        set.reason(e, QuotaGate.reason(e, quota, engine.cluster().nodes().size()));
        if (reservations.heldFor(e)) {
          // Its queue, not room, holds it back now: a node held for it would only sit idle.
          reservations.clear();
          memo.changed();
        }
      }
      return out;
    }
    // Gangs are not remembered by shape: a gang's shape is all of its members.
    boolean memoize = !reservations.heldFor(e) && !e.gang();
    Outcome.Pending known = memoize ? memo.recall(e) : null;
    if (known != null) {
      set.reason(e, known);
      return null;
    }
    Predicate<String> allowed = reservations.allowed(e);
    Outcome decided = engine.decideValid(e.task.gang(), e.members, allowed, explain);
    if (decided instanceof Outcome.Placed p) {
      return started(e, p);
    }
    Outcome.Pending miss = (Outcome.Pending) decided;
    Outcome.Placed out = preempt(e, false);
    if (out == null && defragment != null) {
      out = migrate(e, defragment, miss).outcome() instanceof Outcome.Placed p ? p : null;
    }
    if (out != null) {
      return out;
    }
    // Would the reserved nodes take it? Then the reservation, not room, keeps it waiting.
    Outcome unreserved = allowed == null ? null : whatIf(e.members, explain);
    boolean onReserved = unreserved != null && unreserved.placed();
    if (unreserved instanceof Outcome.Pending p && e.members.size() > 1) {
      // A gang that fits nowhere even on the reserved nodes: why, over every node (its blocking
      // member may differ from the one that found no room off them).
      miss = p;
    }
    Outcome.Pending reason = onReserved
        ? new Outcome.Pending(e.members, Outcome.Cause.RESERVED, miss.reasons(), null, reserved())
        : new Outcome.Pending(e.members, Outcome.Cause.NO_FIT, miss.reasons(), miss.nearest(), preemption == null
            ? "no node can take it" : "no node can take it, even after the preemptions the rules allow");
    set.reason(e, reason);
    if (memoize) {
      memo.remember(e, reason);
    }
    return null;
  }

  /**
   * Whether {@code e} gives way (its reason set): placed now, damping would protect it, and a
   * request of higher priority waits for room it might take. A waiting request has failed an
   * attempt; one not tried yet in this pass is tried before {@code e}, as priority comes first.
   */
  private boolean yields(Entry e) {
    long now = now();
    if (now >= e.protectedUntil(damping.maxPreemptions(), damping.window().toMillis(), damping.cooling().toMillis())) {
      return false;
    }
    for (Lane lane : set.lanes.values()) {
      // A queue's waiting requests are in priority order: stop at the first not above e.
      for (Entry w : lane.waiting) {
        if (w.priority <= e.priority) {
          break;
        }
        Outcome.Cause why = w.reason == null ? null : w.reason.cause();
        if (why == Outcome.Cause.NO_FIT || why == Outcome.Cause.RESERVED) {
          set.reason(e, new Outcome.Pending(e.members, Outcome.Cause.BLOCKED, Map.of(), null, "protected from "
              + "preemption once placed, it gives way while " + w.task.id() + " (priority " + w.priority + ") waits"));
          return true;
        }
      }
    }
    return false;
  }

  /** Why a request the reserved nodes could take waits. */
  private String reserved() {
    List<String> nodes = reservations.nodes();
    Entry holder = reservations.holder();
    String who = holder.members.size() == 1 ? holder.task.id() : "gang " + holder.task.gang().name();
    return nodes.size() == 1
        ? "only node " + nodes.get(0) + " could take it, and it is reserved for " + who
        : "only nodes " + String.join(", ", nodes) + " could take it, and they are reserved for " + who;
  }

  /** Whether {@code members} (one task, or a gang's members) would be placed now; nothing changes. */
  boolean whatIf(List<Task> members) {
    return whatIf(members, false).placed();
  }

  /** What placing {@code members} on any node would decide now; nothing changes. */
  private Outcome whatIf(List<Task> members, boolean explain) {
    Transaction tx = engine.begin();
    try {
      return engine.decide(members, null, explain);
    } finally {
      tx.rollback();
    }
  }

  /**
   * Places {@code e} by preempting, if the policy finds victims the rules allow; null otherwise.
   * With {@code quotaOnly}, only its own queue's lower-priority tasks may go, to make room in its
   * queue's quota.
   */
  private Outcome.@Nullable Placed preempt(Entry e, boolean quotaOnly) {
    if (preemption == null) {
      return null;
    }
    Predicate<String> allowed = reservations.allowed(e);
    long now = now();
    Optional<List<Victim>> victims = preemption.search(e.members, ReclaimRules.mayEvict(e, set, quotaOnly, damping, now),
        ReclaimRules.admissible(e, set), allowed);
    if (victims.isEmpty() || victims.get().isEmpty() && quotaOnly) {
      return null;
    }
    // The victims' entries go with their placements: read them first.
    var entries = new HashMap<String, Entry>();
    for (Victim v : victims.get()) {
      for (Task m : v.members()) {
        entries.put(m.id(), set.runningEntry(m.id()));
      }
    }
    Outcome.Placed out = preemption.commit(e.members, victims.get(), allowed);
    if (out == null) {
      return null;
    }
    var by = new HashMap<String, String>();
    for (Task member : out.tasks()) {
      for (Assignment victim : out.preemptedFor(member.id())) {
        by.put(victim.task(), member.id());
      }
    }
    for (Victim v : victims.get()) {
      Entry ve = null;
      for (Task m : v.members()) {
        ve = entries.get(m.id());
        set.stop(ve);
        preemptions.value++;
      }
      // A gang waits again whole, as the request it was.
      Entry waits = v.gang() ? ve.group : ve;
      set.preempted(waits, now);
      set.reason(waits, new Outcome.Pending(waits.members, Outcome.Cause.NOT_TRIED, Map.of(), null,
          "preempted by " + by.get(v.id()) + ", not tried since"));
      set.enqueue(waits);
    }
    return started(e, out);
  }

  /**
   * Places {@code e} by migrating placed tasks within {@code budget} (after preemption is ruled
   * out); pending, with nothing moved, when no plan lets it fit. The moves are kept for
   * {@link #migrations()}.
   */
  io.flexsched.core.PlacementEngine.Defragmentation migrate(Entry e,
      io.flexsched.core.PlacementEngine.DisruptionBudget budget, Outcome.@Nullable Pending miss) {
    Predicate<String> allowed = reservations.allowed(e);
    var d = engine.defragmenter().place(e.task.gang(), e.members, budget, allowed, t -> true, clock, miss);
    if (d.outcome() instanceof Outcome.Placed p) {
      if (!d.migrations().isEmpty()) {
        String id = e.task.id();
        List<io.flexsched.core.PlacementEngine.Migration> had = migrations.get(id);
        var now = new ArrayList<io.flexsched.core.PlacementEngine.Migration>(had == null ? List.of() : had);
        now.addAll(d.migrations());
        migrations.put(id, List.copyOf(now));
        journal.record(() -> {
          if (had == null) {
            migrations.remove(id);
          } else {
            migrations.put(id, had);
          }
        });
      }
      started(e, p);
      return d;
    }
    if (miss != null || allowed == null) {
      return d;
    }
    Outcome unreserved = whatIf(e.members, false);
    Outcome.Pending p = (Outcome.Pending) d.outcome();
    if (unreserved instanceof Outcome.Pending none) {
      // As in attempt: a gang that fits nowhere even on the reserved nodes says why over every node.
      return e.members.size() == 1 ? d : new io.flexsched.core.PlacementEngine.Defragmentation(new Outcome.Pending(
          e.members, Outcome.Cause.NO_FIT, none.reasons(), p.nearest(), p.detail()), List.of());
    }
    // As in attempt: when the reserved node would take it, the reservation keeps it waiting.
    return new io.flexsched.core.PlacementEngine.Defragmentation(new Outcome.Pending(e.members, Outcome.Cause.RESERVED,
        p.reasons(), null, reserved()), List.of());
  }

  /** The migrations made since {@link #forgetMigrations()}, by the first task of the request they made room for. */
  Map<String, List<io.flexsched.core.PlacementEngine.Migration>> migrations() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(migrations));
  }

  /** Starts a new operation's record of migrations (a failed operation gets the old one back). */
  void forgetMigrations() {
    if (!migrations.isEmpty()) {
      var before = new LinkedHashMap<>(migrations);
      migrations.clear();
      journal.record(() -> {
        migrations.clear();
        migrations.putAll(before);
      });
    }
  }

  /** Books a placement: the request (every member of a gang) runs, its queue holds its request. */
  Outcome.Placed started(Entry e, Outcome.Placed out) {
    if (set.isPending(e.task.id())) {
      set.dequeue(e);
    }
    set.run(e, now());
    if (reservations.heldFor(e)) {
      reservations.clear();
    }
    memo.changed();
    return out;
  }

  /** How many tasks have been preempted (reclaims included). */
  long preemptions() {
    return preemptions.value;
  }
}
