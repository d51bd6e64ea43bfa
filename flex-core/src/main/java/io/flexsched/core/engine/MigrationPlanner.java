package io.flexsched.core.engine;

import io.flexsched.core.PlacementEngine.DisruptionBudget;
import io.flexsched.core.PlacementEngine.Migration;
import io.flexsched.core.PolicyException;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.PreemptionPolicy.MigrationPolicy;
import io.flexsched.spi.Victim;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Defragmentation's search: the fewest migrations of movable tasks off one node that let a waiting
 * task fit there, each moved task re-placed at once by the engine's policy on another node.
 *
 * <p>The bound. A plan empties room on one target node and moves each task once, straight to a
 * node with room now (no chains of moves that make room for moves). Among such plans the search is
 * exact (fewest moves, then least {@link MigrationPolicy#cost cost}, then fewest nodes touched,
 * then the earlier candidate) for plans of at most {@value #EXACT_MOVES} moves, over the
 * {@value #CANDIDATE_NODES} candidate nodes with the least missing accelerator compute and, per
 * node, its {@value #TASKS_PER_NODE} cheapest movable tasks, within {@value #PROBES} what-if
 * placements: a branch and bound by plan size, pruned by cost and by a resource check before any
 * what-if. Beyond that bound (a budget of more moves, or the probes spent without a plan) it is
 * greedy: per candidate node, the tasks holding most compute go first until the check passes.
 *
 * <p>Every what-if runs in an engine transaction that is rolled back; nothing here keeps a change
 * except {@link #apply}, whose caller owns the transaction around it.
 */
final class MigrationPlanner {
  static final int EXACT_MOVES = 3;
  static final int CANDIDATE_NODES = 64;
  static final int TASKS_PER_NODE = 12;
  static final int PROBES = 2_000;

  private final Engine engine;
  private final ClusterState state;
  private final MigrationPolicy policy;
  /** The search in progress: the best plan so far and the what-ifs spent. */
  private @Nullable Plan best;
  private int probes;

  /** A movable task where it runs now. */
  record Mover(Placement placement, long cost, @Nullable String group) {
    Task task() {
      return placement.task();
    }
  }

  /** One plan: the node the waiting task goes to, the movers, and their new assignments. */
  record Plan(int target, List<Mover> movers, List<Assignment> to, long cost, int nodesTouched) {
    int moves() {
      return movers.size();
    }

    boolean betterThan(@Nullable Plan o) {
      if (o == null) {
        return true;
      }
      int c = Integer.compare(moves(), o.moves());
      if (c == 0) {
        c = Long.compare(cost, o.cost);
      }
      if (c == 0) {
        c = Integer.compare(nodesTouched, o.nodesTouched);
      }
      return c < 0;
    }
  }

  /** The rules a search works under: who may move, where tasks may go, what groups may lose. */
  static final class Rules {
    final Predicate<Task> mayMove;
    final @Nullable BitSet allowed;
    final Map<String, Integer> groupSpare;

    Rules(Predicate<Task> mayMove, @Nullable BitSet allowed, Map<String, Integer> groupSpare) {
      this.mayMove = mayMove;
      this.allowed = allowed;
      this.groupSpare = groupSpare;
    }
  }

  MigrationPlanner(Engine engine, ClusterState state, MigrationPolicy policy) {
    this.engine = engine;
    this.state = state;
    this.policy = policy;
  }

  /**
   * Per group named in {@code budget}, how many of its placed tasks may still move (placed minus
   * the minimum available, less {@code movedAlready}); a group at or below its minimum gets 0.
   */
  Map<String, Integer> groupSpare(DisruptionBudget budget, Map<String, Integer> movedAlready) {
    var spare = new HashMap<String, Integer>();
    if (budget.minAvailable().isEmpty()) {
      return spare;
    }
    var placed = new HashMap<String, Integer>();
    for (Placement p : state.placements().values()) {
      String g = group(p.task());
      if (g != null && budget.minAvailable().containsKey(g)) {
        placed.merge(g, 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> e : budget.minAvailable().entrySet()) {
      int left = placed.getOrDefault(e.getKey(), 0) - e.getValue() - movedAlready.getOrDefault(e.getKey(), 0);
      spare.put(e.getKey(), Math.max(0, left));
    }
    return spare;
  }

  /** The best plan for {@code waiting} within {@code maxMoves}, or null when none is found. */
  @Nullable Plan plan(Task waiting, int maxMoves, Rules rules) {
    if (maxMoves <= 0) {
      return null;
    }
    var attempt = new Attempt(waiting, state, null, null);
    List<Candidate> candidates = candidates(waiting, attempt, rules);
    best = null;
    probes = 0;
    int exact = Math.min(maxMoves, EXACT_MOVES);
    for (int size = 1; size <= exact && probes < PROBES; size++) {
      for (Candidate c : candidates) {
        if (c.movers.size() >= size) {
          combinations(c, waiting, attempt, rules, new int[size], 0, 0, 0L);
        }
        if (probes >= PROBES) {
          break;
        }
      }
      if (best != null) {
        return best;
      }
    }
    if (maxMoves <= EXACT_MOVES && probes < PROBES) {
      return null;
    }
    // Greedy beyond the bound: compute-heavy tasks first, until the resource check passes.
    for (Candidate c : candidates) {
      var order = new ArrayList<>(c.movers);
      order.sort(Comparator.comparingLong((Mover m) -> -m.placement().assignment().totalMilli())
          .thenComparingLong(m -> -m.task().cpuMilli()));
      var chosen = new ArrayList<Mover>();
      for (Mover m : order) {
        if (chosen.size() >= maxMoves) {
          break;
        }
        chosen.add(m);
        if (!withinGroups(chosen, rules)) {
          chosen.remove(chosen.size() - 1);
          continue;
        }
        if (roomFor(c.node, waiting, attempt, chosen)) {
          Plan p = trial(c.node, waiting, chosen, rules);
          if (p != null && p.betterThan(best)) {
            best = p;
          }
          break;
        }
      }
    }
    return best;
  }

  /** A node the waiting task could use if enough of its movers left. */
  private static final class Candidate {
    final int node;
    final long missing;
    final List<Mover> movers;

    Candidate(int node, long missing, List<Mover> movers) {
      this.node = node;
      this.missing = missing;
      this.movers = movers;
    }
  }

  private List<Candidate> candidates(Task waiting, Attempt attempt, Rules rules) {
    var out = new ArrayList<Candidate>();
    AcceleratorRequest r = waiting.accelerators();
    var elsewhere = new HashMap<List<Object>, int[]>();
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (!state.isLive(n) || state.fenced[n] || !attempt.mayUse(n) || (rules.allowed != null && !rules.allowed.get(n))) {
        continue;
      }
      var movers = new ArrayList<Mover>();
      for (Task t : state.tasksOn(n)) {
        // A remote task would free devices on another node than this one: it stays where it is.
        if (!state.placement(t.id()).remote() && rules.mayMove.test(t) && movable(t)) {
          Placement p = state.placement(t.id());
          movers.add(new Mover(p, 0, null));
        }
      }
      // The resource check first, with every movable task gone: most nodes fail it, and then no
      // mover needs the (scanning) check that it fits elsewhere, nor its cost.
      if (movers.isEmpty() || !roomFor(n, waiting, attempt, movers)) {
        continue;
      }
      int node = n;
      movers.removeIf(m -> !fitsElsewhere(m.task(), node, rules, elsewhere));
      if (movers.isEmpty() || !roomFor(n, waiting, attempt, movers)) {
        continue;
      }
      movers.replaceAll(m -> new Mover(m.placement(), cost(m.task(), m.placement().assignment()), group(m.task())));
      movers.sort(Comparator.comparingLong(Mover::cost).thenComparingLong(m -> m.placement().sequence()));
      out.add(new Candidate(n, missing(n, r, attempt, waiting), movers));
    }
    out.sort(Comparator.comparingLong((Candidate c) -> c.missing).thenComparingInt(c -> c.node));
    return out.size() > CANDIDATE_NODES ? new ArrayList<>(out.subList(0, CANDIDATE_NODES)) : out;
  }

  /**
   * Whether {@code t}, on node {@code n}, fits some other node it may go to now. A plan only makes
   * other nodes fuller, so a task that fits no other node now cannot be moved by any plan. Answers
   * are shared by tasks of one shape: per shape, the first two nodes that take it.
   */
  private boolean fitsElsewhere(Task t, int n, Rules rules, Map<List<Object>, int[]> known) {
    List<Object> shape = List.of(t.cpuMilli(), t.memoryMiB(), t.accelerators(), t.nodeSelector(), t.tolerations(), t.numa());
    int[] fits = known.get(shape);
    if (fits == null) {
      fits = new int[] {-1, -1};
      var a = new Attempt(t, state, null, null);
      int found = 0;
      for (int m = 0; m < state.nodeSlots() && found < 2; m++) {
        if (state.isLive(m) && (rules.allowed == null || rules.allowed.get(m)) && engine.fits(m, a)) {
          fits[found++] = m;
        }
      }
      known.put(shape, fits);
    }
    return (fits[0] >= 0 && fits[0] != n) || (fits[1] >= 0 && fits[1] != n);
  }

  /** How much the node lacks for the waiting task: accelerator compute, then CPU in the low digits. */
  private long missing(int n, AcceleratorRequest r, Attempt a, Task waiting) {
    long cpuShort = Math.max(0, waiting.cpuMilli() - state.cpuFree[n]);
    if (r.count() == 0) {
      return cpuShort;
    }
    int base = state.devStart[n];
    int[] free = new int[state.devCount[n]];
    int k = 0;
    for (int g = base; g < base + state.devCount[n]; g++) {
      if (a.compatible[state.modelId[g]]) {
        free[k++] = Math.min(state.milliFree[g], r.milliPerDevice());
      }
    }
    java.util.Arrays.sort(free, 0, k);
    long have = 0;
    for (int i = k - 1; i >= Math.max(0, k - r.count()); i--) {
      have += free[i];
    }
    return (long) r.count() * r.milliPerDevice() - have;
  }

  /**
   * Tries the subsets of {@code pick.length} of {@code c}'s first movers (sorted by cost, so a
   * branch stops once it costs more than the best plan of its size).
   */
  private void combinations(Candidate c, Task waiting, Attempt attempt, Rules rules, int[] pick, int depth, int from,
      long cost) {
    if (depth == pick.length) {
      var chosen = new ArrayList<Mover>(pick.length);
      for (int i : pick) {
        chosen.add(c.movers.get(i));
      }
      if (!withinGroups(chosen, rules) || !roomFor(c.node, waiting, attempt, chosen)) {
        return;
      }
      probes++;
      Plan p = trial(c.node, waiting, chosen, rules);
      if (p != null && p.betterThan(best)) {
        best = p;
      }
      return;
    }
    int limit = Math.min(c.movers.size(), TASKS_PER_NODE);
    for (int i = from; i < limit && probes < PROBES; i++) {
      long next = cost + c.movers.get(i).cost();
      if (best != null && best.moves() == pick.length && next > best.cost()) {
        break;
      }
      pick[depth] = i;
      combinations(c, waiting, attempt, rules, pick, depth + 1, i + 1, next);
    }
  }

  private static boolean withinGroups(List<Mover> chosen, Rules rules) {
    if (rules.groupSpare.isEmpty()) {
      return true;
    }
    var used = new HashMap<String, Integer>();
    for (Mover m : chosen) {
      if (m.group() != null && rules.groupSpare.containsKey(m.group())
          && used.merge(m.group(), 1, Integer::sum) > rules.groupSpare.get(m.group())) {
        return false;
      }
    }
    return true;
  }

  /**
   * A necessary condition, checked without any what-if: with {@code leaving} gone, node {@code n}
   * has the CPU, memory and enough devices with the compute and memory (or no tenant, for whole
   * devices) the waiting task asks. Profiles and device rules are left to the what-if.
   */
  private boolean roomFor(int n, Task waiting, Attempt a, List<Mover> leaving) {
    long cpu = state.cpuFree[n];
    long mem = state.memFree[n];
    for (Mover m : leaving) {
      cpu += m.task().cpuMilli();
      mem += m.task().memoryMiB();
    }
    if (cpu < waiting.cpuMilli() || mem < waiting.memoryMiB()) {
      return false;
    }
    AcceleratorRequest r = a.request;
    if (r.count() == 0) {
      return true;
    }
    int base = state.devStart[n];
    int count = state.devCount[n];
    int hostable = 0;
    for (int i = 0; i < count; i++) {
      int g = base + i;
      if (!a.compatible[state.modelId[g]]) {
        continue;
      }
      if (r.profile() != null) {
        hostable++;
        continue;
      }
      long milli = state.milliFree[g];
      long dmem = state.dmemFree[g];
      int tenants = state.tenants[g];
      for (Mover m : leaving) {
        for (Slice s : m.placement().assignment().slices()) {
          if (s.device() == i) {
            milli += s.milli();
            dmem += s.memoryMiB();
            tenants--;
          }
        }
      }
      boolean fits = r.milliPerDevice() == io.flexsched.model.DeviceModel.WHOLE_MILLI ? tenants == 0
          : milli >= r.milliPerDevice() && dmem >= r.memoryMiBPerDevice();
      if (fits) {
        hostable++;
      }
    }
    return hostable >= r.count();
  }

  /** The plan of moving {@code chosen} off {@code target} for {@code waiting}, tried and rolled back. */
  private @Nullable Plan trial(int target, Task waiting, List<Mover> chosen, Rules rules) {
    var tx = engine.begin();
    try {
      return execute(target, waiting, chosen, rules, null);
    } finally {
      tx.rollback();
    }
  }

  /**
   * Moves {@code chosen} off {@code target}, places {@code waiting} there and the movers elsewhere;
   * null when one of them does not fit (the caller rolls back). With {@code moves} not null, it is
   * the real thing: each move is added to it and the movers keep their bookings.
   */
  private @Nullable Plan execute(int target, Task waiting, List<Mover> chosen, Rules rules,
      @Nullable List<Migration> moves) {
    for (Mover m : chosen) {
      engine.unplace(m.task().id());
    }
    var only = new BitSet(state.nodeSlots());
    only.set(target);
    var attempt = new Attempt(waiting, state, only, null);
    if (!engine.fits(target, attempt) || !engine.decide(attempt).placed()) {
      return null;
    }
    BitSet elsewhere = new BitSet(state.nodeSlots());
    if (rules.allowed == null) {
      elsewhere.set(0, state.nodeSlots());
    } else {
      elsewhere.or(rules.allowed);
    }
    elsewhere.clear(target);
    var order = new ArrayList<>(chosen);
    order.sort(Comparator.comparingLong((Mover m) -> -m.placement().assignment().totalMilli())
        .thenComparingLong(m -> m.placement().sequence()));
    var to = new ArrayList<Assignment>();
    var touched = new BitSet();
    touched.set(target);
    long cost = 0;
    for (Mover m : order) {
      TaskDecision d = engine.decide(new Attempt(m.task(), state, elsewhere, null));
      if (!d.placed()) {
        return null;
      }
      to.add(d.assignment());
      touched.set(state.ordinalOf(d.assignment().node()));
      cost += m.cost();
      if (moves != null) {
        state.placement(m.task().id()).book(m.placement().booking());
        moves.add(new Migration(m.task().id(), m.placement().assignment(), d.assignment()));
      }
    }
    return new Plan(target, order, to, cost, touched.cardinality());
  }

  /**
   * Carries out {@code plan} for {@code waiting} inside the caller's transaction, adding the moves
   * to {@code moves}; with {@code keepWaiting} false the waiting task is taken off again, leaving
   * its room free. False when it no longer works out (the caller rolls back).
   */
  boolean apply(Plan plan, Task waiting, Rules rules, boolean keepWaiting, List<Migration> moves) {
    if (execute(plan.target(), waiting, plan.movers(), rules, moves) == null) {
      return false;
    }
    if (!keepWaiting) {
      engine.unplace(waiting.id());
    }
    return true;
  }

  private boolean movable(Task t) {
    try {
      return policy.movable(t);
    } catch (RuntimeException e) {
      throw failed(t, "movable threw " + e, e);
    }
  }

  private long cost(Task t, Assignment a) {
    long c;
    try {
      c = policy.cost(new Victim(t, a));
    } catch (RuntimeException e) {
      throw failed(t, "cost threw " + e, e);
    }
    if (c < 0) {
      throw failed(t, "cost was " + c + ", must be at least 0", null);
    }
    return c;
  }

  @Nullable String group(Task t) {
    try {
      return policy.group(t);
    } catch (RuntimeException e) {
      throw failed(t, "group threw " + e, e);
    }
  }

  private PolicyException failed(Task t, String problem, @Nullable Throwable cause) {
    Placement p = state.placement(t.id());
    return new PolicyException("migration policy '" + policy.name() + "'", p == null ? null : p.assignment().node(),
        t.id(), problem, cause);
  }
}
