package io.flexsched.sim.replay;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.sim.trace.TraceNodes;
import io.flexsched.sim.trace.TracePod;
import io.flexsched.sim.trace.TracePods;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /**
   * A trace's node list and pod list as a workload named after the pod file (without
   * {@code .csv}).
   *
   * @throws io.flexsched.sim.trace.TraceFormatException naming the file, line and column of a bad
   *     row
   */
  public static Workload fromTrace(Path nodes, Path pods) {
    var tasks = new ArrayList<Task>();
    for (TracePod p : TracePods.load(pods)) {
      tasks.add(p.toTask());
    }
    String name = pods.getFileName().toString().replaceFirst("\\.csv$", "");
    return new Workload(name, TraceNodes.load(nodes), tasks);
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
