package io.flexsched.sim.replay;

import io.flexsched.model.Device;
import io.flexsched.model.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/** Facts about a test's workload, counted the plain way. */
final class ReplayTestWorkloads {
  private ReplayTestWorkloads() {}

  /** Devices per model name, in the order the cluster first lists each model. */
  static Map<String, Integer> devicesPerModel(Workload w) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Node n : w.nodes()) {
      for (Device d : n.devices()) {
        out.merge(d.model().name(), 1, Integer::sum);
      }
    }
    return out;
  }
}
