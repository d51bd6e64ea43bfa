package io.flexsched.sim.report;

import io.flexsched.sim.replay.PaperReplay;
import io.flexsched.sim.replay.PolicySummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports made from hand-written curves, so a test of the drawing needs no replay. */
final class SyntheticReports {
  private SyntheticReports() {}

  /** A curve that follows arrivals up to {@code plateau} and stays there. */
  static double[] saturating(double plateau) {
    double[] out = new double[PaperReplay.MAX_BUCKET + 1];
    for (int b = 0; b < out.length; b++) {
      out[b] = Math.min(b, plateau);
    }
    return out;
  }

  /** A report on {@code workload} with one summary per policy, and models T4 (2 GPUs) and G2 (8). */
  static ReplayReport report(String workload, String... policies) {
    var summaries = new ArrayList<PolicySummary>();
    for (int i = 0; i < policies.length; i++) {
      double plateau = 85 + 2 * i;
      Map<String, double[]> utilisation = new LinkedHashMap<>();
      utilisation.put("T4", saturating(plateau - 5));
      utilisation.put("G2", saturating(plateau + 1));
      double[] sd = new double[PaperReplay.MAX_BUCKET + 1];
      java.util.Arrays.fill(sd, 0.5);
      double[] fragmentation = new double[PaperReplay.MAX_BUCKET + 1];
      for (int b = 0; b < fragmentation.length; b++) {
        fragmentation[b] = 10 + b * 0.5 + i;
      }
      summaries.add(new PolicySummary(policies[i], workload, List.of(42L, 43L), saturating(plateau), sd,
          fragmentation, utilisation, 1.0));
    }
    Map<String, Integer> devices = new LinkedHashMap<>();
    devices.put("T4", 2);
    devices.put("G2", 8);
    return new ReplayReport(workload, 2, 10, 100, devices, summaries);
  }
}
