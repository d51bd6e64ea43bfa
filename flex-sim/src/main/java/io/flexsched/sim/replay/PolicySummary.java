package io.flexsched.sim.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy's replay results over several seeds: mean and sample standard deviation of the
 * allocation curve, and the mean fragmentation and per-model utilisation curves, per arrival
 * bucket.
 *
 * @param policy the policy's name
 * @param workload the workload's name
 * @param seeds the seeds, in run order
 * @param allocationMean mean allocation % per bucket 0..130
 * @param allocationSd sample standard deviation of allocation per bucket (0 for one seed)
 * @param fragmentationMean mean fragmentation ratio % per bucket
 * @param utilisationMean per device model (in the cluster's order), the mean % of its compute
 *     allocated per bucket; a model only some runs recorded is left out
 * @param seconds total wall time of the runs, in seconds
 */
public record PolicySummary(
    String policy, String workload, List<Long> seeds, double[] allocationMean, double[] allocationSd,
    double[] fragmentationMean, Map<String, double[]> utilisationMean, double seconds) {

  public PolicySummary {
    seeds = List.copyOf(seeds);
    utilisationMean = Collections.unmodifiableMap(new LinkedHashMap<>(utilisationMean));
  }

  /** A summary without per-model utilisation (as summarised before it was recorded). */
  public PolicySummary(
      String policy, String workload, List<Long> seeds, double[] allocationMean, double[] allocationSd,
      double[] fragmentationMean, double seconds) {
    this(policy, workload, seeds, allocationMean, allocationSd, fragmentationMean, Map.of(), seconds);
  }

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
      out.add(new PolicySummary(first.policy(), first.workload(), seeds, mean, sd, frag, utilisation(runs), seconds));
    }
    return out;
  }

  private static Map<String, double[]> utilisation(List<RunResult> runs) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String model : runs.get(0).utilisation().keySet()) {
      double[] sum = new double[PaperReplay.MAX_BUCKET + 1];
      boolean everyRun = true;
      for (RunResult r : runs) {
        double[] u = r.utilisation().get(model);
        if (u == null) {
          everyRun = false;
          break;
        }
        for (int b = 0; b < sum.length; b++) {
          sum[b] += u[b];
        }
      }
      if (everyRun) {
        for (int b = 0; b < sum.length; b++) {
          sum[b] /= runs.size();
        }
        out.put(model, sum);
      }
    }
    return out;
  }
}
