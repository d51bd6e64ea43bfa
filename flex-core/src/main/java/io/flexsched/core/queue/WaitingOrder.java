package io.flexsched.core.queue;

import io.flexsched.core.Scheduler;
import io.flexsched.model.Task;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Scheduler.QueueOrder} as the queue applies it: each request's expected durations,
 * asked once when it arrives (so a pass never calls the embedder's code, and an estimate that
 * throws fails only the submission), and the order of waiting requests at a pass's time.
 */
final class WaitingOrder {
  /** A duration or remaining time the estimate did not give: after every known one. */
  static final long UNKNOWN = Long.MAX_VALUE;

  private enum Rule { FIFO, SJF, SRTF, THEMIS }

  private final Scheduler.QueueOrder order;
  private final Rule rule;

  WaitingOrder(Scheduler.QueueOrder order) {
    this.order = order;
    this.rule = switch (order.name()) {
      case "fifo" -> Rule.FIFO;
      case "sjf" -> Rule.SJF;
      case "srtf" -> Rule.SRTF;
      case "themis" -> Rule.THEMIS;
      default -> throw new IllegalArgumentException("unknown queue order " + order.name());
    };
  }

  /** True when the order depends on time: the time a request ran or waited. */
  boolean readsTime() {
    return rule == Rule.SRTF || rule == Rule.THEMIS;
  }

  /**
   * Each member's expected duration in milliseconds, -1 for unknown; null under FIFO, which needs
   * none.
   *
   * @throws io.flexsched.core.PolicyException when the estimate throws or answers nonsense
   */
  long @Nullable [] expected(List<Task> members) {
    if (rule == Rule.FIFO) {
      return null;
    }
    long[] out = new long[members.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = order.expectedMillis(members.get(i));
    }
    return out;
  }

  /** The order of waiting requests at {@code now}: higher priority first, then the rule, then earlier arrival. */
  Comparator<Entry> at(long now) {
    return switch (rule) {
      case FIFO -> Lane.IN_QUEUE;
      case SJF -> Comparator.comparingInt((Entry e) -> -e.priority)
          .thenComparingLong(WaitingOrder::duration)
          .thenComparingLong(e -> e.arrival);
      case SRTF -> Comparator.comparingInt((Entry e) -> -e.priority)
          .thenComparingLong(WaitingOrder::remainingWork)
          .thenComparingLong(e -> e.arrival);
      case THEMIS -> Comparator.comparingInt((Entry e) -> -e.priority)
          .thenComparing((Entry e) -> rho(e, now), Comparator.reverseOrder())
          .thenComparingLong(e -> e.arrival);
    };
  }

  /** The request's expected duration: its longest member's; {@link #UNKNOWN} when any member's is unknown. */
  static long duration(Entry e) {
    if (e.expected == null) {
      return UNKNOWN;
    }
    long longest = 0;
    for (long x : e.expected) {
      if (x < 0) {
        return UNKNOWN;
      }
      longest = Math.max(longest, x);
    }
    return longest;
  }

  /**
   * The request's remaining work: over its members, the expected duration less the time the
   * request already ran (at least 0), summed; {@link #UNKNOWN} when any member's is unknown.
   */
  static long remainingWork(Entry e) {
    if (e.expected == null) {
      return UNKNOWN;
    }
    long sum = 0;
    for (long x : e.expected) {
      if (x < 0) {
        return UNKNOWN;
      }
      long left = Math.max(0, x - e.ran);
      sum = sum > UNKNOWN - 1 - left ? UNKNOWN - 1 : sum + left;
    }
    return sum;
  }

  /**
   * Themis' finish-time fairness at {@code now}: {@code (now - arrived + remaining) / duration},
   * with {@code remaining = max(0, duration - ran)} and the duration at least 1 ms; 1 when the
   * duration is unknown.
   */
  static double rho(Entry e, long now) {
    long duration = duration(e);
    if (duration == UNKNOWN) {
      return 1;
    }
    double remaining = Math.max(0, duration - e.ran);
    return ((double) (now - e.arrivedAt) + remaining) / Math.max(1, duration);
  }
}
