package io.flexsched.core.engine;

import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine.Consolidation;
import io.flexsched.core.PlacementEngine.Defragmentation;
import io.flexsched.core.PlacementEngine.DisruptionBudget;
import io.flexsched.core.PlacementEngine.Migration;
import io.flexsched.core.Transaction;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Gang;
import io.flexsched.model.Task;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Defragmentation's actions over the {@link MigrationPlanner}'s search (KAI's consolidate action,
 * with a disruption budget): make room for a request by migrations, and report what would enlarge
 * the cluster's largest free shape. A request's moves and its placement are one transaction,
 * kept only if it is placed and every moved task is re-placed. A gang is planned member by member
 * (greedily: room for the member that blocks it, then the gang again) within the same budget.
 * Per task, when it was moved, for the budget's rate limit; a failed operation forgets its moves.
 */
public final class Defragmenter {
  private static final long HOUR_MILLIS = 3_600_000L;
  /** The id of the made-up task that consolidation makes room for; never placed for long. */
  static final String PROBE_ID = "flex:consolidation:probe";

  private final Engine engine;
  private final ClusterState state;
  private final GangPlacement gangs;
  private final MigrationPlanner planner;
  private final Map<String, ArrayDeque<Long>> movedAt = new HashMap<>();

  Defragmenter(Engine engine, ClusterState state, GangPlacement gangs, MigrationPlanner planner) {
    this.gangs = gangs;
    this.engine = engine;
    this.state = state;
    this.planner = planner;
  }

