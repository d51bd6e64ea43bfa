package io.flexsched.sim.plan;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.spi.WorkloadDistribution;
import java.util.List;

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
 */
public record Scenario(
    String file,
    String policy,
    long seed,
    DeviceCatalogue catalogue,
    WorkloadDistribution workload,
    List<Node> nodes,
    List<ScenarioEvent> events) {

  public Scenario {
    nodes = List.copyOf(nodes);
    events = List.copyOf(events);
  }
}
