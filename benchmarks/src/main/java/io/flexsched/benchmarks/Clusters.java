package io.flexsched.benchmarks;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Task;
import io.flexsched.sim.replay.BuiltInWorkload;
import io.flexsched.model.WorkloadDistribution;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The clusters the benchmarks run on: the trace's 1,213 nodes (as the built-in workload shapes
 * them), and synthetic heterogeneous clusters of 8-GPU nodes in the trace's mix of models.
 * {@code synthetic-1m} (1,000,000 nodes, 8,000,000 GPUs) is in no benchmark's default parameters:
 * it is named explicitly and needs a 16 GB heap ({@link #requireHeap}).
 */
final class Clusters {
  private Clusters() {}

  /**
   * The budget for the 1,000,000-node cluster, -Xmx16g, as the JVM reports it: a little
   * under 16 GiB, since a survivor space is not counted.
   */
  private static final long MILLION_NODE_HEAP = 15L << 30;

  static List<Node> named(String name) {
    return switch (name) {
      case "trace-1k" -> BuiltInWorkload.nodes();
      case "synthetic-10k" -> synthetic(10_000, 10);
      case "synthetic-100k" -> synthetic(100_000, 100);
      case "synthetic-1m" -> synthetic(1_000_000, 1_000);
      default -> throw new IllegalArgumentException("unknown cluster " + name);
    };
  }

  /**
   * Fails at once, before minutes of filling end in an OutOfMemoryError, when {@code cluster} needs
   * more heap than the JVM may take.
   */
  static void requireHeap(String cluster) {
    long max = Runtime.getRuntime().maxMemory();
    if (cluster.equals("synthetic-1m") && max < MILLION_NODE_HEAP) {
      throw new IllegalStateException(String.format(Locale.ROOT, "cluster synthetic-1m needs a 16 GB heap, this JVM"
          + " may take %,d MB: run with -jvmArgsAppend -Xmx16g", max >> 20));
    }
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

  /** The seed of the stream of tasks that fills a cluster. */
  private static final long STREAM_SEED = 7;

  /**
   * A named cluster, the length of the stream of tasks that may fill it (twice its GPUs), the
   * target workload FGD is given (the typical shapes of the stream's first 8,152 tasks) and its GPU
   * capacity.
   */
  record Workbench(List<Node> nodes, int streamLength, WorkloadDistribution workload, long capacityMilli) {
    /**
     * Places the stream's tasks in order until {@code fill}% of the GPU capacity is allocated or
     * the stream ends, and returns how many it tried. The stream is a prefix of one seeded
     * sequence, so only as much of it is made as the fill reaches (doubling when it runs out): the
     * cluster ends in the state the whole stream would give, without holding the unused part of
     * twice 8,000,000 tasks beside a million filled nodes.
     */
    int fill(PlacementEngine engine, int fill) {
      long target = capacityMilli * fill / 100;
      int tried = 0;
      int made = Math.min(streamLength, firstGuess(target));
      while (engine.cluster().allocatedMilli() < target && tried < streamLength) {
        List<Task> stream = tasks(made, STREAM_SEED);
        while (engine.cluster().allocatedMilli() < target && tried < made) {
          engine.place(stream.get(tried++));
        }
        made = (int) Math.min(streamLength, 2L * made);
      }
      return tried;
    }

    /** A quarter more tasks than the fill needs if every one is placed (8,152 first, for the workload). */
    private int firstGuess(long target) {
      long sample = 0;
      List<Task> first = tasks(8_152, STREAM_SEED);
      for (Task t : first) {
        sample += t.accelerators().totalMilli();
      }
      return (int) Math.min(Integer.MAX_VALUE, 8_152 + target * 5 / 4 * first.size() / Math.max(1, sample));
    }

    /** Fills {@code engine} and prints how long that took and the heap it holds afterwards. */
    void fillAndReport(PlacementEngine engine, int fill, String cluster) {
      long start = System.nanoTime();
      int tried = fill(engine, fill);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long devices = capacityMilli / DeviceModel.WHOLE_MILLI;
      System.out.printf(Locale.ROOT, "%n%s filled to %.1f%% of its GPUs in %.1f s (%,d tasks tried); heap after a full"
              + " GC %,d MB (%.0f B/device)%n", cluster, 100.0 * engine.cluster().allocatedMilli() / capacityMilli, seconds,
          tried, heap >> 20, (double) heap / devices);
    }
  }

  static Workbench workbench(String cluster) {
    requireHeap(cluster);
    List<Node> nodes = named(cluster);
    long capacity = 0;
    for (Node n : nodes) {
      capacity += (long) n.devices().size() * DeviceModel.WHOLE_MILLI;
    }
    int length = Math.max(10_000, (int) (capacity / 1000 * 2));
    return new Workbench(nodes, length, WorkloadDistribution.typical(tasks(8_152, STREAM_SEED), 0.95), capacity);
  }

  /** The 4,096 tasks measured (placed and released in turn), ids apart from the stream's. */
  static List<Task> probes() {
    return tasks(4_096, 99).stream().map(t -> t.toBuilder().id("probe-" + t.id()).build()).toList();
  }

  /**
   * Places and releases one probe of each distinct shape (a task's every field but its id), so
   * that the score-index line of every shape the probes use exists before the first measured
   * iteration: a shape's first decision builds its line, a pass over every node.
   */
  static void warmShapes(List<Task> probes, Function<Task, Outcome> place, Consumer<String> release) {
    Map<Task, Task> byShape = new LinkedHashMap<>();
    for (Task t : probes) {
      byShape.putIfAbsent(t.toBuilder().id("shape").build(), t);
    }
    long start = System.nanoTime();
    for (Task t : byShape.values()) {
      if (place.apply(t).placed()) {
        release.accept(t.id());
      }
    }
    System.out.printf(Locale.ROOT, "warm-up: placed and released %d probe shapes in %.1f s%n", byShape.size(),
        (System.nanoTime() - start) / 1e9);
  }
}
