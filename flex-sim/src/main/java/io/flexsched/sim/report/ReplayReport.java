package io.flexsched.sim.report;

import io.flexsched.model.Device;
import io.flexsched.model.Node;
import io.flexsched.sim.replay.PolicySummary;
import io.flexsched.sim.replay.Workload;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a replay report shows: the workload's shape and one summary per policy. {@link HtmlReport}
 * and {@link AllocationPng} draw it.
 *
 * @param workload the workload's name
 * @param nodes the number of nodes in the cluster
 * @param gpus the number of devices in the cluster
 * @param tasks the number of original tasks
 * @param devicesPerModel the number of devices of each model, in the cluster's order
 * @param summaries one per policy, in the order to show them
 * @param bound the offline upper bound on GPU allocation per bucket 0..130 (mean over the same
 *     seeds; NaN where not computed), or null when the report shows none
 */
public record ReplayReport(
    String workload, int nodes, int gpus, int tasks, Map<String, Integer> devicesPerModel,
    List<PolicySummary> summaries, double @Nullable [] bound) {

  public ReplayReport {
    devicesPerModel = Collections.unmodifiableMap(new LinkedHashMap<>(devicesPerModel));
    summaries = List.copyOf(summaries);
    if (summaries.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one policy's summary");
    }
    bound = bound == null ? null : bound.clone();
  }

  /** A report without a bound. */
  public ReplayReport(String workload, int nodes, int gpus, int tasks, Map<String, Integer> devicesPerModel,
      List<PolicySummary> summaries) {
    this(workload, nodes, gpus, tasks, devicesPerModel, summaries, null);
  }

  /** This report with the upper bound {@code bound} per bucket shown beside the policies. */
  public ReplayReport withBound(double[] bound) {
    return new ReplayReport(workload, nodes, gpus, tasks, devicesPerModel, summaries, bound);
  }

  /** The report of {@code summaries}, replayed on {@code workload}. */
  public static ReplayReport of(Workload workload, List<PolicySummary> summaries) {
    Map<String, Integer> perModel = new LinkedHashMap<>();
    for (Node node : workload.nodes()) {
      for (Device device : node.devices()) {
        perModel.merge(device.model().name(), 1, Integer::sum);
      }
    }
    return new ReplayReport(workload.name(), workload.nodes().size(), workload.gpus(), workload.tasks().size(),
        perModel, summaries);
  }

  /** The seeds of the first policy's runs (every policy runs the same seeds in {@code flex replay}). */
  public List<Long> seeds() {
    return summaries.get(0).seeds();
  }
}
