package io.flexsched.sim.trace;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Reads a trace node list ({@code sn,cpu_milli,memory_mib,gpu,model}): the GPU nodes of
 * {@code openb_node_list_gpu_node.csv}, or all nodes of {@code openb_node_list_all_node.csv}
 * (CPU-only nodes have 0 GPUs and no model).
 */
public final class TraceNodes {
  private static final List<String> COLUMNS = List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");

  private TraceNodes() {}

  /** The nodes of {@code path}, models looked up in the built-in catalogue. */
  public static List<Node> load(Path path) {
    return load(path, DeviceCatalogue.builtIn());
  }

  /**
   * The nodes of {@code path}, models looked up in {@code catalogue}.
   *
   * @throws TraceFormatException naming the file, line and column of the first bad cell
   */
  public static List<Node> load(Path path, DeviceCatalogue catalogue) {
    CsvTable t = CsvTable.read(path, COLUMNS, COLUMNS.size());
    var nodes = new ArrayList<Node>(t.size());
    var names = new HashSet<String>();
    for (int row = 0; row < t.size(); row++) {
      String name = t.text(row, "sn");
      if (name.isEmpty()) {
        throw t.error(row, "sn", "''", "must name the node");
      }
      if (!names.add(name)) {
        throw t.error(row, "sn", "'" + name + "'", "must not repeat a node");
      }
      long cpu = t.number(row, "cpu_milli", 0, Long.MAX_VALUE);
      long memory = t.number(row, "memory_mib", 0, Long.MAX_VALUE);
      int gpus = (int) t.number(row, "gpu", 0, 64);
      String modelName = t.text(row, "model");
      Node.Builder b = Node.builder(name).cpuMilli(cpu).memoryMiB(memory);
      if (gpus > 0) {
        if (modelName.isEmpty()) {
          throw t.error(row, "model", "''", "must name the GPU model of a node with GPUs");
        }
        DeviceModel model = catalogue.find(modelName).orElse(null);
        if (model == null) {
          throw t.error(row, "model", "'" + modelName + "'", "must be a known model " + new java.util.TreeSet<>(catalogue.models().keySet()));
        }
        b.devices(model, gpus);
      }
      try {
        nodes.add(b.build());
      } catch (InvalidSpecException e) {
        throw t.error(row, "sn", "'" + name + "'", "must make a valid node: " + e.getMessage());
      }
    }
    return nodes;
  }
}
