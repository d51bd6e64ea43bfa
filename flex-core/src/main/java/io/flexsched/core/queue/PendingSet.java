package io.flexsched.core.queue;

import io.flexsched.core.AccountingException;
import io.flexsched.core.ClusterView;
import io.flexsched.core.Outcome;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.Resources;
import io.flexsched.core.Scheduler;
import io.flexsched.core.engine.Engine;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The requests a scheduler holds: per queue the waiting ones in order, every pending member by
 * id, every running task's entry with its queue's usage, and arrival numbers. Every change goes
 * through here and is journalled. A running task's entry is booked with its placement in the
 * engine (one lookup a decision rather than two), so the engine's undo log takes it back.
 */
final class PendingSet {
  final Map<String, Lane> lanes = new LinkedHashMap<>();
  /** The default queue's lane, which a task naming none needs without a lookup. */
  private final Lane fallback;
  private final Map<String, Entry> pending = new HashMap<>();
  private final Engine engine;
  private final Journal journal;
  private final Journal.Count arrivals;
  private final WaitingOrder order;

  PendingSet(List<QueueSpec> queues, Engine engine, Journal journal, WaitingOrder order) {
    this.engine = engine;
    this.journal = journal;
    this.arrivals = journal.count();
    this.order = order;
    boolean governed = !queues.isEmpty();
    for (QueueSpec q : queues) {
      lanes.put(q.name(), new Lane(q, journal));
    }
    if (!lanes.containsKey(Scheduler.DEFAULT_QUEUE)) {
      QueueSpec spec = governed
          ? QueueSpec.builder(Scheduler.DEFAULT_QUEUE).build()
          : new QueueSpec(Scheduler.DEFAULT_QUEUE, Resources.UNLIMITED, Resources.UNLIMITED, 1);
      lanes.put(Scheduler.DEFAULT_QUEUE, new Lane(spec, journal));
    }
    this.fallback = lanes.get(Scheduler.DEFAULT_QUEUE);
  }

  /**
   * The lane of {@code task}'s queue.
   *
   * @throws InvalidSpecException for a queue that does not exist
   */
  Lane lane(Task task) {
    if (task.queue() == null) {
      return fallback;
    }
    String name = task.queue();
    Lane lane = lanes.get(name);
    if (lane == null) {
      throw new InvalidSpecException("queue", "'" + name + "'", "must be one of the queues " + new ArrayList<>(lanes.keySet()));
    }
    return lane;
  }

  /**
   * A new request of {@code members}, next in arrival order (not yet pending), with the expected
   * durations its queue order reads.
   *
   * @throws io.flexsched.core.PolicyException when the order's estimate fails
   */
  Entry arrive(List<Task> members, Lane lane, long now) {
    long[] expected = order.expected(members);
    Entry e = new Entry(members, arrivals.value++, lane, now);
    e.expected = expected;
    return e;
  }

  /** Makes {@code e} pending (again, for a victim: in its old place in arrival order). */
  void enqueue(Entry e) {
    for (Task m : e.members) {
      pending.put(m.id(), e);
    }
    e.lane.waiting.add(e);
    journal.record(() -> {
      for (Task m : e.members) {
        pending.remove(m.id());
      }
      e.lane.waiting.remove(e);
    });
  }

  /** Takes pending {@code e} out of the pending set. */
  void dequeue(Entry e) {
    for (Task m : e.members) {
      pending.remove(m.id());
    }
    e.lane.waiting.remove(e);
    journal.record(() -> {
      for (Task m : e.members) {
        pending.put(m.id(), e);
      }
      e.lane.waiting.add(e);
    });
  }

  /**
   * Books placed {@code e} as running: each member (a gang's run and finish one by one) holds its
   * request in its queue.
   */
  void run(Entry e, long now) {
    long before = e.startedAt;
    if (before != now) {
      // A gang's entry keeps it too: the time it ran counts when it is preempted and waits again.
      e.startedAt = now;
      journal.record(() -> e.startedAt = before);
    }
    if (e.members.size() == 1) {
      engine.book(e.task.id(), e);
    } else {
      for (Task m : e.members) {
        Entry member = new Entry(List.of(m), e.arrival, e.lane, e.waitingSince);
        member.startedAt = now;
        member.group = e;
        engine.book(m.id(), member);
      }
    }
    e.lane.take(e);
  }

  /**
   * Books running {@code e} as stopped, its queue no longer holding its request; the engine
   * releases it before or after.
   */
  void stop(Entry e) {
    e.lane.give(e);
  }

  /**
   * Books that running {@code e} was preempted at {@code now}: it waits again from then, having
   * run since it was last placed.
   */
  void preempted(Entry e, long now) {
    long[] times = e.preemptedAt;
    long waiting = e.waitingSince;
    long ran = e.ran;
    e.ran = ran + Math.max(0, now - e.startedAt);
    if (e.preemptions == times.length) {
      e.preemptedAt = Arrays.copyOf(times, Math.max(4, 2 * times.length));
    }
    e.preemptedAt[e.preemptions++] = now;
    e.waitingSince = now;
    journal.record(() -> {
      e.preemptions--;
      e.preemptedAt = times;
      e.waitingSince = waiting;
      e.ran = ran;
    });
  }

  /** Sets why {@code e} waits. */
  void reason(Entry e, Outcome.Pending reason) {
    Outcome.Pending before = e.reason;
    e.reason = reason;
    journal.record(() -> e.reason = before);
  }

  /** Counts one more time that {@code e} was passed under backfill. */
  void passed(Entry e) {
    e.passes++;
    journal.record(() -> e.passes--);
  }

  /** The pending request {@code id} belongs to, or null. */
  Entry pendingEntry(String id) {
    return pending.get(id);
  }

  /** The entry of running task {@code id}, or null when it does not run. */
  @Nullable Entry runningEntry(String id) {
    return (Entry) engine.booking(id);
  }

  boolean isPending(String id) {
    return pending.containsKey(id);
  }

  /** Every pending request with its reason, in arrival order. */
  List<Outcome.Pending> pending() {
    var entries = new ArrayList<>(new LinkedHashSet<>(pending.values()));
    entries.sort(Comparator.comparingLong(e -> e.arrival));
    var out = new ArrayList<Outcome.Pending>(entries.size());
    for (Entry e : entries) {
      out.add(e.reason());
    }
    return out;
  }

  /**
   * Recomputes every queue's usage from the cluster's placements and fails on any difference, on
   * a queue above its limit, or on a task both pending and placed.
   *
   * @throws AccountingException naming the first difference
   */
  void verify(ClusterView cluster) {
    var usage = new HashMap<Lane, Resources>();
    for (Lane l : lanes.values()) {
      usage.put(l, Resources.ZERO);
    }
    for (Assignment a : cluster.assignments()) {
      Entry e = runningEntry(a.task());
      if (e == null) {
        throw new AccountingException("task " + a.task() + " is placed but the queue does not know it as running");
      }
      usage.merge(e.lane, e.request(), Resources::plus);
    }
    for (Lane l : lanes.values()) {
      if (!usage.get(l).equals(l.usage())) {
        throw new AccountingException("queue " + l.spec.name() + " usage is " + l.usage() + " but recomputes to " + usage.get(l));
      }
      if (!l.usage().within(l.spec.limit())) {
        throw new AccountingException("queue " + l.spec.name() + " holds " + l.usage() + ", above its limit " + l.spec.limit());
      }
    }
    for (String id : pending.keySet()) {
      if (runningEntry(id) != null) {
        throw new AccountingException("task " + id + " is both pending and running");
      }
    }
  }
}
