package io.flexsched.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The latency histogram against exact percentiles of the same samples. */
class LatencyHistogramTest {
  private static final long MINUTE = 60_000_000_000L;

  @Test
  void everyValueFallsInABucketWhoseBoundsHoldIt() {
    var random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long v = 1 + (random.nextLong() >>> random.nextInt(4, 64)); // up to 2^60 ns: no overflow below
      int b = LatencyHistogram.bucket(v);
      assertThat(b).isBetween(0, LatencyHistogram.BUCKETS - 1);
      assertThat(LatencyHistogram.upperBound(b)).as("upper bound of %s", v).isGreaterThanOrEqualTo(v)
          .isLessThanOrEqualTo(v + v / 8);
      if (b > 0) {
        assertThat(LatencyHistogram.upperBound(b - 1)).as("previous bucket of %s", v).isLessThan(v);
      }
    }
  }

  @Test
  void percentilesAreWithinOneEighthAboveTheExactOnes() {
    var random = new SplittableRandom(11);
    for (int run = 0; run < 50; run++) {
      int n = 1 + random.nextInt(5_000);
      long[] samples = new long[n];
      var h = new LatencyHistogram(MINUTE, 0);
      for (int i = 0; i < n; i++) {
        // Log-normal-ish latencies from about 1 µs to about 10 ms.
        samples[i] = (long) Math.exp(7 + random.nextDouble() * 9);
        h.record(samples[i], i);
      }
      Arrays.sort(samples);
      for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
        long exact = samples[(int) Math.max(0, Math.ceil(q * n) - 1)];
        assertThat(h.percentile(q, n)).as("run %d, q %s of %d samples", run, q, n)
            .isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact + exact / 8.0);
      }
    }
  }

  @Test
  void percentilesForgetWindowsOlderThanThePreviousOne() {
    var h = new LatencyHistogram(MINUTE, 0);
    h.record(1_000_000, 0);
    h.record(1_000, MINUTE + 1);
    assertThat(h.percentile(1.0, MINUTE + 2)).as("the previous window still counts").isGreaterThanOrEqualTo(1_000_000);
    assertThat(h.percentile(1.0, 2 * MINUTE + 2)).as("two windows on, only the newer sample")
        .isGreaterThanOrEqualTo(1_000).isLessThan(2_000);
    assertThat(h.percentile(0.5, 5 * MINUTE)).as("all forgotten").isZero();
  }
}
