package io.flexsched.property;

import io.flexsched.core.AccountingException;
import io.flexsched.core.Outcome;
import io.flexsched.core.PolicyException;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.RandomClusters;
import io.flexsched.core.Scheduler;
import io.flexsched.core.TieBreak;
import io.flexsched.core.Transaction;
import io.flexsched.core.providers.Providers;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.PolicyContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One scheduler driven by a sequence of {@link Operation}s next to a {@link Model} of what it must
 * hold, kept from the outcomes it reports. After every step it checks the invariants:
 * <ul>
 *   <li>nothing is over-committed and the reported accounting equals a recomputation from the
 *       public assignments ({@link Recomputation}), and the scheduler's own recomputation of the
 *       engine and of its queues agrees;
 *   <li>the scheduler holds exactly the model's placements, pending requests, nodes and fences,
 *       and each operation did what the model predicts: a duplicate or unknown id is refused, a
 *       removal evicts exactly the node's tasks, a pass places only pending requests and evicts
 *       only placed tasks, a request that fits nowhere names a reason for every live node;
 *   <li>a rejected operation changes nothing; releasing the task placed last restores the exact
 *       state before its placement; a rollback restores the exact state at its begin, queues
 *       included;
 *   <li>in the faulty-SPI mode ({@link Faults}), an operation that fails because an extension
 *       failed leaves the cluster, the queues, the metrics and the open transactions exactly as
 *       they were, and only injected faults fail operations.
 * </ul>
 * The first failure ends the run as a {@link Violation}.
 */
public final class ModelRun {
  /** The invariant checks a run makes; tests switch some off to prove the others fail alone. */
  public enum Check {
    ENGINE_RECOMPUTATION,
    INDEPENDENT_RECOMPUTATION,
    MODEL_AGREEMENT,
    REJECTION_CHANGES_NOTHING,
    RELEASE_RESTORES,
    ROLLBACK_RESTORES,
    FAILURE_CHANGES_NOTHING
  }

  /** The policies a run rotates through by seed. */
  public static final List<String> POLICIES = List.of("random", "dotprod", "clustering", "packing", "bestfit", "fgd", "fgd-exact", "flexfit");
  /** The victim searches a run rotates through. */
  public static final List<String> PREEMPTIONS = List.of("greedy", "exact", "none");

  /** The workload FGD aims at: the shape of the tasks the generator makes. */
  private static final WorkloadDistribution WORKLOAD = typicalWorkload();

  /**
   * How a run's scheduler is built and checked.
   *
   * @param policy the scoring policy
   * @param seed the scheduler's seed
   * @param tieBreak the tie-break rule
   * @param engineAssert the engine's assert mode, or null for the {@code flex.assert} property
   * @param checks the invariant checks to make
   * @param preemption the victim search, or {@code none}
   * @param queues whether tasks go to two queues with guarantees and limits
   * @param faults the share of operations the generator makes {@linkplain Operation.Faulty faulty}
   *     (0: no faults, and no wrappers around the extensions)
   */
  public record Config(String policy, long seed, TieBreak tieBreak, @Nullable Boolean engineAssert, Set<Check> checks,
      String preemption, boolean queues, double faults) {
    public Config {
      checks = Collections.unmodifiableSet(checks.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(checks));
    }

    /** A configuration with greedy preemption, no queues and no faults. */
    public Config(String policy, long seed, TieBreak tieBreak, @Nullable Boolean engineAssert, Set<Check> checks) {
      this(policy, seed, tieBreak, engineAssert, checks, "greedy", false, 0);
    }

    /** The configuration of a seed: policy, tie-break, preemption and queues rotate with it, every check on. */
    public static Config forSeed(long seed) {
      int n = POLICIES.size();
      return new Config(POLICIES.get((int) Math.floorMod(seed, (long) n)), seed,
          Math.floorMod(seed / n, 2) == 0 ? TieBreak.NODE_ORDER : TieBreak.PER_DECISION, null, EnumSet.allOf(Check.class),
          PREEMPTIONS.get((int) Math.floorMod(seed / (2L * n), (long) PREEMPTIONS.size())),
          Math.floorMod(seed / (6L * n), 2) == 1, 0);
    }

    /** This configuration with the engine's assert mode set. */
    public Config withEngineAssert(boolean on) {
      return new Config(policy, seed, tieBreak, on, checks, preemption, queues, faults);
    }

    /** This configuration making only {@code only}. */
    public Config withChecks(Set<Check> only) {
      return new Config(policy, seed, tieBreak, engineAssert, only, preemption, queues, faults);
    }

    /** This configuration with faults injected into a share {@code rate} of operations. */
    public Config withFaults(double rate) {
      return new Config(policy, seed, tieBreak, engineAssert, checks, preemption, queues, rate);
    }

    boolean assertMode() {
      return engineAssert != null ? engineAssert : Boolean.getBoolean("flex.assert");
    }
  }

