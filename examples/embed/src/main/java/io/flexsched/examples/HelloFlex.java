package io.flexsched.examples;

import io.flexsched.core.Outcome;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.io.PrintStream;

/** The README's hello world: one node, one task, one outcome. */
public final class HelloFlex {
  private HelloFlex() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing its outcome to {@code out}. */
  public static void run(PrintStream out) {
    // README:start
    Scheduler scheduler = Scheduler.builder()
        .node(Node.of("g2-0", 96_000, 393_216, "G2", 8))          // 96 cores, 384 GiB, eight G2 GPUs
        .build();
    Task task = Task.builder("infer-1").cpuMilli(4_000).memoryMiB(16_384)
        .accelerators(AcceleratorRequest.share(1, 500, 8_192))    // half a GPU, 8 GiB of its memory
        .build();
    Outcome outcome = scheduler.place(task);
    if (outcome instanceof Outcome.Placed placed) {
      out.println("placed: " + placed.assignment());
    } else if (outcome instanceof Outcome.Pending pending) {
      out.println("pending (" + pending.cause().label() + "): " + pending.reasons());
    }
    // README:end
  }
}