  /**
   * Places {@code request} (of {@code gang}, null for a task alone), migrating within
   * {@code budget} when it does not fit as it is. {@code miss}, when not null, is the outcome of
   * a decision just made in the same state, so it is not made again.
   */
  public Defragmentation place(@Nullable Gang gang, List<Task> request, DisruptionBudget budget,
      @Nullable Predicate<String> allowed, Predicate<Task> mayMove, InstantSource clock,
      Outcome.@Nullable Pending miss) {
    Outcome first = miss != null ? miss : engine.decideValid(gang, request, allowed, false);
    if (first.placed() || budget.movesPerPlan() == 0) {
      return new Defragmentation(first, List.of());
    }
    Predicate<Task> rule = rule(request, budget, mayMove, clock);
    BitSet within = state.nodeSets.accepting(allowed);
    var moves = new ArrayList<Migration>();
    var moved = new HashSet<String>();
    var movedPerGroup = new HashMap<String, Integer>();
    Transaction tx = engine.begin();
    try {
      while (moves.size() < budget.movesPerPlan()) {
        Task blocking = gang == null ? request.get(0) : blocking(gang, request, allowed);
        var rules = new MigrationPlanner.Rules(t -> !moved.contains(t.id()) && rule.test(t), within,
            planner.groupSpare(budget, movedPerGroup));
        MigrationPlanner.Plan plan = planner.plan(blocking, budget.movesPerPlan() - moves.size(), rules);
        if (plan == null || !planner.apply(plan, blocking, rules, gang == null, moves)) {
          break;
        }
        count(plan, moved, movedPerGroup);
        Outcome placed = gang == null
            ? new Outcome.Placed(request, List.of(state.placement(blocking.id()).assignment()), List.of(), null)
            : engine.decideValid(gang, request, allowed, false);
        if (placed.placed()) {
          tx.commit();
          remember(moves, clock);
          return new Defragmentation(placed, moves);
        }
      }
    } finally {
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
    return new Defragmentation(first, List.of());
  }

  /**
   * The moves the search picks for {@code waiting}, all tried and rolled back: the planner alone,
   * whether or not the task fits somewhere as it is (what the planner benchmark times).
   */
  public List<Migration> plan(Task waiting, DisruptionBudget budget) {
    Predicate<Task> rule = rule(List.of(waiting), budget, t -> true, InstantSource.system());
    var rules = new MigrationPlanner.Rules(rule, null, planner.groupSpare(budget, Map.of()));
    MigrationPlanner.Plan plan = planner.plan(waiting, budget.movesPerPlan(), rules);
    if (plan == null) {
      return List.of();
    }
    var out = new ArrayList<Migration>();
    for (int i = 0; i < plan.moves(); i++) {
      MigrationPlanner.Mover m = plan.movers().get(i);
      out.add(new Migration(m.task().id(), m.placement().assignment(), plan.to().get(i)));
    }
    return out;
  }

  /** What {@code budget}'s moves would do for the largest free shape; changes nothing. */
  public Consolidation consolidate(DisruptionBudget budget, Predicate<Task> mayMove, InstantSource clock) {
    int before = largestShape();
    int most = 0;
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n) && !state.fenced[n]) {
        most = Math.max(most, state.devCount[n]);
      }
    }
    var moves = new ArrayList<Migration>();
    var moved = new HashSet<String>();
    var movedPerGroup = new HashMap<String, Integer>();
    int after = before;
    Transaction all = engine.begin();
    try {
      while (moves.size() < budget.movesPerPlan() && after < most) {
        Task probe = Task.builder(PROBE_ID).accelerators(AcceleratorRequest.whole(after + 1))
            .priority(Integer.MAX_VALUE).build();
        Predicate<Task> rule = rule(List.of(probe), budget, mayMove, clock);
        var rules = new MigrationPlanner.Rules(t -> !moved.contains(t.id()) && rule.test(t), null,
            planner.groupSpare(budget, movedPerGroup));
        MigrationPlanner.Plan plan = planner.plan(probe, budget.movesPerPlan() - moves.size(), rules);
        if (plan == null) {
          break;
        }
        int mark = moves.size();
        Transaction step = engine.begin();
        if (!planner.apply(plan, probe, rules, false, moves)) {
          step.rollback();
          moves.subList(mark, moves.size()).clear();
          break;
        }
        step.commit();
        count(plan, moved, movedPerGroup);
        after = largestShape();
      }
    } finally {
      all.rollback();
    }
    return new Consolidation(moves, before, after);
  }

  /** The most whole free devices on one live, unfenced node. */
  int largestShape() {
    int best = 0;
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n) && !state.fenced[n]) {
        best = Math.max(best, state.idleDevices[n]);
      }
    }
    return best;
  }

  /**
   * Who may move for {@code request}: the caller's rule, not one of the request, not a gang member,
   * not of higher priority than the request's lowest, and not moved too often in the last hour.
   */
  private Predicate<Task> rule(List<Task> request, DisruptionBudget budget, Predicate<Task> mayMove,
      InstantSource clock) {
    Set<String> ids = new HashSet<>();
    int lowest = Integer.MAX_VALUE;
    for (Task t : request) {
      ids.add(t.id());
      lowest = Math.min(lowest, t.priority());
    }
    int bound = lowest;
    int rate = budget.movesPerTaskPerHour();
    // The clock is read only when the budget limits the rate, so replays without one read none.
    long now = rate == Integer.MAX_VALUE ? 0 : clock.millis();
    return t -> t.gang() == null && t.priority() <= bound && !ids.contains(t.id())
        && (rate == Integer.MAX_VALUE || recentMoves(t.id(), now) < rate) && mayMove.test(t);
  }

  private int recentMoves(String task, long now) {
    ArrayDeque<Long> times = movedAt.get(task);
    if (times == null) {
      return 0;
    }
    int recent = 0;
    for (long at : times) {
      if (at > now - HOUR_MILLIS) {
        recent++;
      }
    }
    return recent;
  }

  /** Records the moves' time for the rate limit; a failure of the operation takes them back. */
  private void remember(List<Migration> moves, InstantSource clock) {
    long now = clock.millis();
    for (Migration m : moves) {
      ArrayDeque<Long> times = movedAt.computeIfAbsent(m.task(), k -> new ArrayDeque<>());
      times.addLast(now);
      // Only the last hour counts: older times are dropped as new ones come.
      while (times.size() > 1 && times.peekFirst() <= now - HOUR_MILLIS) {
        times.removeFirst();
      }
      String task = m.task();
      engine.logOutside(() -> {
        ArrayDeque<Long> t = movedAt.get(task);
        t.removeLast();
        if (t.isEmpty()) {
          movedAt.remove(task);
        }
      });
    }
  }

  private void count(MigrationPlanner.Plan plan, Set<String> moved, Map<String, Integer> movedPerGroup) {
    for (MigrationPlanner.Mover m : plan.movers()) {
      moved.add(m.task().id());
      if (m.group() != null) {
        movedPerGroup.merge(m.group(), 1, Integer::sum);
      }
    }
  }

  /** The member of {@code gang} that fits nowhere when the gang is tried now; nothing changes. */
  private Task blocking(Gang gang, List<Task> request, @Nullable Predicate<String> allowed) {
    String id;
    try (Transaction tx = engine.begin()) {
      id = gangs.place(gang, request, null).blocking();
    }
    for (Task t : request) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    return request.get(0);
  }
}