  /** What a transaction's begin saw, to check and restore at its rollback. */
  private record Saved(Transaction tx, Model model, SchedulerState state, @Nullable ReleaseWitness witness) {}

  /** The task placed last and the state before it, while nothing else has changed since. */
  private record ReleaseWitness(String taskId, ClusterSnapshot before) {}

  private final Config config;
  private final Scheduler scheduler;
  private final @Nullable Faults faults;
  private final @Nullable SimpleMeterRegistry registry;
  private final Model model = new Model();
  private final Deque<Saved> open = new ArrayDeque<>();
  private final List<String> trace = new ArrayList<>();
  private SchedulerState state;
  private @Nullable ReleaseWitness witness;
  /** Whether the current step changed the state (else it must be unchanged). */
  private boolean changed;
  private int steps;
  private @Nullable Violation violation;

  public ModelRun(Config config) {
    this.config = config;
    Scheduler.Builder b = Scheduler.builder().seed(config.seed()).tieBreak(config.tieBreak()).workload(WORKLOAD);
    if (config.engineAssert() != null) {
      b.assertMode(config.engineAssert());
    }
    if (Math.floorMod(config.seed(), 3L) == 1) {
      // Constrained clusters label nodes with pools "a" and "b"; other nodes then lend to no one.
      b.remoteDevicePool("pool");
    }
    if (config.queues()) {
      b.queue(QueueSpec.builder("qa").guaranteedGpuMilli(3_000).limitGpuMilli(9_000).build());
      b.queue(QueueSpec.builder("qb").guaranteedGpuMilli(1_000).limitGpuMilli(6_000).weight(2).build());
    }
    if (config.faults() > 0) {
      this.faults = new Faults();
      this.registry = new SimpleMeterRegistry();
      FragmentationMeasure measure = faults.fragmentation(FragmentationMeasure.of(WORKLOAD));
      var context = new PolicyContext(config.seed(), WORKLOAD, Scheduler.catalogue(), measure);
      b.policy(faults.scoring(Providers.scoring().named(config.policy()).create(context)));
      b.fragmentation(measure);
      var providers = new ArrayList<HardwareProvider>();
      ServiceLoader.load(HardwareProvider.class).forEach(providers::add);
      b.hardware(List.of(faults.hardware(providers, List.of())));
      if (!config.preemption().equals("none")) {
        b.preemption(faults.preemption(preemption(config.preemption(), context)));
      }
      b.migration(faults.migration(io.flexsched.spi.PreemptionPolicy.MigrationPolicy.STANDARD));
      // Shortest job first reads no clock, so runs stay deterministic; its estimate is user code too.
      b.order(Scheduler.QueueOrder.shortestJobFirst(faults.expectedDuration()));
      b.metrics(registry).metricsRefresh(Duration.ZERO);
    } else {
      this.faults = null;
      this.registry = null;
      b.policy(config.policy());
      if (!config.preemption().equals("none")) {
        b.preemption(preemption(config.preemption(), new PolicyContext(config.seed(), WORKLOAD, Scheduler.catalogue())));
      }
    }
    if (config.preemption().equals("none")) {
      b.noPreemption();
    }
    if (Math.floorMod(config.seed(), 3) == 0) {
      // Reservations, a gang's included, come within a run's reach only when a few passes earn one.
      b.backfill(2);
    }
    this.scheduler = b.build();
    this.state = SchedulerState.of(scheduler, registry);
  }

