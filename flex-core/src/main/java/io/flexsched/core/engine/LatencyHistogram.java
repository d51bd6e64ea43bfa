package io.flexsched.core.engine;

import java.util.Arrays;

/**
 * Decision latencies for percentiles, cheap enough for the placement loop: single-writer,
 * log-linear buckets (eight per power of two, so a percentile is within 12.5% of the true
 * value, reported as its bucket's upper bound), no allocation and no atomics per recording.
 * Percentiles cover the current window and the one before it (each {@code window} long), so
 * they follow the recent past, as Micrometer's own time-window histograms do.
 */
final class LatencyHistogram {
  private static final int SUB = 8;
  private static final int SUB_BITS = 3;
  static final int BUCKETS = 64 * SUB;

  private final long windowNanos;
  private long[] current = new long[BUCKETS];
  private long[] previous = new long[BUCKETS];
  private long windowStart;

  LatencyHistogram(long windowNanos, long now) {
    this.windowNanos = windowNanos;
    this.windowStart = now;
  }

  /** Records one latency of {@code nanos} (at least 1) measured at {@code now}. */
  void record(long nanos, long now) {
    rotate(now);
    current[bucket(Math.max(1, nanos))]++;
  }

  private void rotate(long now) {
    long elapsed = now - windowStart;
    if (elapsed >= windowNanos) {
      long[] spare = previous;
      if (elapsed >= 2 * windowNanos) {
        Arrays.fill(current, 0);
      }
      previous = current;
      Arrays.fill(spare, 0);
      current = spare;
      windowStart = now;
    }
  }

  /** The bucket of a positive value: its power of two, then which eighth of it. */
  static int bucket(long v) {
    int exp = 63 - Long.numberOfLeadingZeros(v);
    if (exp < SUB_BITS) {
      return (int) v;
    }
    int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
    return (exp - SUB_BITS + 1) * SUB + sub;
  }

  /** The largest value that falls in bucket {@code b}. */
  static long upperBound(int b) {
    if (b < SUB) {
      return b;
    }
    int exp = b / SUB - 1 + SUB_BITS;
    int sub = b % SUB;
    long base = 1L << exp;
    long step = 1L << (exp - SUB_BITS);
    return base + (sub + 1) * step - 1;
  }

  /**
   * The latency at or below which {@code q} of the recordings of the last two windows fall, as
   * its bucket's upper bound, in nanoseconds; 0 when nothing was recorded.
   */
  double percentile(double q, long now) {
    rotate(now);
    long total = 0;
    for (int b = 0; b < BUCKETS; b++) {
      total += current[b] + previous[b];
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += current[b] + previous[b];
      if (seen >= rank) {
        return upperBound(b);
      }
    }
    return upperBound(BUCKETS - 1);
  }
}
