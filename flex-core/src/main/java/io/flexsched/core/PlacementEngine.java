package io.flexsched.core;

import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Map;

/**
 * The plain engine: a cluster's state and where tasks go in it, with no queue. Built by
 * {@link Scheduler#builder()}{@code .buildEngine()}; a {@link Scheduler} is an engine with queues,
 * quotas and preemption on top.
 *
 * <p>Every operation completes or changes nothing: when one throws (bad input, or an extension
 * that fails with a {@link PolicyException}), the cluster, the metrics and the open transactions
 * are exactly as before it. Single-writer: one thread at a time ({@link ConcurrentScheduler} is
 * the thread-safe front). Deterministic: the same nodes, tasks, policy and seed give the same
 * decisions.
 */
public interface PlacementEngine {
  /**
   * Places {@code task} where the policy scores best, or says why it fits nowhere. A task is a gang
   * of one: this is {@code place(List.of(task))}.
   */
  default Outcome place(Task task) {
    return place(List.of(task));
  }

  /**
   * Places a request: one task without a gang, or every member of one gang (all
   * {@code gang.size()} of them, each naming the gang), all or none. A gang with a topology level
   * goes under one domain of that level (the one with the least free GPU compute that holds it, so
   * whole domains stay free); a preferred level falls back to the whole cluster, a required one
   * does not. Members are placed largest first.
   *
   * @return {@link Outcome.Placed}, or {@link Outcome.Pending} with cause {@link Outcome.Cause#NO_FIT}
   * @throws io.flexsched.model.InvalidSpecException when the request is malformed: empty, a gang
   *     member alone, members of different or incomplete gangs, an id already placed or repeated,
   *     a profile of no known model
   */
  Outcome place(List<Task> request);

  /**
   * Accounts a task that already holds {@code where}: state rebuilt from a source of truth outside
   * the engine (an embedding scheduler's restart, tasks another scheduler placed). It goes exactly
   * there, on the node, devices and profile starts {@code where} names, whatever the policy would
   * choose and whether or not the node is fenced; the task's own request says how much of each
   * device it holds. Nothing else moves.
   *
   * @return the task's assignment
   * @throws io.flexsched.model.InvalidSpecException naming the field and the value when the task
   *     is malformed, placed already or in a gang, {@code where} names another task or an unknown
   *     node, or the task does not fit there now (CPU, memory, or a device that cannot host it)
   */
  Assignment restore(Task task, Assignment where);

  /**
   * Releases a placed task's resources.
   *
   * @return its assignment
   * @throws io.flexsched.model.InvalidSpecException naming the field {@code task} when no such task is placed
   */
  Assignment release(String taskId);

  /**
   * Adds a node with all of its capacity free.
   *
   * @throws io.flexsched.model.InvalidSpecException when a node of that name exists
   */
  void addNode(Node node);

  /**
   * Removes a node; the tasks on it are evicted (released, not re-queued) and returned.
   *
   * @throws io.flexsched.model.InvalidSpecException naming the field {@code node} when there is no such node
   */
  List<Assignment> removeNode(String name);

  /**
   * Fences a node (a cordon): it keeps its tasks but takes no new ones, and counts under
   * {@link RejectReason#FENCED} when a task is explained. Fencing a fenced node changes nothing.
   *
   * @throws io.flexsched.model.InvalidSpecException naming the field {@code node} when there is no such node
   */
  void fence(String name);

  /**
   * Lets a fenced node take tasks again.
   *
   * @throws io.flexsched.model.InvalidSpecException naming the field {@code node} when there is no such node
   */
  void unfence(String name);

  /** Opens a transaction; changes made until it ends are committed or rolled back together. */
  Transaction begin();

  /**
   * Explains where {@code task} could go in the current state: per reason how many live nodes
   * reject it, how many would take it, and the nearest miss. Read-only: it changes nothing and
   * draws no random numbers. A gang member is explained on its own (as if its gang had no
   * topology constraint). It filters every node, so it is meant for the tasks a user asks about.
   *
   * @throws io.flexsched.model.InvalidSpecException when the task names a profile of no allowed, known model
   */
  Explanation explain(Task task);

  /** A read-only view of the cluster, which follows its changes. */
  ClusterView cluster();

  /** The scoring policy's name. */
  String policyName();

  /**
   * Publishes the metrics now (call it on the engine's thread); without a registry it does nothing.
   * Otherwise metrics are published after an operation once the builder's refresh interval has passed.
   */
  void publishMetrics();

