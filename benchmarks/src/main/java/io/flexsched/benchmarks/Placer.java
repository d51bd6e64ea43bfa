package io.flexsched.benchmarks;

import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.ReferenceEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.core.TieBreak;
import io.flexsched.core.providers.Providers;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.PolicyContext;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the placement benchmarks time, behind one interface: the plain engine, the {@link Scheduler}
 * facade, or the plain reference implementation.
 */
interface Placer {
  Outcome place(Task task);

  void release(String taskId);

  /** The implementations a benchmark's {@code impl} parameter names. */
  List<String> IMPLS = List.of("engine", "facade", "reference");

  /**
   * The {@code impl} placer on {@code nodes} filled by {@code fill} to the same state: the engine
   * and the facade decide the filling themselves (the same decisions, the same state); the
   * reference adopts the engine's placements rather than deciding them (that would take hours at
   * 100,000 nodes).
   */
  static Placer of(String impl, String policy, long seed, WorkloadDistribution workload, List<Node> nodes,
      Consumer<PlacementEngine> fill) {
    Scheduler.Builder b = Scheduler.builder().policy(policy).seed(seed).workload(workload).assertMode(false)
        .nodes(nodes).nearestMiss(false);
    switch (impl) {
      case "engine" -> {
        PlacementEngine e = b.buildEngine();
        fill.accept(e);
        return of(e::place, e::release);
      }
      case "facade" -> {
        // No preemption: the tasks are all of one priority, and the plain engine has none to compare with.
        Scheduler s = b.noPreemption().build();
        fill.accept(s);
        return of(s::place, s::release);
      }
      case "reference" -> {
        PlacementEngine filled = b.buildEngine();
        fill.accept(filled);
        ReferenceEngine r = new ReferenceEngine(Providers.scoring().named(policy)
            .create(new PolicyContext(seed, workload, DeviceCatalogue.builtIn())), seed, TieBreak.NODE_ORDER, nodes);
        for (Assignment a : filled.cluster().assignments()) {
          r.adopt(filled.cluster().task(a.task()).orElseThrow(), a);
        }
        return of(r::place, r::release);
      }
      default -> throw new IllegalArgumentException("unknown implementation " + impl + " (one of " + IMPLS + ")");
    }
  }

  private static Placer of(Function<Task, Outcome> place, Consumer<String> release) {
    return new Placer() {
      @Override
      public Outcome place(Task task) {
        return place.apply(task);
      }

      @Override
      public void release(String taskId) {
        release.accept(taskId);
      }
    };
  }
}
