package io.flexsched.core;

import io.flexsched.model.Assignment;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What became of a request: one task, or a gang's members, all {@link Placed placed} together or
 * all {@link Pending pending}. Every way of placing (place now, a scheduling pass, preemption)
 * answers with it. On Java 21 and later a {@code switch} over it needs no default:
 *
 * <pre>{@code
 * String line = switch (outcome) {
 *   case Outcome.Placed placed -> "on " + placed.assignment().node();
 *   case Outcome.Pending pending -> "waits: " + pending.cause().label();
 * };
 * }</pre>
 */
public sealed interface Outcome permits Outcome.Placed, Outcome.Pending {
  /** The tasks decided: one, or a gang's members, in the order they were given. */
  List<Task> tasks();

  /** True when every task was placed. */
  default boolean placed() {
    return this instanceof Placed;
  }

  /**
   * Every task placed.
   *
   * @param tasks the tasks, in the order they were given
   * @param assignments where each went: {@code assignments.get(i)} is {@code tasks.get(i)}'s
   * @param preempted the assignments the victims held before they were evicted to make room, in
   *     eviction order; empty when nobody was evicted
   * @param domain for a gang with a topology level, the domain its members share; else null
   */
  record Placed(List<Task> tasks, List<Assignment> assignments, List<Assignment> preempted, @Nullable String domain)
      implements Outcome {
    public Placed {
      tasks = List.copyOf(tasks);
      assignments = List.copyOf(assignments);
      preempted = List.copyOf(preempted);
      if (tasks.isEmpty() || tasks.size() != assignments.size()) {
        throw new IllegalArgumentException("a placement needs one assignment per task, got " + assignments.size()
            + " for " + tasks.size());
      }
      for (int i = 0; i < tasks.size(); i++) {
        if (!tasks.get(i).id().equals(assignments.get(i).task())) {
          throw new IllegalArgumentException("assignment " + i + " is " + assignments.get(i).task() + "'s, not "
              + tasks.get(i).id() + "'s");
        }
      }
    }

    /** The first task's assignment: the only one, for a single task. */
    public Assignment assignment() {
      return assignments.get(0);
    }

    /**
     * The assignment of task {@code taskId}.
     *
     * @throws IllegalArgumentException when it is not one of {@link #tasks()}
     */
    public Assignment assignment(String taskId) {
      for (Assignment a : assignments) {
        if (a.task().equals(taskId)) {
          return a;
        }
      }
      throw new IllegalArgumentException("task " + taskId + " is not part of this placement");
    }

    /** The victims' task ids, in eviction order. */
    public List<String> preemptedIds() {
      var ids = new ArrayList<String>(preempted.size());
      for (Assignment a : preempted) {
        ids.add(a.task());
      }
      return ids;
    }

    /**
     * The victims evicted for task {@code taskId}: for a gang, each victim counts against the first
     * member (in {@link #tasks()} order) placed on its node, or the first member when none went
     * there.
     */
    public List<Assignment> preemptedFor(String taskId) {
      var out = new ArrayList<Assignment>();
      for (Assignment victim : preempted) {
        String by = tasks.get(0).id();
        for (Assignment a : assignments) {
          if (a.node().equals(victim.node())) {
            by = a.task();
            break;
          }
        }
        if (by.equals(taskId)) {
          out.add(victim);
        }
      }
      return out;
    }
  }

  /**
   * Not placed, and why.
   *
   * @param tasks the tasks, in the order they were given
   * @param cause the main reason it waits
   * @param reasons per rejection reason, how many nodes turned it down (for a gang, its member that
   *     fit nowhere; for a queue's limit, every live node under {@link RejectReason#QUOTA}); empty
   *     when it was not tried
   * @param nearest the node that came closest to taking it and what it lacks, when the cause is
   *     {@link Cause#NO_FIT} and the scheduler explains misses (see the builder's
   *     {@code nearestMiss}); else null
   * @param detail one sentence naming what blocks it (a queue, a task, a node)
   */
  record Pending(List<Task> tasks, Cause cause, Map<RejectReason, Integer> reasons,
      Explanation.@Nullable NearMiss nearest, String detail) implements Outcome {
    public Pending {
      tasks = List.copyOf(tasks);
      if (tasks.isEmpty()) {
        throw new IllegalArgumentException("a pending outcome needs at least one task");
      }
      reasons = Collections.unmodifiableMap(reasons.isEmpty() ? new EnumMap<>(RejectReason.class) : new EnumMap<>(reasons));
    }

    /** The nearest miss, when there is one. */
    public Optional<Explanation.NearMiss> nearestMiss() {
      return Optional.ofNullable(nearest);
    }
  }

  /** Why a request is pending. Each has a stable kebab-case name. */
  enum Cause {
    /** Submitted (or preempted) since the last scheduling pass, so not tried yet. */
    NOT_TRIED("not-tried"),
    /** No node can take it, and no victims the rules allow would make room. */
    NO_FIT("no-fit"),
    /** Its queue would go above its limit. */
    QUEUE_LIMIT("queue-limit"),
    /** It is not preemptible, so it may not borrow, and its queue would go above its guarantee. */
    QUEUE_GUARANTEE("queue-guarantee"),
    /**
     * A request ahead of it could not be placed: under strict FIFO, one ahead in its queue; under
     * {@link Damping#yieldToHigherPriority()}, one of higher priority, which it would block once
     * placed and protected.
     */
    BLOCKED("blocked"),
    /** The only node it would take is reserved for a request that has waited longer. */
    RESERVED("reserved");

    private final String label;

    Cause(String label) {
      this.label = label;
    }

    /** The cause's stable kebab-case name, e.g. {@code queue-limit}. */
    public String label() {
      return label;
    }
  }
}