  /**
   * Recomputes all accounting from scratch and fails on any difference, whatever the assert mode.
   *
   * @throws AccountingException naming the first difference
   */
  void verifyAccounting();

  /**
   * Places a request as {@link #place(List)} does, and when it fits nowhere although the room
   * exists in pieces, first migrates placed tasks to make room: the fewest moves (then the least
   * cost, by default accelerator compute moved, then the fewest nodes touched) within
   * {@code budget}. A migration re-places a task on another node at once; it is never evicted. Only
   * tasks the migration policy allows move (by default the preemptible ones), never a gang member
   * and never a task of higher priority than the request's lowest. The moves and the placement are
   * kept together or not at all: when the request does not then fit, nothing moves. The search is
   * exact for small plans and greedy beyond (the bound is in the README).
   *
   * @return the outcome, with the moves made (none when it fit as it was or does not fit)
   * @throws InvalidSpecException as {@link #place(List)} does
   */
  Defragmentation defragment(List<Task> request, DisruptionBudget budget);

  /**
   * What, within {@code budget}, would enlarge the largest placeable shape of the cluster (the
   * most whole free devices on one node) the most, one step at a time: the moves, for an operator to
   * apply; nothing is changed.
   */
  Consolidation consolidate(DisruptionBudget budget);

  /**
   * How much defragmentation may disturb (Kubernetes' PodDisruptionBudget, for moves).
   *
   * @param movesPerPlan at most this many moves in one plan (0: never move)
   * @param movesPerTaskPerHour a task moved this many times in the last hour (the scheduler's
   *     clock) does not move again
   * @param minAvailable per disruption group (see the migration policy's {@code group}), how many
   *     of its placed tasks stay untouched by a plan
   */
  record DisruptionBudget(int movesPerPlan, int movesPerTaskPerHour, Map<String, Integer> minAvailable) {
    /** No moves at all. */
    public static final DisruptionBudget NONE = moves(0);

    public DisruptionBudget {
      if (movesPerPlan < 0) {
        throw new InvalidSpecException("budget.movesPerPlan", movesPerPlan, "must be at least 0");
      }
      if (movesPerTaskPerHour < 1) {
        throw new InvalidSpecException("budget.movesPerTaskPerHour", movesPerTaskPerHour, "must be at least 1");
      }
      for (Map.Entry<String, Integer> e : minAvailable.entrySet()) {
        if (e.getKey() == null || e.getKey().isBlank()) {
          throw new InvalidSpecException("budget.minAvailable", "'" + e.getKey() + "'", "must name a group");
        }
        if (e.getValue() == null || e.getValue() < 0) {
          throw new InvalidSpecException("budget.minAvailable." + e.getKey(), e.getValue(), "must be at least 0");
        }
      }
      minAvailable = Map.copyOf(minAvailable);
    }

    /** At most {@code k} moves per plan, no rate limit, no groups. */
    public static DisruptionBudget moves(int k) {
      return new DisruptionBudget(k, Integer.MAX_VALUE, Map.of());
    }

    /** This budget with at most {@code m} moves per task per hour. */
    public DisruptionBudget perTaskPerHour(int m) {
      return new DisruptionBudget(movesPerPlan, m, minAvailable);
    }

    /** This budget with at least {@code n} tasks of {@code group} left untouched. */
    public DisruptionBudget minAvailable(String group, int n) {
      var m = new java.util.HashMap<>(minAvailable);
      m.put(group, n);
      return new DisruptionBudget(movesPerPlan, movesPerTaskPerHour, m);
    }
  }

  /**
   * One move: a placed task taken from one assignment to another, on another node.
   *
   * @param task the task moved
   * @param from where it ran
   * @param to where it runs now (or would, in a consolidation report)
   */
  record Migration(String task, Assignment from, Assignment to) {
    /** The node it left. */
    public String fromNode() {
      return from.node();
    }

    /** The node it went to. */
    public String toNode() {
      return to.node();
    }
  }

  /**
   * What {@link #defragment} did.
   *
   * @param outcome the request's outcome
   * @param migrations the moves made for it, in order; empty when none were (or it stayed pending)
   */
  record Defragmentation(Outcome outcome, List<Migration> migrations) {
    public Defragmentation {
      migrations = List.copyOf(migrations);
    }
  }

  /**
   * What {@link #consolidate} would move.
   *
   * @param migrations the moves, in the order to make them
   * @param largestBefore the most whole free devices on one node now
   * @param largestAfter the same after the moves
   */
  record Consolidation(List<Migration> migrations, int largestBefore, int largestAfter) {
    public Consolidation {
      migrations = List.copyOf(migrations);
    }
  }
}
