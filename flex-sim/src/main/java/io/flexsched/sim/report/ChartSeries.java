package io.flexsched.sim.report;

import org.jspecify.annotations.Nullable;

/**
 * One policy's curve in a chart: a value per arrival bucket (NaN where there is none), and
 * optionally its standard deviation over seeds, drawn as a band.
 *
 * @param policy the policy's name, shown in the legend and kept in {@code data-policy}
 * @param colour the stroke colour, {@code #rrggbb}
 * @param values one value per bucket 0..n
 * @param sd one standard deviation per bucket, or null for no band
 * @param dashed drawn dashed: a reference line (such as an upper bound), not a policy's result
 */
record ChartSeries(String policy, String colour, double[] values, double @Nullable [] sd, boolean dashed) {
  /** A policy's curve, drawn solid. */
  ChartSeries(String policy, String colour, double[] values, double @Nullable [] sd) {
    this(policy, colour, values, sd, false);
  }
}
