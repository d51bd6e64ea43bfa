package io.flexsched.sim.plan;

import io.flexsched.core.PlacementEngine;
import io.flexsched.core.QueueSpec;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.WorkloadDistribution;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A validated scenario: the engine's settings, its initial cluster and the events to run.
 *
 * @param file the file it was read from, as named by the user (for error messages)
 * @param policy the scoring policy's name
 * @param seed the tie-breaking seed
 * @param catalogue the built-in models plus those the file defines
 * @param workload the target workload of fragmentation-aware policies
 * @param nodes the initial cluster, {@code count} already expanded
 * @param events what happens, in order
 * @param queues the queues tasks are charged to; empty when the scenario defines none
 * @param preemption the victim search's name, or {@value #NO_PREEMPTION} to turn preemption off
 * @param strictFifo true for strict FIFO, false for backfill
 * @param reserveAfter under backfill, how many times a task may be passed before it gets a reservation
 * @param defragment the budget within which a task that fits nowhere, even by preemption, may
 *     migrate placed tasks; null when defragmentation is off (the default)
 */
public record Scenario(
    String file,
    String policy,
    long seed,
    DeviceCatalogue catalogue,
    WorkloadDistribution workload,
    List<Node> nodes,
    List<ScenarioEvent> events,
    List<QueueSpec> queues,
    String preemption,
    boolean strictFifo,
    int reserveAfter,
    PlacementEngine.@Nullable DisruptionBudget defragment) {

  /** The {@code preemption:} value that turns preemption off. */
  public static final String NO_PREEMPTION = "none";

  public Scenario {
    nodes = List.copyOf(nodes);
    events = List.copyOf(events);
    queues = List.copyOf(queues);
  }
}
