package io.flexsched.benchmarks;

import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Node;
import java.util.List;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures with JOL the heap an engine holds for a cluster, per device: the node specifications
 * the caller handed in, and everything the engine adds (columns, placements, caches), on an empty
 * cluster and after filling it to 50% of its GPU capacity with FGD.
 *
 * <p>Run: {@code java -Xmx8g -Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true -cp
 * benchmarks/target/benchmarks.jar io.flexsched.benchmarks.HeapFootprint [synthetic-100k]} (the flags
 * let JOL read record fields on JDK 17).
 */
public final class HeapFootprint {
  private HeapFootprint() {}

  public static void main(String[] args) {
    String cluster = args.length > 0 ? args[0] : "synthetic-100k";
    // The benchmarks' cluster, workload and fill: the same stream (seed 7, twice the GPUs at most),
    // made only as far as the fill goes.
    Clusters.Workbench w = Clusters.workbench(cluster);
    List<Node> nodes = w.nodes();
    long devices = nodes.stream().mapToLong(n -> n.devices().size()).sum();

    long specs = GraphLayout.parseInstance(nodes).totalSize();
    PlacementEngine engine = Scheduler.builder().policy("fgd").seed(42).workload(w.workload())
        .assertMode(false).nodes(nodes).buildEngine();
    report(cluster + ", empty", engine, specs, devices);

    w.fill(engine, 50);
    System.out.printf(Locale.ROOT, "(placed %,d tasks)%n", engine.cluster().assignments().size());
    report(cluster + ", 50% full", engine, specs, devices);
  }

  private static void report(String what, PlacementEngine engine, long specs, long devices) {
    // The engine's graph includes the node specs it was given (shared with the caller's list).
    long all = GraphLayout.parseInstance(engine).totalSize();
    System.out.printf(Locale.ROOT, "%-28s %,d devices: engine graph %,d bytes = %.1f B/device"
            + " (node specs %.1f B/device, engine's own %.1f B/device)%n",
        what, devices, all, (double) all / devices, (double) specs / devices, (double) (all - specs) / devices);
  }
}
