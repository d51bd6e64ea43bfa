package io.flexsched.spi;

import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;

/**
 * A placed task that a preemptor may evict: the task and its assignment (the node it runs on and
 * the slice of each device it holds), so that a policy can tell what evicting it frees.
 *
 * @param task the placed task
 * @param assignment where it is placed
 */
public record Victim(Task task, Assignment assignment) {
  public Victim {
    if (task == null || assignment == null) {
      throw new InvalidSpecException("victim", "null", "must name a task and its assignment");
    }
    if (!task.id().equals(assignment.task())) {
      throw new InvalidSpecException("victim " + task.id() + " assignment", assignment.task(), "must be the task's own");
    }
  }

  /** The victim's task id. */
  public String id() {
    return task.id();
  }

  /** The name of the node it runs on. */
  public String node() {
    return assignment.node();
  }

  /** The accelerator compute it holds, in milli (0 for a CPU-only task). */
  public long gpuMilli() {
    return assignment.totalMilli();
  }
}
