package io.flexsched.core;

import io.flexsched.model.InvalidSpecException;
import java.time.Duration;

/**
 * Churn damping for preemption: rules that keep a scheduler from preempting the same tasks over
 * and over, the churn users of shared GPUs meet under Volcano and KAI. A placed task is not a
 * victim while it is younger than {@code minRunTime}, nor, after {@code maxPreemptions}
 * preemptions within {@code window}, for {@code cooling} after the last of them; and a request
 * preempts only once it has waited {@code waitBudget} (since it arrived or was last preempted),
 * unless it outranks the victim by at least {@code priorityGap}.
 *
 * <p>Protection has a price: a protected task keeps its devices whoever needs them, and damping
 * makes lower-priority requests wait longer, so they win backfill's reservations. With
 * {@code yieldToHigherPriority}, both give way to higher-priority requests that wait: a request
 * that would be protected once placed (it reached {@code maxPreemptions}) is not placed while a
 * request of higher priority waits for room, and a reservation held for a request does not keep a
 * request of higher priority off its nodes.
 *
 * <p>Time is the scheduler's clock ({@link Scheduler.Builder#clock}). {@link #OFF}, the default,
 * keeps decisions independent of time; {@link #standard()} is a starting point for a real cluster.
 *
 * @param minRunTime a task placed less than this long ago is not a victim
 * @param maxPreemptions preemptions within {@code window} after which a task is protected
 * @param window the span in which preemptions are counted
 * @param cooling how long a task stays protected after the preemption that reached the count
 * @param waitBudget how long a request waits for free room before it may preempt
 * @param priorityGap a request this many priority levels above a victim may preempt it at once
 * @param yieldToHigherPriority protected requests and reservations give way to waiting requests of
 *     higher priority
 */
public record Damping(Duration minRunTime, int maxPreemptions, Duration window, Duration cooling, Duration waitBudget,
    int priorityGap, boolean yieldToHigherPriority) {

  /** No damping: any allowed victim may go at once, however young or often preempted. */
  public static final Damping OFF = new Damping(Duration.ZERO, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO,
      Duration.ZERO, 1);

  public Damping {
    nonNegative("damping.minRunTime", minRunTime);
    nonNegative("damping.window", window);
    nonNegative("damping.cooling", cooling);
    nonNegative("damping.waitBudget", waitBudget);
    if (maxPreemptions < 1) {
      throw new InvalidSpecException("damping.maxPreemptions", maxPreemptions, "must be at least 1");
    }
    if (priorityGap < 1) {
      throw new InvalidSpecException("damping.priorityGap", priorityGap, "must be at least 1");
    }
  }

  /** These rules, with nothing that yields to higher-priority requests. */
  public Damping(Duration minRunTime, int maxPreemptions, Duration window, Duration cooling, Duration waitBudget,
      int priorityGap) {
    this(minRunTime, maxPreemptions, window, cooling, waitBudget, priorityGap, false);
  }

  /**
   * Ten minutes' minimum run time; protected for a week after 3 preemptions within a week; a
   * request waits five minutes before it preempts, unless it outranks the victim by 2 levels.
   * On the trace's compressed timeline (README) this cuts preemptions 5-6x and no task is
   * preempted more than 3 times, but latency-sensitive tasks wait longer at the tail: a protected
   * task holds its devices, whoever needs them.
   */
  public static Damping standard() {
    return new Damping(Duration.ofMinutes(10), 3, Duration.ofDays(7), Duration.ofDays(7), Duration.ofMinutes(5), 2);
  }

  /**
   * {@link #standard()}'s minimum run time, wait budget and gap; protected for a year after 2
   * preemptions within a year (so, for any task that runs less than a year, at most 2
   * preemptions); and protected requests and reservations yield to waiting requests of higher
   * priority, so that protection does not hold up latency-sensitive work (README: "Churn damping").
   */
  public static Damping yielding() {
    return new Damping(Duration.ofMinutes(10), 2, Duration.ofDays(365), Duration.ofDays(365), Duration.ofMinutes(5), 2,
        true);
  }

  /** True when no rule can hold a victim back ({@code yieldToHigherPriority} holds back no victim). */
  public boolean off() {
    return minRunTime.isZero() && maxPreemptions == Integer.MAX_VALUE && waitBudget.isZero();
  }

  private static void nonNegative(String field, Duration d) {
    if (d == null || d.isNegative()) {
      throw new InvalidSpecException(field, d, "must be a duration of zero or more");
    }
  }
}
