package io.flexsched.core.engine;

import io.flexsched.core.AccountingException;
import io.flexsched.core.ClusterView;
import io.flexsched.core.Explanation;
import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.PolicyException;
import io.flexsched.core.RejectReason;
import io.flexsched.core.Transaction;
import io.flexsched.core.providers.Providers;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The plain engine. A decision is filter ({@link Filter}) → score and select
 * ({@link IndexedSelection} from the cached answers of state-only policies, {@link ScanSelection}
 * otherwise) → reserve ({@link DeviceReservation}); gangs go through {@link GangPlacement},
 * explanations through {@link NearMissSearch}. The cluster's columns are a {@link ClusterState}.
 *
 * <p>Every public operation runs {@linkplain #atomically atomically}: its changes are logged in
 * the {@link UndoLog} and taken back if anything throws, extensions included ({@link Guard}), with
 * the decision number and the metrics' counts of the operation.
 */
public final class Engine implements PlacementEngine {
  final ClusterState state;
  private final ScoringPolicy policy;
  private final DeviceCatalogue catalogue;
  private final io.flexsched.core.providers.Hardware hardware;
  private final SeededContext context;
  private final Filter filter;
  private final Selection selection;
  private final NumaSelection numa;
  private final RemotePlacement remote;
  private final DeviceReservation reservation;
  private final NearMissSearch nearMiss;
  private final GangPlacement gangs;
  private final RequestCheck requests;
  private final LiveClusterView view;
  private final UndoLog log = new UndoLog();
  private final DeviceChoice bestChoice = new DeviceChoice();
  private final boolean assertMode;
  private final int assertEvery;
  private final boolean explainMisses;
  private final @Nullable EngineMetrics metrics;
  private final Defragmenter defragmenter;
  private long changes;

  private Engine(Settings s, ScoringPolicy policy, DeviceCatalogue catalogue, @Nullable FragmentationMeasure measure) {
    TaskShapes shapes = new TaskShapes();
    this.state = new ClusterState(shapes);
    this.policy = policy;
    this.catalogue = catalogue;
    this.hardware = s.hardware();
    this.context = new SeededContext(s.seed());
    this.filter = new Filter(state);
    this.reservation = new DeviceReservation(state, policy);
    var scorer = new Scorer(state, filter, policy, context, s.tieBreak(), reservation);
    this.selection = new Selection(scorer, shapes);
    this.numa = new NumaSelection(scorer, reservation);
    this.remote = new RemotePlacement(state, scorer, reservation, s.remotePool());
    this.nearMiss = new NearMissSearch(state, filter);
    this.gangs = new GangPlacement(this, state, s.network());
    this.requests = new RequestCheck(state, catalogue, s.network());
    this.view = new LiveClusterView(state);
    this.defragmenter = new Defragmenter(this, state, gangs, new MigrationPlanner(this, state, s.migration()));
    this.assertMode = s.assertMode();
    this.assertEvery = Math.max(1, Integer.getInteger(Settings.ASSERT_EVERY_PROPERTY, 1));
    this.explainMisses = s.nearestMiss();
    for (Node n : s.nodes()) {
      state.addNode(n, Guard.rules(hardware, n));
    }
    check();
    var tags = s.tags().and("policy", policy.name());
    this.metrics = s.registry() == null ? null : new EngineMetrics(s.registry(), tags, s.metricsRefresh(), measure);
    if (metrics != null) {
      metrics.publish(state);
    }
  }

  /**
   * An engine as {@code s} describes it.
   *
   * @throws InvalidSpecException for an unknown policy name or a repeated node name
   */
  public static Engine create(Settings s) {
    DeviceCatalogue catalogue = s.hardware().catalogue(s.catalogue());
    FragmentationMeasure measure = s.fragmentation() != null ? s.fragmentation()
        : s.workload().shapes().isEmpty() ? null : FragmentationMeasure.of(s.workload());
    ScoringPolicy p = s.policy();
    if (p == null) {
      PolicyContext context = measure == null
          ? new PolicyContext(s.seed(), s.workload(), catalogue)
          : new PolicyContext(s.seed(), s.workload(), catalogue, measure);
      p = Providers.scoring().named(s.policyName()).create(context);
    }
    return new Engine(s, p, catalogue, measure);
  }

  /**
   * Runs {@code work} as one operation: if it throws, whatever it changed is taken back (cluster,
   * open transactions, decision number, metrics) before the exception goes on. Operations nest;
   * each failure takes back only its own.
   */
  public <T> T atomically(Supplier<T> work) {
    open();
    try {
      T result = work.get();
      close();
      return result;
    } catch (RuntimeException | Error e) {
      throw abort(e);
    }
  }

  /**
   * Opens an operation, for a caller that runs one without a {@link Supplier} (the queued scheduler:
   * {@link #atomically}'s call to its work would be of too many kinds to inline). Each {@code open}
   * is closed by exactly one {@link #close} or {@link #abort}.
   */
  public void open() {
    log.enter(context.next());
  }

  /** Closes the innermost operation, keeping what it changed. */
  public void close() {
    if (metrics != null && log.outermost()) {
      metrics.commit(state, System.nanoTime());
    }
    log.exit();
  }

  /**
   * Closes the innermost operation after {@code e}, taking back what it changed; returns what to
   * throw ({@code e}, or an {@link AccountingException} when the undo leaves the accounting wrong).
   */
  public RuntimeException abort(Throwable e) {
    boolean outermost = log.outermost();
    context.rewind(log.abort(state));
    if (metrics != null && outermost) {
      metrics.discard();
    }
    if (!(e instanceof AccountingException)) {
      // An undo that leaves the accounting wrong is the worse bug: report it, the cause attached.
      try {
        check();
      } catch (AccountingException broken) {
        broken.addSuppressed(e);
        return broken;
      }
    }
    if (e instanceof Error err) {
      throw err;
    }
    return (RuntimeException) e;
  }

  @Override
  public Outcome place(List<Task> request) {
    return atomically(() -> decide(request, null, explainMisses));
  }

  /**
   * Decides {@code request} (one task, or a gang's members) on the nodes {@code allowed} accepts
   * (every node when null); a gang's members each go only to such nodes. Not atomic by itself:
   * callers run it inside an operation.
   *
   * @param explain whether a pending outcome names its nearest miss
   */
  public Outcome decide(List<Task> request, @Nullable Predicate<String> allowed, boolean explain) {
    return decideValid(validate(request, true), request, allowed, explain);
  }

  /**
   * {@link #decide} for a request {@link #validate} accepted, as {@code gang} (null for a task
   * alone), with nothing placed under its ids since: a queue validates a request once, when it
   * arrives, not on every attempt.
   */
  public Outcome decideValid(@Nullable Gang gang, List<Task> request, @Nullable Predicate<String> allowed, boolean explain) {
    if (gang == null) {
      Task task = request.get(0);
      long start = metrics == null ? 0 : System.nanoTime();
      TaskDecision d = decide(new Attempt(task, state, state.nodeSets.accepting(allowed), null));
      if (metrics != null) {
        long end = System.nanoTime();
        metrics.decided(EngineMetrics.TASK, d.placed(), d.reasons(), end - start, end);
      }
      return d.placed()
          ? new Outcome.Placed(request, List.of(d.assignment()), List.of(), null)
          : pending(request, d.reasons(), explain ? task : null, "no node can take it");
    }
    GangDecision g = gangs.decide(gang, request, state.nodeSets.accepting(allowed));
    if (!g.placed()) {
      Task blocking = request.get(0);
      for (Task t : request) {
        blocking = t.id().equals(g.blocking()) ? t : blocking;
      }
      return pending(request, g.reasons(), explain ? blocking : null,
          "member " + g.blocking() + " fits nowhere" + (g.domain() == null ? "" : " (last tried in " + g.domain() + ")"));
    }
    return new Outcome.Placed(request, GangPlacement.inOrder(g, request), List.of(), g.domain());
  }

  private Outcome.Pending pending(List<Task> request, Map<RejectReason, Integer> reasons, @Nullable Task explained,
      String detail) {
    Explanation.NearMiss nearest = explained == null ? null : nearMiss.explain(explained).nearest();
    return new Outcome.Pending(request, Outcome.Cause.NO_FIT, reasons, nearest, detail);
  }

  @Override
  public Defragmentation defragment(List<Task> request, DisruptionBudget budget) {
    return atomically(() -> {
      Gang gang = validate(request, true);
      return defragmenter.place(gang, request, budget, null, t -> true, InstantSource.system(), null);
    });
  }

  @Override
  public Consolidation consolidate(DisruptionBudget budget) {
    return atomically(() -> defragmenter.consolidate(budget, t -> true, InstantSource.system()));
  }

  /** The planner behind defragment and consolidate, for the queue's own rules; not atomic by itself. */
  public Defragmenter defragmenter() {
    return defragmenter;
  }

  /** How it chooses nodes (tests look at the score index). */
  Selection selection() {
    return selection;
  }

  /** Whether the attempt's task fits live node {@code n} now (the filter alone: nothing changes). */
  boolean fits(int n, Attempt a) {
    return filter.reject(n, a) == null;
  }

  /** Logs {@code undo} to take back a change outside the cluster if the operation or transaction fails. */
  void logOutside(Runnable undo) {
    log.add(new Undo.Outside(undo));
  }

  /** One task's decision: the best node the attempt may use (NUMA affinity first if asked; remote devices last), its devices reserved. */
  TaskDecision decide(Attempt a) {
    context.advance();
    int best = a.task.numa() == Task.Numa.NONE ? -1 : numa.best(a, bestChoice);
    boolean pinned = best >= 0 || a.task.numa() == Task.Numa.REQUIRED;
    if (!pinned) {
      best = selection.best(a, bestChoice);
    }
    if (best < 0) {
      Placement pooled = RemotePlacement.consents(a) ? remote.best(a) : null;
      if (pooled != null) {
        return book(pooled);
      }
      return new TaskDecision(a.task, null, selection.reasons(a, !pinned));
    }
    return book(pinned ? numa.check(best, a, bestChoice) : reservation.check(best, a, bestChoice));
  }

  private TaskDecision book(Placement p) {
    state.place(p);
    log.add(new Undo.Placed(p));
    check();
    return new TaskDecision(p.task(), p.assignment(), Map.of());
  }

  @Override
  public Assignment restore(Task task, Assignment where) {
    return atomically(() -> restoreOne(task, where));
  }

  /**
   * {@link #restore}, not atomic by itself: callers run it inside an operation. The task's own
   * request decides what each device gives; {@code where} decides only which node, devices and
   * profile starts. Fencing does not apply: the task is there already.
   */
  public Assignment restoreOne(Task task, Assignment where) {
    return book(requests.restoring(task, where, reservation)).assignment();
  }

  /** The domain of {@code node} at topology {@code level}, as gangs are placed; null when it is in none. */
  public static @Nullable String domainOf(Node node, String level) {
    return GangPlacement.domainOf(node, level);
  }

  /**
   * Checks a request before anything is decided: not empty; one task without a gang, or a complete
   * gang; no id placed already (when {@code checkPlaced}: an owner that looked its ids up already,
   * as the queue does, spares the second lookup); profiles of known models.
   *
   * @return the request's gang, or null for a single task
   */
  public @Nullable Gang validate(List<Task> request, boolean checkPlaced) {
    return requests.validate(request, checkPlaced);
  }

  /**
   * Books {@code booking} against task {@code taskId}, placed in the current operation, for the
   * engine's owner: kept with the placement (one map for both, not a second lookup a decision).
   * No undo of its own: a failed operation or a rollback takes the new placement back, and the
   * booking with it; a placement put back by a rollback keeps the booking it had.
   *
   * @throws InvalidSpecException when the task is not placed
   * @throws IllegalStateException when it is booked already
   */
  public void book(String taskId, Object booking) {
    Placement p = state.placement(taskId);
    if (p == null) {
      throw LiveClusterView.unknownTask(taskId);
    }
    if (p.booking() != null) {
      throw new IllegalStateException("task " + taskId + " is booked already");
    }
    p.book(booking);
  }

  /** What was booked against placed task {@code taskId}; null when it is not placed or nothing was. */
  public @Nullable Object booking(String taskId) {
    Placement p = state.placement(taskId);
    return p == null ? null : p.booking();
  }

  @Override
  public Assignment release(String taskId) {
    return atomically(() -> unplace(taskId));
  }

  /** Releases placed task {@code taskId}. Not atomic by itself: callers run it inside an operation. */
  public Assignment unplace(String taskId) {
    Placement p = state.placement(taskId);
    if (p == null) {
      throw LiveClusterView.unknownTask(taskId);
    }
    state.unplace(p);
    log.add(new Undo.Released(p));
    check();
    return p.assignment();
  }

  @Override
  public void addNode(Node node) {
    atomically(() -> {
      int n = state.addNode(node, Guard.rules(hardware, node));
      log.add(new Undo.NodeAdded(n));
      check();
      return null;
    });
  }

  @Override
  public List<Assignment> removeNode(String name) {
    return atomically(() -> {
      int n = view.ordinal(name);
      var evicted = new ArrayList<Placement>();
      for (Placement p : state.placements().values()) {
        if (p.node() == n || p.deviceNode() == n) {
          evicted.add(p);
        }
      }
      for (Placement p : evicted) {
        state.unplace(p);
      }
      state.kill(n);
      log.add(new Undo.NodeRemoved(n, evicted));
      check();
      var out = new ArrayList<Assignment>(evicted.size());
      for (Placement p : evicted) {
        out.add(p.assignment());
      }
      return out;
    });
  }

  @Override
  public void fence(String name) {
    setFenced(name, true);
  }

  @Override
  public void unfence(String name) {
    setFenced(name, false);
  }

  private void setFenced(String name, boolean fenced) {
    atomically(() -> {
      int n = view.ordinal(name);
      if (state.isFenced(n) != fenced) {
        state.fence(n, fenced);
        log.add(new Undo.Fenced(n, !fenced));
        check();
      }
      return null;
    });
  }

  @Override
  public Transaction begin() {
    return log.begin(this);
  }

  void endTransaction(EngineTransaction tx, boolean rollback) {
    log.end(tx, rollback, state);
    if (rollback) {
      check();
      // A rollback changes the cluster as an operation does, so the gauges follow it once the
      // refresh interval has passed; inside an operation, that operation's end publishes. The
      // rollback stands even if the fragmentation measure fails here: the next operation publishes
      // again, and fails (changing nothing) if the measure still does.
      if (metrics != null && !log.inOperation()) {
        try {
          metrics.commit(state, System.nanoTime());
        } catch (PolicyException notNow) {
          metrics.discard();
        }
      }
    }
  }

  /** How many transactions are open (for checks that a failed operation left none behind). */
  public int openTransactions() {
    return log.openTransactions();
  }

  @Override
  public Explanation explain(Task task) {
    requests.validateProfile(task);
    return nearMiss.explain(task);
  }

  @Override
  public ClusterView cluster() {
    return view;
  }

  @Override
  public String policyName() {
    return policy.name();
  }

  /** True when every change is checked against a recomputation from scratch. */
  public boolean assertMode() {
    return assertMode;
  }

  /** Counts {@code victims} evicted by a preemption of the running operation. */
  public void recordPreemptions(int victims) {
    if (metrics != null) {
      metrics.preempted(victims);
    }
  }

  /** The engine's metrics, or null without a registry (for tests of what they publish). */
  @Nullable EngineMetrics metrics() {
    return metrics;
  }

  @Override
  public void publishMetrics() {
    if (metrics != null) {
      metrics.publish(state);
    }
  }

  @Override
  public void verifyAccounting() {
    StateCheck.verify(state);
  }

  private void check() {
    if (assertMode && ++changes % assertEvery == 0) {
      StateCheck.verify(state);
    }
  }
}