  /**
   * The victim search {@code name}; the exact one bounded by its step and probe budgets alone, not
   * by its wall-clock limit, which is the one outcome that depends on the machine: under load it
   * stopped some searches early in one run and not in its re-run, and the determinism check failed.
   */
  private static io.flexsched.spi.PreemptionPolicy preemption(String name, PolicyContext context) {
    if (name.equals("exact")) {
      return new io.flexsched.core.policy.ExactPreemption(io.flexsched.core.policy.ExactPreemption.MAX_VICTIMS,
          io.flexsched.core.policy.ExactPreemption.MAX_PROBES, io.flexsched.core.policy.ExactPreemption.MAX_STEPS,
          Duration.ofDays(1));
    }
    return Providers.preemption().named(name).create(context);
  }

  /** Runs {@code operations} on a fresh scheduler and fails with the first violation: what a pasted regression test calls. */
  public static void replay(String policy, long seed, TieBreak tieBreak, Operation... operations) {
    replay(new Config(policy, seed, tieBreak, null, EnumSet.allOf(Check.class)), operations);
  }

  /** Runs {@code operations} under {@code config} and fails with the first violation. */
  public static void replay(Config config, Operation... operations) {
    Violation v = new ModelRun(config).runAll(List.of(operations));
    if (v != null) {
      throw new AssertionError("step " + v.step() + ": " + v.message(), v.cause());
    }
  }

  /** Runs every operation, then rolls back what is still open; the first violation, or null. */
  public @Nullable Violation runAll(List<? extends Operation> operations) {
    for (Operation op : operations) {
      if (step(op) != null) {
        return violation;
      }
    }
    return finish();
  }

