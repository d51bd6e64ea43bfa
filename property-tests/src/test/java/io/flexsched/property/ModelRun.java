package io.flexsched.property;

import io.flexsched.core.AccountingException;
import io.flexsched.core.Decision;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.RandomClusters;
import io.flexsched.core.RejectReason;
import io.flexsched.core.TieBreak;
import io.flexsched.core.Transaction;
import io.flexsched.core.UnknownNodeException;
import io.flexsched.core.UnknownTaskException;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.WorkloadDistribution;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One engine driven by a sequence of {@link Operation}s next to a model of what it must hold: the
 * placed tasks and their assignments, the live nodes, the open transactions. After every step it
 * checks the invariants:
 * <ul>
 *   <li>nothing is over-committed and the reported accounting equals a recomputation from the
 *       public assignments ({@link Recomputation}), and the engine's own recomputation agrees
 *       ({@link PlacementEngine#verifyAccounting()});
 *   <li>the engine holds exactly the model's placements and nodes, and each operation did what the
 *       model predicts: a duplicate or unknown id is refused, a removal evicts exactly the node's
 *       tasks, an unplaced task names a reason for every live node;
 *   <li>a rejected operation changes nothing; releasing the task placed last restores the exact
 *       state before its placement; a rollback restores the exact state at its begin.
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
    ROLLBACK_RESTORES
  }

  /** The policies a run rotates through by seed. */
  public static final List<String> POLICIES = List.of("random", "dotprod", "clustering", "packing", "bestfit", "fgd", "fgd-exact");

  /** The workload FGD aims at: the shape of the tasks the generator makes. */
  private static final WorkloadDistribution WORKLOAD = typicalWorkload();

  /**
   * How a run's engine is built and checked.
   *
   * @param policy the scoring policy
   * @param seed the engine's seed
   * @param tieBreak the tie-break rule
   * @param engineAssert the engine's assert mode, or null for the {@code flex.assert} property
   * @param checks the invariant checks to make
   */
  public record Config(String policy, long seed, TieBreak tieBreak, @Nullable Boolean engineAssert, Set<Check> checks) {
    public Config {
      checks = Collections.unmodifiableSet(checks.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(checks));
    }

    /** The configuration of a seed: policy and tie-break rotate with it, every check on. */
    public static Config forSeed(long seed) {
      return new Config(POLICIES.get((int) Math.floorMod(seed, (long) POLICIES.size())), seed,
          Math.floorMod(seed / POLICIES.size(), 2) == 0 ? TieBreak.NODE_ORDER : TieBreak.PER_DECISION,
          null, EnumSet.allOf(Check.class));
    }

    /** This configuration with the engine's assert mode set. */
    public Config withEngineAssert(boolean on) {
      return new Config(policy, seed, tieBreak, on, checks);
    }

    /** This configuration making only {@code only}. */
    public Config withChecks(Set<Check> only) {
      return new Config(policy, seed, tieBreak, engineAssert, only);
    }
  }

  /** What a transaction's begin saw, to check and restore at its rollback. */
  private record Saved(Transaction tx, Map<String, Assignment> placed, Map<String, Task> tasks,
      Map<String, Node> nodes, ClusterSnapshot snapshot, @Nullable ReleaseWitness witness) {}

  /** The task placed last and the state before it, while nothing else has changed since. */
  private record ReleaseWitness(String taskId, ClusterSnapshot before) {}

  private final Config config;
  private final PlacementEngine engine;
  private final Map<String, Assignment> placed = new LinkedHashMap<>();
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Set<String> removedNodes = new HashSet<>();
  private final Deque<Saved> open = new ArrayDeque<>();
  private final List<String> trace = new ArrayList<>();
  private ClusterSnapshot snapshot;
  private @Nullable ReleaseWitness witness;
  /** Whether the current step changed the state (else it must be unchanged). */
  private boolean changed;
  private int steps;
  private @Nullable Violation violation;

  public ModelRun(Config config) {
    this.config = config;
    PlacementEngine.Builder b = PlacementEngine.builder()
        .policy(config.policy()).seed(config.seed()).tieBreak(config.tieBreak()).workload(WORKLOAD);
    if (config.engineAssert() != null) {
      b.assertMode(config.engineAssert());
    }
    this.engine = b.build();
    this.snapshot = ClusterSnapshot.of(engine);
  }

  /**
   * Runs {@code operations} on a fresh engine and fails with the first violation: what a pasted
   * regression test calls.
   */
  public static void replay(String policy, long seed, TieBreak tieBreak, Operation... operations) {
    ModelRun run = new ModelRun(new Config(policy, seed, tieBreak, null, EnumSet.allOf(Check.class)));
    Violation v = run.runAll(List.of(operations));
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
    ClusterSnapshot before = snapshot;
    try {
      trace.add(op.perform(this));
      snapshot = ClusterSnapshot.of(engine);
      if (!changed && check(Check.REJECTION_CHANGES_NOTHING) && !snapshot.equals(before)) {
        throw new InvariantViolation("a rejected operation changes nothing", snapshot.differenceFrom(before));
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
    // In assert mode the engine has already recomputed after each change of the step.
    if (check(Check.ENGINE_RECOMPUTATION) && !engine.assertMode()) {
      engine.verifyAccounting();
    }
    if (check(Check.INDEPENDENT_RECOMPUTATION)) {
      Recomputation.check(engine);
    }
    if (check(Check.MODEL_AGREEMENT)) {
      var actual = new LinkedHashMap<String, Assignment>();
      for (Assignment a : engine.assignments()) {
        actual.put(a.task(), a);
      }
      if (!actual.equals(placed)) {
        throw new InvariantViolation("the engine holds the model's placements", "engine " + actual.values() + ", model " + placed.values());
      }
      var names = new ArrayList<String>();
      for (Node n : engine.nodes()) {
        names.add(n.name());
      }
      if (!names.equals(new ArrayList<>(nodes.keySet()))) {
        throw new InvariantViolation("the engine holds the model's nodes", "engine " + names + ", model " + nodes.keySet());
      }
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

  String place(Task task) {
    String id = task.id();
    boolean duplicate = placed.containsKey(id);
    ClusterSnapshot before = snapshot;
    Decision d;
    try {
      d = engine.place(task);
    } catch (InvalidSpecException e) {
      if (!duplicate) {
        fail("a valid task is considered", "place " + id + " was refused: " + e.getMessage());
      }
      return "place " + id + " refused: " + e.getMessage();
    }
    if (duplicate) {
      fail("a placed task id is refused", "place " + id + " accepted a second time: " + d.assignment());
    }
    if (!d.placed()) {
      int reasons = 0;
      for (int count : d.reasons().values()) {
        reasons += count;
      }
      if (reasons != nodes.size()) {
        fail("an unplaced task has a reason per node", "place " + id + ": reasons " + d.reasons() + " for " + nodes.size() + " live nodes");
      }
      return "place " + id + " -> none " + d.reasons();
    }
    Assignment a = d.assignment();
    if (!(a.task().equals(id) && nodes.containsKey(a.node()))) {
      fail("a task is placed on a live node as itself", "place " + id + " -> " + a);
    }
    if (!d.reasons().isEmpty()) {
      fail("a placed task has no reasons", "place " + id + ": " + d.reasons());
    }
    stateChanged();
    placed.put(id, a);
    tasks.put(id, task);
    witness = new ReleaseWitness(id, before);
    return "place " + id + " -> " + compact(a);
  }

  String release(String taskId) {
    Assignment expected = placed.get(taskId);
    ReleaseWitness w = witness;
    Assignment a;
    try {
      a = engine.release(taskId);
    } catch (UnknownTaskException e) {
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
    placed.remove(taskId);
    tasks.remove(taskId);
    if (w != null && w.taskId().equals(taskId) && check(Check.RELEASE_RESTORES)) {
      ClusterSnapshot after = ClusterSnapshot.of(engine);
      if (!after.equals(w.before())) {
        throw new InvariantViolation("release restores the prior state", "after releasing " + taskId + ": "
            + after.differenceFrom(w.before()));
      }
    }
    return "release " + taskId + " <- " + a.node();
  }

  /** An assignment as {@code node d0:milli/memory[profile@start] ...}, cheaper than its toString. */
  private static String compact(Assignment a) {
    var b = new StringBuilder(a.node());
    for (io.flexsched.model.Slice s : a.slices()) {
      b.append(" d").append(s.device()).append(':').append(s.milli()).append('/').append(s.memoryMiB());
      if (s.profile() != null) {
        b.append('[').append(s.profile()).append('@').append(s.start()).append(']');
      }
    }
    return b.toString();
  }

  String addNode(Node node) {
    boolean duplicate = nodes.containsKey(node.name());
    try {
      engine.addNode(node);
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
    nodes.put(node.name(), node);
    removedNodes.remove(node.name());
    return "addNode " + node.name();
  }

  String removeNode(String name) {
    boolean known = nodes.containsKey(name);
    List<Assignment> evicted;
    try {
      evicted = engine.removeNode(name);
    } catch (UnknownNodeException e) {
      if (known) {
        fail("a live node can be removed", "removeNode " + name + " refused: " + e.getMessage());
      }
      return "removeNode " + name + " refused";
    }
    if (!known) {
      fail("an unknown node cannot be removed", "removeNode " + name + " evicted " + evicted);
    }
    var expected = new LinkedHashMap<String, Assignment>();
    for (Assignment a : placed.values()) {
      if (a.node().equals(name)) {
        expected.put(a.task(), a);
      }
    }
    var actual = new LinkedHashMap<String, Assignment>();
    for (Assignment a : evicted) {
      actual.put(a.task(), a);
    }
    if (!(actual.equals(expected) && evicted.size() == actual.size())) {
      fail("a removal evicts exactly the node's tasks", "removeNode " + name + " evicted " + evicted + ", the node held " + expected.values());
    }
    stateChanged();
    for (String id : expected.keySet()) {
      placed.remove(id);
      tasks.remove(id);
    }
    nodes.remove(name);
    removedNodes.add(name);
    return "removeNode " + name + " evicted " + actual.keySet();
  }

  String begin() {
    Transaction tx = engine.begin();
    open.push(new Saved(tx, new LinkedHashMap<>(placed), new LinkedHashMap<>(tasks), new LinkedHashMap<>(nodes), snapshot, witness));
    return "begin " + open.size();
  }

  String commit() {
    if (open.isEmpty()) {
      return "commit: none open";
    }
    Saved s = open.pop();
    s.tx().commit();
    return "commit " + (open.size() + 1);
  }

  String rollback() {
    if (open.isEmpty()) {
      return "rollback: none open";
    }
    Saved s = open.pop();
    s.tx().rollback();
    changed = true;
    placed.clear();
    placed.putAll(s.placed());
    tasks.clear();
    tasks.putAll(s.tasks());
    for (String name : nodes.keySet()) {
      if (!s.nodes().containsKey(name)) {
        removedNodes.add(name);
      }
    }
    nodes.clear();
    nodes.putAll(s.nodes());
    removedNodes.removeAll(nodes.keySet());
    witness = s.witness();
    if (check(Check.ROLLBACK_RESTORES)) {
      ClusterSnapshot after = ClusterSnapshot.of(engine);
      if (!after.equals(s.snapshot())) {
        throw new InvariantViolation("a rollback restores the state at its begin", after.differenceFrom(s.snapshot()));
      }
    }
    return "rollback " + (open.size() + 1);
  }

  // What the generator may look at.

  /** The placed tasks' ids, in placement order. */
  public List<String> placedIds() {
    return new ArrayList<>(placed.keySet());
  }

  /** The live nodes, in the order they joined. */
  public List<Node> liveNodes() {
    return new ArrayList<>(nodes.values());
  }

  /** Names of nodes removed and not back. */
  public List<String> removedNodeNames() {
    var out = new ArrayList<>(removedNodes);
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

  /** The engine under test (for assertions in tests). */
  public PlacementEngine engine() {
    return engine;
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
