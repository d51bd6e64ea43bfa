package io.flexsched.core.queue;

import io.flexsched.core.ClusterView;
import io.flexsched.core.Explanation;
import io.flexsched.core.Outcome;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.Resources;
import io.flexsched.core.Scheduler;
import io.flexsched.core.Transaction;
import io.flexsched.core.engine.Engine;
import io.flexsched.core.engine.Settings;
import io.flexsched.core.preempt.Preemption;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link Scheduler}: an {@link Engine} with a {@link PendingSet} of requests, fair share
 * between queues ({@link FairShare}), quotas ({@link QuotaGate}), who may be evicted
 * ({@link ReclaimRules}), backfill's {@link Reservations}, and the {@link Pass} that puts them
 * together. Every operation runs inside the engine's operation and a mark of the queue's
 * {@link Journal}, so a failure takes back both.
 */
public final class QueuedScheduler implements Scheduler {
  private final Engine engine;
  private final Journal journal = new Journal();
  private final PendingSet set;
  private final FairShare fairShare = new FairShare(journal);
  private final Reservations reservations;
  private final FailureMemo memo = new FailureMemo(journal);
  private final Pass pass;
  private final java.time.InstantSource clock;
  private final int assertEvery = Math.max(1, Integer.getInteger(Settings.ASSERT_EVERY_PROPERTY, 1));
  private long checks;

  private QueuedScheduler(Engine engine, QueueSettings settings, boolean explain) {
    this.engine = engine;
    var order = new WaitingOrder(settings.order());
    this.set = new PendingSet(settings.queues(), engine, journal, order);
    Preemption preemption = settings.preemption() == null ? null : new Preemption(engine, settings.preemption());
    this.clock = settings.clock();
    this.reservations = new Reservations(journal, settings.damping().yieldToHigherPriority());
    this.pass = new Pass(engine, preemption, set, fairShare, reservations, memo, journal, settings, order, explain);
    fairShare.measure(engine.cluster());
  }

  /**
   * A scheduler as {@code engine} and {@code queues} describe it.
   *
   * @throws InvalidSpecException for an unknown policy name or a repeated node name
   */
  public static QueuedScheduler create(Settings engine, QueueSettings queues) {
    return new QueuedScheduler(Engine.create(engine), queues, engine.nearestMiss());
  }

  /** Runs {@code work} as one operation of the engine and of the queue: all of it, or none. */
  private <T> T atomically(Supplier<T> work) {
    int mark = open();
    try {
      T result = work.get();
      close();
      return result;
    } catch (RuntimeException | Error e) {
      throw abort(mark, e);
    }
  }

  /**
   * Opens an operation of the engine and of the queue; returns the queue's mark. {@link #place}
   * and {@link #release}, a decision's two halves, run theirs so rather than through
   * {@link #atomically}, whose call to its work sees every operation's lambda (too many kinds to
   * inline) and whose lambdas capture their arguments (an allocation a call).
   */
  private int open() {
    int mark = journal.enter();
    engine.open();
    return mark;
  }

  /** Closes the operation, keeping what it changed. */
  private void close() {
    engine.close();
    journal.keep();
  }

  /** Closes the operation after {@code e}, taking back what it changed; returns what to throw. */
  private RuntimeException abort(int mark, Throwable e) {
    try {
      return engine.abort(e);
    } finally {
      journal.undoTo(mark);
    }
  }

  @Override
  public Outcome place(List<Task> request) {
    int mark = open();
    try {
      pass.forgetMigrations();
      Entry e = set.arrive(request, admit(request), pass.now());
      Outcome.Placed placed = pass.attempt(e);
      check();
      Outcome result = placed != null ? placed : e.reason();
      close();
      return result;
    } catch (RuntimeException | Error e) {
      throw abort(mark, e);
    }
  }

  @Override
  public Defragmentation defragment(List<Task> request, DisruptionBudget budget) {
    return atomically(() -> {
      pass.forgetMigrations();
      Entry e = set.arrive(request, admit(request), pass.now());
      Outcome.Cause quota = QuotaGate.closed(e);
      if (quota != null) {
        return new Defragmentation(QuotaGate.reason(e, quota, engine.cluster().nodes().size()), List.of());
      }
      Defragmentation d = pass.migrate(e, budget, null);
      check();
      return d;
    });
  }

  @Override
  public Consolidation consolidate(DisruptionBudget budget) {
    return atomically(() -> engine.defragmenter().consolidate(budget, t -> true, clock));
  }

  @Override
  public java.util.Map<String, List<Migration>> migrations() {
    return pass.migrations();
  }

  @Override
  public void submit(List<Task> request) {
    atomically(() -> {
      Lane lane = admit(request);
      // The engine checks what it supports (profiles it knows, gangs, links) by trying it now.
      pass.whatIf(request);
      set.enqueue(set.arrive(request, lane, pass.now()));
      // No change to what other requests can get: failed attempts remembered so far stay valid.
      return null;
    });
  }

