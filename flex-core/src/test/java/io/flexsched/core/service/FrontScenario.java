package io.flexsched.core.service;

import io.flexsched.core.Outcome;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The small world the linearizability tests run in: two nodes of two T4s, four tasks (whole GPUs
 * and half shares, so that some fit and some wait), and every call's answer as text, so that a
 * concurrent run and a sequential one can be compared by {@code equals}.
 */
final class FrontScenario {
  private static final List<Node> NODES = List.of(
      Node.of("n0", 16_000, 65_536, DeviceCatalogue.builtIn().require("T4"), 2),
      Node.of("n1", 16_000, 65_536, DeviceCatalogue.builtIn().require("T4"), 2));
  static final List<Task> TASKS = List.of(
      Task.builder("w0").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).build(),
      Task.builder("w1").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).build(),
      Task.builder("s0").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, 500, 1_024)).build(),
      Task.builder("s1").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, 500, 1_024)).build());

  private FrontScenario() {}

  /** A fresh scheduler for the world, deterministic and without preemption (all tasks are equal). */
  static Scheduler scheduler() {
    return Scheduler.builder().policy("bestfit").seed(7).nodes(NODES).noPreemption().assertMode(false).build();
  }

  static String outcome(Outcome o) {
    return o instanceof Outcome.Placed p ? "placed " + p.assignment().node() + " " + p.assignment().slices().size()
        : "pending " + ((Outcome.Pending) o).cause().label() + " " + ((Outcome.Pending) o).reasons();
  }

  static String outcomes(List<Outcome> all) {
    var b = new StringBuilder();
    for (Outcome o : all) {
      b.append(o.tasks().get(0).id()).append(':').append(outcome(o)).append(';');
    }
    return b.toString();
  }

  static String released(Assignment a) {
    return "released from " + a.node();
  }

  static String cancelled(Optional<Assignment> a) {
    return a.map(FrontScenario::released).orElse("withdrawn");
  }

  /** What {@code call} answered, or the typed exception it failed with (unwrapped from a future's). */
  static String answer(Supplier<String> call) {
    try {
      return call.get();
    } catch (CompletionException e) {
      return "refused: " + e.getCause().getMessage();
    } catch (RuntimeException e) {
      return "refused: " + e.getMessage();
    }
  }
}
