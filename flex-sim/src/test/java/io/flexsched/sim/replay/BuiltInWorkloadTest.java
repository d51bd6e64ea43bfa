package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Node;
import io.flexsched.sim.TraceFiles;
import io.flexsched.sim.trace.TraceNodes;
import io.flexsched.sim.trace.TracePod;
import io.flexsched.sim.trace.TracePods;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in tables are aggregates of the trace: the same node groups and shape frequencies. */
class BuiltInWorkloadTest {
  private static Map<String, Integer> groups(List<Node> nodes) {
    var out = new HashMap<String, Integer>();
    for (Node n : nodes) {
      String model = n.devices().isEmpty() ? "" : n.devices().get(0).model().name();
      out.merge(model + "/" + n.devices().size() + "/" + n.cpuMilli() + "/" + n.memoryMiB(), 1, Integer::sum);
    }
    return out;
  }

  @Test
  void theClusterHasTheTracesNodeGroups() {
    assertThat(groups(BuiltInWorkload.nodes()))
        .isEqualTo(groups(TraceNodes.load(TraceFiles.file("openb_node_list_gpu_node.csv"))));
  }

  @Test
  void theShapeTableIsTheTracesFrequencyTable() {
    var trace = new HashMap<String, Integer>();
    for (TracePod p : TracePods.load(TraceFiles.file("openb_pod_list_default.csv"))) {
      trace.merge(p.cpuMilli() + "/" + p.memoryMiB() + "/" + p.gpus() + "/" + p.gpuMilli(), 1, Integer::sum);
    }
    // Drawing as many tasks as the trace has from the table, each shape's share stays close to the trace's.
    var drawn = new HashMap<String, Integer>();
    BuiltInWorkload.tasks(200_000, 1).forEach(t -> drawn.merge(t.cpuMilli() + "/" + t.memoryMiB() + "/"
        + t.accelerators().count() + "/" + t.accelerators().milliPerDevice(), 1, Integer::sum));
    assertThat(drawn.keySet()).isEqualTo(trace.keySet());
    for (var e : trace.entrySet()) {
      double expected = e.getValue() / 8152.0;
      double actual = drawn.get(e.getKey()) / 200_000.0;
      assertThat(actual).as("share of shape %s", e.getKey()).isBetween(expected * 0.8 - 0.0005, expected * 1.2 + 0.0005);
    }
  }
}
