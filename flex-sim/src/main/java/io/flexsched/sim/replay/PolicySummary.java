package io.flexsched.sim.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy's replay results over several seeds: mean and sample standard deviation of the
 * allocation and fragmentation curves, per arrival bucket.
 *
 * @param policy the policy's name
 * @param workload the workload's name
 * @param seeds the seeds, in run order
 * @param allocationMean mean allocation % per bucket 0..130
 * @param allocationSd sample standard deviation of allocation per bucket (0 for one seed)
 * @param fragmentationMean mean fragmentation ratio % per bucket
 * @param seconds total wall time of the runs, in seconds
 */
public record PolicySummary(
    String policy, String workload, List<Long> seeds, double[] allocationMean, double[] allocationSd,
    double[] fragmentationMean, double seconds) {

  /** Groups results by policy (in first-seen order) and summarises each group. */
  public static List<PolicySummary> of(List<RunResult> results) {
    Map<String, List<RunResult>> byPolicy = new LinkedHashMap<>();
    for (RunResult r : results) {
      byPolicy.computeIfAbsent(r.policy(), k -> new ArrayList<>()).add(r);
    }
    var out = new ArrayList<PolicySummary>();
    for (List<RunResult> runs : byPolicy.values()) {
      int buckets = PaperReplay.MAX_BUCKET + 1;
      double[] mean = new double[buckets];
      double[] sd = new double[buckets];
      double[] frag = new double[buckets];
      var seeds = new ArrayList<Long>();
      double seconds = 0;
      for (RunResult r : runs) {
        seeds.add(r.seed());
        seconds += r.nanos() / 1e9;
      }
      for (int b = 0; b < buckets; b++) {
        double s = 0;
        double f = 0;
        for (RunResult r : runs) {
          s += r.allocation()[b];
          f += r.fragmentation()[b];
        }
        mean[b] = s / runs.size();
        frag[b] = f / runs.size();
        double ss = 0;
        for (RunResult r : runs) {
          ss += (r.allocation()[b] - mean[b]) * (r.allocation()[b] - mean[b]);
        }
        sd[b] = runs.size() < 2 ? 0 : Math.sqrt(ss / (runs.size() - 1));
      }
      RunResult first = runs.get(0);
      out.add(new PolicySummary(first.policy(), first.workload(), seeds, mean, sd, frag, seconds));
    }
    return out;
  }
}
