package io.flexsched.benchmarks;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Task;
import io.flexsched.sim.replay.BuiltInWorkload;
import io.flexsched.model.WorkloadDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The clusters the benchmarks run on: the trace's 1,213 nodes (as the built-in workload shapes
 * them), and synthetic heterogeneous clusters of 8-GPU nodes in the trace's mix of models.
 */
final class Clusters {
  private Clusters() {}

  static List<Node> named(String name) {
    return switch (name) {
      case "trace-1k" -> BuiltInWorkload.nodes();
      case "synthetic-10k" -> synthetic(10_000, 10);
      case "synthetic-100k" -> synthetic(100_000, 100);
      default -> throw new IllegalArgumentException("unknown cluster " + name);
    };
  }

  /** {@code nodes} 8-GPU nodes of the trace's fractional models, drawn with {@code seed}. */
  static List<Node> synthetic(int nodes, long seed) {
    DeviceCatalogue c = DeviceCatalogue.builtIn();
    DeviceModel[] models = {c.require("G2"), c.require("G2"), c.require("G2"), c.require("T4"),
        c.require("V100M32"), c.require("G3"), c.require("P100"), c.require("A10")};
    long[][] hosts = {{96_000, 393_216}, {128_000, 786_432}, {64_000, 262_144}};
    var random = new SplittableRandom(seed);
    var out = new ArrayList<Node>(nodes);
    for (int i = 0; i < nodes; i++) {
      long[] h = hosts[random.nextInt(hosts.length)];
      out.add(Node.of(String.format("n%06d", i), h[0], h[1], models[random.nextInt(models.length)], 8));
    }
    return out;
  }

  /** A stream of tasks with the trace's shapes. */
  static List<Task> tasks(int count, long seed) {
    return BuiltInWorkload.tasks(count, seed);
  }

  /**
   * A named cluster, the stream of tasks that fills it (twice its GPUs), the target workload FGD
   * is given (the typical shapes of the stream's first 8,152 tasks) and its GPU capacity.
   */
  record Workbench(List<Node> nodes, List<Task> stream, WorkloadDistribution workload, long capacityMilli) {
    /** Places the stream's tasks in order until {@code fill}% of the GPU capacity is allocated. */
    void fill(PlacementEngine engine, int fill) {
      long target = capacityMilli * fill / 100;
      int i = 0;
      while (engine.cluster().allocatedMilli() < target && i < stream.size()) {
        engine.place(stream.get(i++));
      }
    }
  }

  static Workbench workbench(String cluster) {
    List<Node> nodes = named(cluster);
    long capacity = 0;
    for (Node n : nodes) {
      capacity += (long) n.devices().size() * DeviceModel.WHOLE_MILLI;
    }
    List<Task> stream = tasks(Math.max(10_000, (int) (capacity / 1000 * 2)), 7);
    return new Workbench(nodes, stream, WorkloadDistribution.typical(stream.subList(0, 8_152), 0.95), capacity);
  }

  /** The 4,096 tasks measured (placed and released in turn), ids apart from the stream's. */
  static List<Task> probes() {
    return tasks(4_096, 99).stream().map(t -> t.toBuilder().id("probe-" + t.id()).build()).toList();
  }
}
