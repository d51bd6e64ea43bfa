package io.flexsched.examples;

import io.flexsched.core.Explanation;
import io.flexsched.core.Outcome;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * The README's embedding example: a scheduler with a target workload and two queues; a share
 * placed now, a gang submitted and placed by a pass, a task that waits and why.
 */
public final class EmbedExample {
  private EmbedExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing what happens to {@code out}. */
  public static void run(PrintStream out) {
    // README:start
    Scheduler scheduler = Scheduler.builder()
        .policy("fgd")                                    // or "bestfit", "packing", ... or your own ScoringPolicy
        .workload(WorkloadDistribution.of(List.of(        // what the cluster usually runs: FGD keeps room for it
            new WorkloadDistribution.Shape(4_000, 1, 500, Set.of(), 3),      // half-GPU inference, 3 parts in 5
            new WorkloadDistribution.Shape(8_000, 1, 1_000, Set.of(), 1),    // one-GPU training, 1 part in 5
            new WorkloadDistribution.Shape(32_000, 4, 1_000, Set.of(), 1)))) // four-GPU training, 1 part in 5
        .queue(QueueSpec.builder("inference").guaranteedGpuMilli(1_000).build())
        .queue(QueueSpec.builder("training").limitGpuMilli(8_000).build())
        .node(Node.of("a10-0", 64_000, 262_144, "A10", 1))
        .node(Node.of("g2-0", 96_000, 393_216, "G2", 8))
        .build();

    // Place now: a half-GPU share goes where it fragments the cluster least (the lone A10).
    Task inference = Task.builder("infer-1").cpuMilli(4_000).memoryMiB(16_384).queue("inference")
        .accelerators(AcceleratorRequest.share(1, 500, 8_192)).build();
    Outcome now = scheduler.place(inference);
    out.println(now instanceof Outcome.Placed p ? "placed " + p.assignment() : now);

    // Submit a gang of two 4-GPU workers, as one request: a pass places both or neither.
    Gang job = new Gang("job-1", 2, null, false);
    Task.Builder worker = Task.builder("worker").cpuMilli(32_000).memoryMiB(131_072).queue("training")
        .gang(job).accelerators(AcceleratorRequest.whole(4));
    scheduler.submit(List.of(worker.id("job-1-0").build(), worker.id("job-1-1").build()));
    for (Outcome o : scheduler.schedule()) {
      out.println(o.placed() ? "placed " + o.tasks().size() + " tasks of gang job-1" : o);
    }

    // A third 4-GPU task would take the training queue past its limit of 8 GPUs: it waits, and says why.
    scheduler.submit(Task.builder("train-2").cpuMilli(32_000).memoryMiB(131_072).queue("training")
        .accelerators(AcceleratorRequest.whole(4)).build());
    for (Outcome o : scheduler.schedule()) {
      if (o instanceof Outcome.Pending p) {
        out.println(p.tasks().get(0).id() + " waits: " + p.cause().label() + ", " + p.detail());
      }
    }

    // One worker ends. Why would an eight-GPU task still not fit? The nearest miss says what is lacking.
    scheduler.release("job-1-0");
    Explanation why = scheduler.explain(Task.builder("big").accelerators(AcceleratorRequest.whole(8)).build());
    out.println("nearest miss: " + why.nearest());
    out.println("allocated " + scheduler.cluster().allocatedMilli() + " of " + scheduler.cluster().capacityMilli()
        + " milli-GPU");
    // README:end
  }
}