  /** Checks a request before it is accepted: new ids, one known queue, and what the engine checks. */
  private Lane admit(List<Task> request) {
    if (request.isEmpty()) {
      throw new InvalidSpecException("request", "[]", "must name at least one task");
    }
    Task first = request.get(0);
    for (Task m : request) {
      if (set.isPending(m.id()) || set.runningEntry(m.id()) != null) {
        throw new InvalidSpecException("task.id", "'" + m.id() + "'", "must not repeat a task that is pending or placed");
      }
      if (!Objects.equals(m.queue(), first.queue())) {
        throw new InvalidSpecException("queue", "'" + m.queue() + "'", "must be the same on every member of gang "
            + (m.gang() == null ? "?" : m.gang().name()) + " (" + first.queue() + ")");
      }
    }
    Lane lane = set.lane(first);
    // No member is placed (booked, every placement of ours is): the engine need not look again.
    engine.validate(request, false);
    return lane;
  }

  @Override
  public Optional<Assignment> cancel(String taskId) {
    return atomically(() -> {
      Entry e = set.pendingEntry(taskId);
      if (e != null) {
        set.dequeue(e);
        if (reservations.heldFor(e)) {
          reservations.clear();
          memo.changed();
        }
        return Optional.empty();
      }
      return Optional.of(stop(taskId, "must be a task pending or placed on this cluster"));
    });
  }

  @Override
  public Assignment restore(Task task, Assignment where) {
    return atomically(() -> {
      Lane lane = admit(List.of(task));
      Entry e = set.arrive(List.of(task), lane, pass.now());
      Assignment a = engine.restoreOne(task, where);
      // Its queue holds it from now on. Failures remembered stay valid: the cluster only has less.
      set.run(e, pass.now());
      check();
      return a;
    });
  }

  @Override
  public Assignment release(String taskId) {
    int mark = open();
    try {
      Assignment a = stop(taskId, "must be a task placed on this cluster");
      close();
      return a;
    } catch (RuntimeException | Error e) {
      throw abort(mark, e);
    }
  }

  private Assignment stop(String taskId, String requirement) {
    Entry e = set.runningEntry(taskId);
    if (e == null) {
      throw new InvalidSpecException("task", "'" + taskId + "'", requirement);
    }
    set.stop(e);
    Assignment a = engine.unplace(taskId);
    memo.changed();
    check();
    return a;
  }

  @Override
  public List<Outcome> schedule() {
    return atomically(() -> {
      pass.forgetMigrations();
      var out = new ArrayList<Outcome>(pass.run());
      out.addAll(set.pending());
      check();
      return out;
    });
  }

  @Override
  public void addNode(Node node) {
    atomically(() -> {
      engine.addNode(node);
      reservations.replan(engine.cluster());
      fairShare.measure(engine.cluster());
      memo.changed();
      return null;
    });
  }

  @Override
  public List<Assignment> removeNode(String name) {
    return atomically(() -> {
      // Their entries go with their placements: read them first.
      for (Task t : engine.cluster().node(name).tasks()) {
        set.stop(set.runningEntry(t.id()));
      }
      List<Assignment> evicted = engine.removeNode(name);
      reservations.lost(name, engine.cluster());
      fairShare.measure(engine.cluster());
      memo.changed();
      check();
      return evicted;
    });
  }

  @Override
  public void fence(String name) {
    atomically(() -> {
      engine.fence(name);
      reservations.lost(name, engine.cluster());
      memo.changed();
      return null;
    });
  }

  @Override
  public void unfence(String name) {
    atomically(() -> {
      engine.unfence(name);
      reservations.replan(engine.cluster());
      memo.changed();
      return null;
    });
  }

  @Override
  public Transaction begin() {
    int mark = journal.enter();
    Transaction tx = engine.begin();
    return new Transaction() {
      @Override
      public void commit() {
        tx.commit();
        journal.keep();
      }

      @Override
      public void rollback() {
        tx.rollback();
        journal.undoTo(mark);
      }

      @Override
      public boolean isOpen() {
        return tx.isOpen();
      }

      @Override
      public void close() {
        if (tx.isOpen()) {
          rollback();
        }
      }
    };
  }

  @Override
  public List<Outcome.Pending> pending() {
    return set.pending();
  }

  @Override
  public boolean isPending(String taskId) {
    return set.isPending(taskId);
  }

  @Override
  public List<QueueSpec> queues() {
    var out = new ArrayList<QueueSpec>();
    for (Lane l : set.lanes.values()) {
      out.add(l.spec);
    }
    return out;
  }

  @Override
  public Resources usage(String queue) {
    Lane lane = set.lanes.get(queue);
    if (lane == null) {
      throw new InvalidSpecException("queue", "'" + queue + "'", "must be one of the queues " + set.lanes.keySet());
    }
    return lane.usage();
  }

  @Override
  public long preemptions() {
    return pass.preemptions();
  }

  @Override
  public Optional<String> reservation() {
    return reservations.describe();
  }

  @Override
  public Explanation explain(Task task) {
    return engine.explain(task);
  }

  @Override
  public ClusterView cluster() {
    return engine.cluster();
  }

  @Override
  public String policyName() {
    return engine.policyName();
  }

  @Override
  public void publishMetrics() {
    engine.publishMetrics();
  }

  @Override
  public void verifyAccounting() {
    engine.verifyAccounting();
    set.verify(engine.cluster());
  }

  /** How many engine transactions are open (for checks that a failed operation left none behind). */
  public int openTransactions() {
    return engine.openTransactions();
  }

  private void check() {
    if (engine.assertMode() && ++checks % assertEvery == 0) {
      set.verify(engine.cluster());
    }
  }
}
