package io.flexsched.spi;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;

/**
 * A placed task that a preemptor may evict: the task, the node it runs on, and the accelerator
 * compute it holds there.
 *
 * @param task the placed task
 * @param node the name of the node it is placed on
 * @param gpuMilli the compute its assignment holds, in milli (0 for a CPU-only task)
 */
public record Victim(Task task, String node, long gpuMilli) {
  public Victim {
    if (task == null || node == null) {
      throw new InvalidSpecException("victim", "null", "must name a task and its node");
    }
    if (gpuMilli < 0) {
      throw new InvalidSpecException("victim " + task.id() + " gpuMilli", gpuMilli, "must be at least 0");
    }
  }

  /** The victim's task id. */
  public String id() {
    return task.id();
  }
}
