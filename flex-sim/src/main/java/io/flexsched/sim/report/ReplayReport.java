package io.flexsched.sim.report;

import io.flexsched.model.Device;
import io.flexsched.model.Node;
import io.flexsched.sim.replay.PolicySummary;
import io.flexsched.sim.replay.Workload;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 */
public record ReplayReport(
    String workload, int nodes, int gpus, int tasks, Map<String, Integer> devicesPerModel,
    List<PolicySummary> summaries) {

  public ReplayReport {
    devicesPerModel = Collections.unmodifiableMap(new LinkedHashMap<>(devicesPerModel));
    summaries = List.copyOf(summaries);
    if (summaries.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one policy's summary");
    }
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
