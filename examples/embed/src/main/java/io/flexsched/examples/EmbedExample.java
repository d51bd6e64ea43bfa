package io.flexsched.examples;

import io.flexsched.core.Decision;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.TaskShape;
import io.flexsched.spi.WorkloadDistribution;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** The README's embedding example: build an engine, place a half-GPU share and an 8-GPU job. */
public final class EmbedExample {
  private EmbedExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing its decisions to {@code out}. */
  public static void run(PrintStream out) {
    // README:start
    DeviceCatalogue catalogue = DeviceCatalogue.builtIn();
    PlacementEngine engine = PlacementEngine.builder()
        .policy("fgd")                                  // or "bestfit", "packing", ... or your own ScoringPolicy
        .seed(42)
        .workload(WorkloadDistribution.of(List.of(      // what the cluster usually runs: FGD keeps room for it
            new TaskShape(4_000, 1, 500, Set.of(), 3),     // half-GPU inference, 3 parts in 5
            new TaskShape(8_000, 1, 1_000, Set.of(), 1),   // one-GPU training, 1 part in 5
            new TaskShape(64_000, 8, 1_000, Set.of(), 1)))) // eight-GPU training, 1 part in 5
        .node(Node.of("a10-0", 64_000, 262_144, catalogue.require("A10"), 1))
        .node(Node.of("g2-0", 96_000, 393_216, catalogue.require("G2"), 8))
        .build();

    Task inference = Task.builder("infer-1").cpuMilli(4_000).memoryMiB(16_384)
        .accelerators(AcceleratorRequest.share(1, 500, 8_192))   // half a GPU, 8 GiB of its memory
        .build();
    Decision placed = engine.place(inference);
    out.println(placed.assignment());

    Task training = Task.builder("train-1").cpuMilli(64_000).memoryMiB(262_144)
        .accelerators(AcceleratorRequest.whole(8))
        .build();
    Decision d = engine.place(training);
    out.println(d.placed() ? d.assignment() : "pending: " + d.reasons());

    engine.release("infer-1");
    out.println("allocated " + engine.allocatedMilli() + " of " + engine.capacityMilli() + " milli-GPU");
    // README:end
  }
}
