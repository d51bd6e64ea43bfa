package io.flexsched.sim.replay;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;

/**
 * A cluster and the tasks to replay on it, in their original order.
 *
 * @param name the workload's name in reports (a trace's pod file without {@code .csv})
 * @param nodes the cluster
 * @param tasks the original tasks
 */
public record Workload(String name, List<Node> nodes, List<Task> tasks) {
  public Workload {
    nodes = List.copyOf(nodes);
    tasks = List.copyOf(tasks);
    if (gpus(nodes) == 0) {
      throw new InvalidSpecException("nodes", nodes.size() + " nodes", "must have at least one GPU");
    }
    if (tasks.isEmpty()) {
      throw new InvalidSpecException("tasks", 0, "must not be empty");
    }
  }

  /** Number of devices in the cluster. */
  public int gpus() {
    return gpus(nodes);
  }

  private static int gpus(List<Node> nodes) {
    int n = 0;
    for (Node node : nodes) {
      n += node.devices().size();
    }
    return n;
  }
}
