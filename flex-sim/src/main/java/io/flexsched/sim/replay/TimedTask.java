package io.flexsched.sim.replay;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import io.flexsched.sim.trace.TracePod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A task of the time-driven replay: what it asks for (with its class's priority and
 * preemptibility), when it arrives and how long it runs once started.
 *
 * @param task the task
 * @param qos its QoS class
 * @param arrival when it is submitted, in seconds
 * @param duration how long it runs once placed, in seconds (its trace deletion minus creation time)
 */
public record TimedTask(Task task, QosClass qos, long arrival, long duration) {
  public TimedTask {
    if (arrival < 0) {
      throw new InvalidSpecException("task " + task.id() + " arrival", arrival, "must be at least 0");
    }
    if (duration < 0) {
      throw new InvalidSpecException("task " + task.id() + " duration", duration, "must be at least 0");
    }
  }

  /**
   * The pods of a trace pod list as timed tasks, in file order.
   *
   * @param file the pod list, named in errors
   * @throws InvalidSpecException when the file has no creation and deletion times (the
   *     {@code multigpu} files have only their first five columns) or a pod has no QoS class or
   *     is deleted before it is created
   */
  public static List<TimedTask> fromTrace(List<TracePod> pods, Path file) {
    var out = new ArrayList<TimedTask>(pods.size());
    for (TracePod p : pods) {
      if (p.creationTime() < 0 || p.deletionTime() < 0) {
        throw new InvalidSpecException("--pods", file,
            "must have creation_time and deletion_time for pod " + p.name()
                + " (the time-driven replay needs them; the multigpu pod lists have only their first five columns)");
      }
      if (p.deletionTime() < p.creationTime()) {
        throw new InvalidSpecException("--pods", file, "must not delete pod " + p.name() + " (at " + p.deletionTime()
            + ") before creating it (at " + p.creationTime() + ")");
      }
      if (p.qos().isEmpty()) {
        throw new InvalidSpecException("--pods", file, "must give a qos for pod " + p.name());
      }
      QosClass qos;
      try {
        qos = QosClass.of(p.qos());
      } catch (InvalidSpecException e) {
        throw new InvalidSpecException("--pods", file, "must give pod " + p.name() + " a known qos: " + e.getMessage());
      }
      Task t = p.toTask().toBuilder().priority(qos.priority()).preemptible(qos.preemptible()).build();
      out.add(new TimedTask(t, qos, p.creationTime(), p.deletionTime() - p.creationTime()));
    }
    return out;
  }
}
