package io.flexsched.benchmarks;

import io.flexsched.core.Decision;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.ReferenceEngine;
import io.flexsched.core.TieBreak;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicies;
import io.flexsched.spi.WorkloadDistribution;
import java.util.List;

/** The engine or the plain reference implementation, behind one interface for benchmarks. */
interface Scheduler {
  Decision place(Task task);

  void release(String taskId);

  /**
   * The {@code impl} scheduler with the state of {@code filled} (an engine on the same nodes): the
   * reference adopts the engine's placements rather than deciding them itself.
   */
  static Scheduler of(String impl, String policy, long seed, WorkloadDistribution workload, List<Node> nodes,
      PlacementEngine filled) {
    if (impl.equals("engine")) {
      return wrap(filled);
    }
    if (!impl.equals("reference")) {
      throw new IllegalArgumentException("unknown implementation " + impl + " (engine or reference)");
    }
    ReferenceEngine r = new ReferenceEngine(
        ScoringPolicies.named(policy).create(new PolicyContext(seed, workload, DeviceCatalogue.builtIn())),
        seed, TieBreak.NODE_ORDER, nodes);
    for (Assignment a : filled.assignments()) {
      r.adopt(filled.task(a.task()).orElseThrow(), a);
    }
    return wrap(r);
  }

  private static Scheduler wrap(PlacementEngine e) {
    return of(e::place, e::release);
  }

  private static Scheduler wrap(ReferenceEngine r) {
    return of(r::place, r::release);
  }

  private static Scheduler of(java.util.function.Function<Task, Decision> place,
      java.util.function.Consumer<String> release) {
    return new Scheduler() {
      @Override
      public Decision place(Task task) {
        return place.apply(task);
      }

      @Override
      public void release(String taskId) {
        release.accept(taskId);
      }
    };
  }
}