  /** Performs one operation and checks every invariant; the violation it caused, or null. */
  public @Nullable Violation step(Operation op) {
    if (violation != null) {
      throw new IllegalStateException("the run already failed at step " + violation.step());
    }
    changed = false;
    SchedulerState before = state;
    try {
      perform(op, before);
      state = SchedulerState.of(scheduler, registry);
      // Metrics count every decision, placed or not: what must not change is what was decided on.
      if (!changed && check(Check.REJECTION_CHANGES_NOTHING) && !state.withoutMetrics().equals(before.withoutMetrics())) {
        throw new InvariantViolation("a rejected operation changes nothing", state.differenceFrom(before));
      }
      checkState();
    } catch (InvariantViolation e) {
      violation = new Violation(steps, e.invariant(), e.getMessage(), e);
    } catch (AccountingException e) {
      violation = new Violation(steps, "the engine's accounting recomputes", "the engine's accounting recomputes: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      violation = new Violation(steps, "no unexpected exception", "no unexpected exception: " + e, e);
    }
    steps++;
    return violation;
  }

  /** Runs the operation; one that an injected fault made fail must have changed nothing. */
  private void perform(Operation op, SchedulerState before) {
    if (faults == null) {
      trace.add(op.perform(this));
      return;
    }
    if (op instanceof Operation.Faulty f) {
      faults.arm(f.delay(), f.kinds());
    } else {
      faults.arm(-1, 0);
    }
    try {
      trace.add(op.perform(this));
    } catch (PolicyException e) {
      if (!faults.struck()) {
        throw e; // an extension failed without an injected fault: a bug
      }
      changed = false;
      Operation failed = op instanceof Operation.Faulty f ? f.inner() : op;
      trace.add(failed.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " failed: " + e.extension());
      SchedulerState after = SchedulerState.of(scheduler, registry);
      if (check(Check.FAILURE_CHANGES_NOTHING) && !after.equals(before)) {
        throw new InvariantViolation("a failed operation changes nothing", after.differenceFrom(before) + " (after " + e + ")", e);
      }
    } finally {
      faults.disarm();
    }
  }

  /** Rolls back every transaction still open, innermost first, checking each; the violation, or null. */
  public @Nullable Violation finish() {
    while (violation == null && !open.isEmpty()) {
      step(new Operation.Rollback());
    }
    return violation;
  }

  private boolean check(Check c) {
    return config.checks().contains(c);
  }

  private void checkState() {
    // In assert mode the engine and the queues have already recomputed after each change.
    if (check(Check.ENGINE_RECOMPUTATION) && !config.assertMode()) {
      scheduler.verifyAccounting();
    }
    if (check(Check.INDEPENDENT_RECOMPUTATION)) {
      Recomputation.check(scheduler);
    }
    if (check(Check.MODEL_AGREEMENT)) {
      var actual = new LinkedHashMap<String, Assignment>();
      for (Assignment a : scheduler.cluster().assignments()) {
        actual.put(a.task(), a);
      }
      if (!actual.equals(model.placed)) {
        throw new InvariantViolation("the scheduler holds the model's placements", "scheduler " + actual.values() + ", model " + model.placed.values());
      }
      var names = new ArrayList<String>();
      var fenced = new HashSet<String>();
      for (Node n : scheduler.cluster().nodes()) {
        names.add(n.name());
        if (scheduler.cluster().isFenced(n.name())) {
          fenced.add(n.name());
        }
      }
      if (!names.equals(new ArrayList<>(model.nodes.keySet())) || !fenced.equals(model.fenced)) {
        throw new InvariantViolation("the scheduler holds the model's nodes", "scheduler " + names + " fenced " + fenced
            + ", model " + model.nodes.keySet() + " fenced " + model.fenced);
      }
      var pending = new TreeSet<String>();
      for (Outcome.Pending p : scheduler.pending()) {
        p.tasks().forEach(t -> pending.add(t.id()));
      }
      if (!pending.equals(new TreeSet<>(model.pending.keySet()))) {
        throw new InvariantViolation("the scheduler holds the model's pending requests", "scheduler " + pending + ", model " + model.pending.keySet());
      }
      for (Outcome.Pending p : scheduler.pending()) {
        var request = new TreeSet<String>();
        model.pending.get(p.tasks().get(0).id()).forEach(t -> request.add(t.id()));
        var reported = new TreeSet<String>();
        p.tasks().forEach(t -> reported.add(t.id()));
        if (!request.equals(reported)) {
          throw new InvariantViolation("a request waits whole", "scheduler " + reported + ", model " + request);
        }
      }
      scheduler.reservation().ifPresent(this::checkReservation);
    }
  }

  /** A prediction of the model failed (messages are built only then: they are costly). */
  private void fail(String invariant, String detail) {
    if (check(Check.MODEL_AGREEMENT)) {
      throw new InvariantViolation(invariant, detail);
    }
  }

  private void stateChanged() {
    changed = true;
    witness = null;
  }

  String place(List<Task> request) {
    String ids = ids(request);
    boolean held = anyHeld(request);
    ClusterSnapshot before = state.cluster();
    Outcome o;
    try {
      o = scheduler.place(request);
    } catch (InvalidSpecException e) {
      if (!held) {
        fail("a valid request is considered", "place " + ids + " was refused: " + e.getMessage());
      }
      return "place " + ids + " refused: " + e.getMessage();
    }
    if (held) {
      fail("a held task id is refused", "place " + ids + " accepted a second time: " + o);
    }
    if (o instanceof Outcome.Pending p) {
      checkPending(p, "place " + ids);
      return "place " + ids + " -> none " + p.cause().label() + " " + p.reasons();
    }
    Outcome.Placed p = (Outcome.Placed) o;
    String placed = apply(p, false, "place " + ids);
    if (request.size() == 1 && p.preempted().isEmpty()) {
      witness = new ReleaseWitness(request.get(0).id(), before);
    }
    return "place " + ids + " -> " + placed;
  }

  /**
   * Place now with migrations: a request left pending moved nothing (and, as every rejected step,
   * changed nothing); a placed one moved only placed tasks, each from where the model holds it to
   * another live, unfenced node, none of them a gang member, of the request or of higher priority
   * than the request's lowest, and at most {@code moves} of them.
   */
  String defragment(List<Task> request, int moves) {
    String ids = ids(request);
    boolean held = anyHeld(request);
    io.flexsched.core.PlacementEngine.Defragmentation d;
    try {
      d = scheduler.defragment(request, io.flexsched.core.PlacementEngine.DisruptionBudget.moves(moves));
    } catch (InvalidSpecException e) {
      if (!held) {
        fail("a valid request is considered", "defragment " + ids + " was refused: " + e.getMessage());
      }
      return "defragment " + ids + " refused: " + e.getMessage();
    }
    if (held) {
      fail("a held task id is refused", "defragment " + ids + " accepted a second time: " + d.outcome());
    }
    if (d.outcome() instanceof Outcome.Pending p) {
      if (!d.migrations().isEmpty()) {
        fail("a rejected plan moves nothing", "defragment " + ids + " pending but moved " + d.migrations());
      }
      checkPending(p, "defragment " + ids);
      return "defragment " + ids + " -> none " + p.cause().label();
    }
    if (d.migrations().size() > moves) {
      fail("a plan keeps to its budget", "defragment " + ids + " moved " + d.migrations().size() + " > " + moves);
    }
    int lowest = Integer.MAX_VALUE;
    for (Task t : request) {
      lowest = Math.min(lowest, t.priority());
    }
    var text = new StringBuilder("defragment " + ids + " ->");
    for (io.flexsched.core.PlacementEngine.Migration m : d.migrations()) {
      Task t = model.tasks.get(m.task());
      if (t == null || !m.from().equals(model.placed.get(m.task()))) {
        fail("only placed tasks move, from where they are", "moved " + m + ", the model holds " + model.placed.get(m.task()));
      }
      if (t.gang() != null || t.priority() > lowest || m.fromNode().equals(m.toNode())
          || !model.nodes.containsKey(m.toNode()) || model.fenced.contains(m.toNode()) || !m.to().task().equals(t.id())) {
        fail("a move obeys the rules", "moved " + t + " " + m + " for " + ids);
      }
      model.unplace(m.task());
      model.place(t, m.to());
      text.append(" move:").append(m.task()).append('>').append(m.toNode());
    }
    return text + " " + apply((Outcome.Placed) d.outcome(), false, "defragment " + ids);
  }

  /**
   * A request that fits nowhere names, per reason, every live node; one held back by its queue
   * counts every node under quota.
   */
  private void checkPending(Outcome.Pending p, String what) {
    if (p.cause() == Outcome.Cause.NO_FIT || p.cause() == Outcome.Cause.QUEUE_LIMIT
        || p.cause() == Outcome.Cause.QUEUE_GUARANTEE) {
      int reasons = 0;
      for (int count : p.reasons().values()) {
        reasons += count;
      }
      if (reasons != model.nodes.size()) {
        fail("a pending request has a reason per node", what + ": " + p.cause() + " " + p.reasons() + " for "
            + model.nodes.size() + " live nodes");
      }
    }
  }

  /** The nodes the reservation in force holds, or none. */
  private List<String> reservedNodes() {
    return scheduler.reservation().map(r -> List.of(r.substring(r.indexOf('@') + 1).split(","))).orElse(List.of());
  }

  /**
   * A reservation is held for a pending request (a task by its id, a gang by its name) and holds
   * live, unfenced nodes, each once; a gang holds no more nodes than it has members.
   */
  private void checkReservation(String reservation) {
    String holder = reservation.substring(0, reservation.indexOf('@'));
    List<String> nodes = reservedNodes();
    List<Task> request = model.pending.get(holder);
    if (request == null) {
      for (List<Task> r : model.pending.values()) {
        if (r.size() > 1 && r.get(0).gang().name().equals(holder)) {
          request = r;
        }
      }
    }
    if (request == null || nodes.size() > request.size() || new HashSet<>(nodes).size() != nodes.size()) {
      throw new InvariantViolation("a reservation holds nodes for a pending request", reservation + ", pending "
          + model.pending.keySet());
    }
    for (String n : nodes) {
      if (!model.nodes.containsKey(n) || model.fenced.contains(n)) {
        throw new InvariantViolation("a reservation holds only live, unfenced nodes", reservation + ", live "
            + model.nodes.keySet() + " fenced " + model.fenced);
      }
    }
  }

  /**
   * Books a placement in the model: its victims must be placed (they go back to pending), its
   * tasks must be new (place now) or pending (a pass); returns it as text.
   */
  private String apply(Outcome.Placed p, boolean fromQueue, String what) {
    var text = new StringBuilder();
    var gangs = new LinkedHashMap<String, List<Task>>();
    for (Assignment v : p.preempted()) {
      if (!model.placed.containsKey(v.task()) || !model.placed.get(v.task()).equals(v)) {
        fail("only placed tasks are preempted", what + " preempted " + v + ", the model holds " + model.placed.get(v.task()));
      }
      Task t = model.unplace(v.task());
      if (t.gang() != null && t.gang().size() > 1) {
        gangs.computeIfAbsent(t.gang().name(), k -> new ArrayList<>()).add(t);
      } else {
        model.enqueue(List.of(t));
      }
      text.append(" preempting:").append(v.task());
    }
    for (List<Task> members : gangs.values()) {
      // A gang goes whole: every member, none left running, and it waits again as one request.
      if (members.size() != members.get(0).gang().size()) {
        fail("a gang is preempted whole", what + " preempted " + ids(members) + " of gang " + members.get(0).gang());
      }
      model.enqueue(members);
      text.append(" preempting-gang:").append(members.get(0).gang().name());
    }
    for (int i = 0; i < p.tasks().size(); i++) {
      Task t = p.tasks().get(i);
      Assignment a = p.assignments().get(i);
      if (fromQueue != model.pending.containsKey(t.id()) || model.placed.containsKey(t.id())) {
        fail(fromQueue ? "a pass places only pending requests" : "place now places only new requests", what + " placed " + t.id());
      }
      if (!(a.task().equals(t.id()) && model.nodes.containsKey(a.node()) && !model.fenced.contains(a.node())
          && model.nodes.containsKey(a.deviceNode()) && !model.fenced.contains(a.deviceNode()))) {
        fail("a task is placed on a live, unfenced node as itself", what + " -> " + a);
      }
      if (a.remote() && (t.accelerators().remote() == null || t.gang() != null)) {
        fail("only a task that accepts remote devices gets them, never a gang member", what + " -> " + a);
      }
      model.place(t, a);
      text.append(' ').append(t.id()).append('@').append(compact(a));
    }
    stateChanged();
    return text.toString().strip();
  }

  String submit(List<Task> request) {
    String ids = ids(request);
    boolean held = anyHeld(request);
    try {
      scheduler.submit(request);
    } catch (InvalidSpecException e) {
      if (!held) {
        fail("a valid request is accepted", "submit " + ids + " was refused: " + e.getMessage());
      }
      return "submit " + ids + " refused: " + e.getMessage();
    }
    if (held) {
      fail("a held task id is refused", "submit " + ids + " accepted a second time");
    }
    model.enqueue(request);
    stateChanged();
    return "submit " + ids;
  }

  String cancel(String taskId) {
    boolean pending = model.pending.containsKey(taskId);
    Assignment placed = model.placed.get(taskId);
    java.util.Optional<Assignment> held;
    try {
      held = scheduler.cancel(taskId);
    } catch (InvalidSpecException e) {
      if (pending || placed != null) {
        fail("a held task can be cancelled", "cancel " + taskId + " refused: " + e.getMessage());
      }
      return "cancel " + taskId + " refused";
    }
    if (pending ? held.isPresent() : !held.equals(java.util.Optional.ofNullable(placed))) {
      fail("a cancel withdraws a pending task and releases a placed one", "cancel " + taskId + " returned " + held
          + ", the model holds " + (pending ? "it pending" : placed));
    }
    if (pending) {
      model.withdraw(taskId);
    } else if (placed != null) {
      model.unplace(taskId);
    }
    stateChanged();
    return "cancel " + taskId + (pending ? " withdrawn" : " <- " + held.map(Assignment::node).orElse("?"));
  }

  String schedule() {
    List<Outcome> outcomes = scheduler.schedule();
    var text = new StringBuilder("schedule");
    var stillPending = new TreeSet<String>();
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Placed p) {
        text.append(" [").append(apply(p, true, "schedule")).append(']');
      } else {
        Outcome.Pending p = (Outcome.Pending) o;
        checkPending(p, "schedule, pending " + ids(p.tasks()));
        p.tasks().forEach(t -> stillPending.add(t.id()));
        text.append(' ').append(p.tasks().get(0).id()).append(':').append(p.cause().label());
      }
    }
    if (!stillPending.equals(new TreeSet<>(model.pending.keySet()))) {
      fail("a pass reports every request still pending", "reported " + stillPending + ", the model holds " + model.pending.keySet());
    }
    changed = true; // a pass may record why requests wait, and reserve a node
    scheduler.reservation().filter(r -> reservedNodes().size() > 1 || model.pending.get(r.substring(0, r.indexOf('@'))) == null)
        .ifPresent(r -> text.append(" reserved-gang:").append(r));
    return text.toString();
  }

  String release(String taskId) {
    Assignment expected = model.placed.get(taskId);
    ReleaseWitness w = witness;
    Assignment a;
    try {
      a = scheduler.release(taskId);
    } catch (InvalidSpecException e) {
      if (expected != null) {
        fail("a placed task can be released", "release " + taskId + " refused: " + e.getMessage());
      }
      return "release " + taskId + " refused";
    }
    if (expected == null) {
      fail("an unplaced task cannot be released", "release " + taskId + " returned " + a);
    }
    if (!a.equals(expected)) {
      fail("a release returns the task's assignment", "release " + taskId + " returned " + a + ", placed " + expected);
    }
    stateChanged();
    model.unplace(taskId);
    if (w != null && w.taskId().equals(taskId) && check(Check.RELEASE_RESTORES)) {
      ClusterSnapshot after = ClusterSnapshot.of(scheduler);
      if (!after.equals(w.before())) {
        throw new InvariantViolation("release restores the prior state", "after releasing " + taskId + ": "
            + after.differenceFrom(w.before()));
      }
    }
    return "release " + taskId + " <- " + a.node();
  }

  String addNode(Node node) {
    boolean duplicate = model.nodes.containsKey(node.name());
    try {
      scheduler.addNode(node);
    } catch (InvalidSpecException e) {
      if (!duplicate) {
        fail("a new node is accepted", "addNode " + node.name() + " refused: " + e.getMessage());
      }
      return "addNode " + node.name() + " refused";
    }
    if (duplicate) {
      fail("a node name is not taken twice", "addNode " + node.name() + " accepted a second time");
    }
    stateChanged();
    model.nodes.put(node.name(), node);
    model.removed.remove(node.name());
    return "addNode " + node.name();
  }

  String removeNode(String name) {
    boolean known = model.nodes.containsKey(name);
    List<Assignment> evicted;
    try {
      evicted = scheduler.removeNode(name);
    } catch (InvalidSpecException e) {
      if (known) {
        fail("a live node can be removed", "removeNode " + name + " refused: " + e.getMessage());
      }
      return "removeNode " + name + " refused";
    }
    if (!known) {
      fail("an unknown node cannot be removed", "removeNode " + name + " evicted " + evicted);
    }
    var expected = new LinkedHashMap<String, Assignment>();
    for (Assignment a : model.placed.values()) {
      if (a.node().equals(name) || a.deviceNode().equals(name)) {
        expected.put(a.task(), a);
      }
    }
    var actual = new LinkedHashMap<String, Assignment>();
    for (Assignment a : evicted) {
      actual.put(a.task(), a);
    }
    if (!(actual.equals(expected) && evicted.size() == actual.size())) {
      fail("a removal evicts exactly the tasks on the node or using its devices", "removeNode " + name + " evicted " + evicted + ", the node held " + expected.values());
    }
    stateChanged();
    expected.keySet().forEach(model::unplace);
    model.nodes.remove(name);
    model.fenced.remove(name);
    model.removed.add(name);
    return "removeNode " + name + " evicted " + actual.keySet();
  }

  String fence(String name, boolean fenced) {
    boolean known = model.nodes.containsKey(name);
    String what = (fenced ? "fence " : "unfence ") + name;
    try {
      if (fenced) {
        scheduler.fence(name);
      } else {
        scheduler.unfence(name);
      }
    } catch (InvalidSpecException e) {
      if (known) {
        fail("a live node can be fenced and unfenced", what + " refused: " + e.getMessage());
      }
      return what + " refused";
    }
    if (!known) {
      fail("an unknown node cannot be fenced", what + " accepted");
    }
    if (fenced ? model.fenced.add(name) : model.fenced.remove(name)) {
      stateChanged();
    }
    return what;
  }

  String begin() {
    Transaction tx = scheduler.begin();
    open.push(new Saved(tx, model.copy(), state, witness));
    changed = true; // one more transaction open
    return "begin " + open.size();
  }

  String commit() {
    if (open.isEmpty()) {
      return "commit: none open";
    }
    open.pop().tx().commit();
    changed = true; // one fewer transaction open
    return "commit " + (open.size() + 1);
  }

  String rollback() {
    if (open.isEmpty()) {
      return "rollback: none open";
    }
    Saved s = open.pop();
    s.tx().rollback();
    changed = true;
    model.restore(s.model());
    witness = s.witness();
    if (check(Check.ROLLBACK_RESTORES)) {
      SchedulerState after = SchedulerState.of(scheduler, registry);
      if (!after.withoutMetrics().equals(s.state().withoutMetrics())) {
        throw new InvariantViolation("a rollback restores the state at its begin", after.differenceFrom(s.state()));
      }
    }
    return "rollback " + (open.size() + 1);
  }

  private boolean anyHeld(List<Task> request) {
    for (Task t : request) {
      if (model.holds(t.id())) {
        return true;
      }
    }
    return false;
  }

  private static String ids(List<Task> request) {
    if (request.size() == 1) {
      return request.get(0).id();
    }
    var b = new StringBuilder("[");
    for (Task t : request) {
      b.append(b.length() > 1 ? "," : "").append(t.id());
    }
    return b.append(']').toString();
  }

  /** An assignment as {@code node[#numa] d0:milli/memory[profile@start] ...}, cheaper than its toString. */
  private static String compact(Assignment a) {
    var b = new StringBuilder(a.node());
    if (a.numaNode() != Assignment.NO_NUMA) {
      b.append('#').append(a.numaNode());
    }
    if (a.remote()) {
      b.append('>').append(a.deviceNode());
    }
    for (io.flexsched.model.Slice s : a.slices()) {
      b.append(" d").append(s.device()).append(':').append(s.milli()).append('/').append(s.memoryMiB());
      if (s.profile() != null) {
        b.append('[').append(s.profile()).append('@').append(s.start()).append(']');
      }
    }
    return b.toString();
  }

  // What the generator may look at.

  /** The placed tasks' ids, in placement order. */
  public List<String> placedIds() {
    return new ArrayList<>(model.placed.keySet());
  }

  /** The pending tasks' ids. */
  public List<String> pendingIds() {
    return new ArrayList<>(model.pending.keySet());
  }

  /** The live nodes, in the order they joined. */
  public List<Node> liveNodes() {
    return new ArrayList<>(model.nodes.values());
  }

  /** The fenced nodes' names, sorted. */
  public List<String> fencedNames() {
    return new ArrayList<>(new TreeSet<>(model.fenced));
  }

  /** Names of nodes removed and not back. */
  public List<String> removedNodeNames() {
    var out = new ArrayList<>(model.removed);
    out.sort(null);
    return out;
  }

  /** How many transactions are open. */
  public int openTransactions() {
    return open.size();
  }

  /** The task placed last, while it is the last change, else null. */
  public @Nullable String lastPlaced() {
    return witness == null ? null : witness.taskId();
  }

  /** Each step's decision, as text: equal traces mean equal decisions. */
  public List<String> trace() {
    return Collections.unmodifiableList(trace);
  }

  /** How many injected faults struck (0 without the faulty-SPI mode). */
  public long strikes() {
    return faults == null ? 0 : faults.strikes();
  }

  /** The run's fault injector, or null outside the faulty-SPI mode (for tests of the checks). */
  @Nullable Faults faults() {
    return faults;
  }

  /** The scheduler under test (for assertions in tests). */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The run's configuration. */
  public Config config() {
    return config;
  }

  private static WorkloadDistribution typicalWorkload() {
    var gen = new RandomClusters(0);
    var sample = new ArrayList<Task>();
    for (int i = 0; i < 2_000; i++) {
      sample.add(gen.task());
    }
    return WorkloadDistribution.typical(sample, 0.95);
  }
}
