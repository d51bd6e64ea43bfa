package io.flexsched.spi;

import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A placed task that a preemptor may evict, or a placed gang, which is evicted whole or not at
 * all: its tasks and their assignments (the node each runs on and the slice of each device it
 * holds), so that a policy can tell what evicting it frees. A gang is one victim whose size, CPU,
 * memory and compute are its members' together.
 *
 * @param members the placed task, or every member of a placed gang
 * @param assignments where each member is placed, in the same order
 */
public record Victim(List<Task> members, List<Assignment> assignments) {
  public Victim {
    if (members == null || assignments == null || members.isEmpty() || members.size() != assignments.size()) {
      throw new InvalidSpecException("victim", "null", "must name a task and its assignment");
    }
    for (int i = 0; i < members.size(); i++) {
      Task task = members.get(i);
      Assignment assignment = assignments.get(i);
      if (task == null || assignment == null) {
        throw new InvalidSpecException("victim", "null", "must name a task and its assignment");
      }
      if (!task.id().equals(assignment.task())) {
        throw new InvalidSpecException("victim " + task.id() + " assignment", assignment.task(), "must be the task's own");
      }
    }
    members = List.copyOf(members);
    assignments = List.copyOf(assignments);
  }

  /** One placed task. */
  public Victim(Task task, Assignment assignment) {
    this(Arrays.asList(task), Arrays.asList(assignment));
  }

  /** The task, or a gang's first member. */
  public Task task() {
    return members.get(0);
  }

  /** The task's assignment, or a gang's first member's. */
  public Assignment assignment() {
    return assignments.get(0);
  }

  /** The victim's task id (a gang's: its first member's). */
  public String id() {
    return task().id();
  }

  /** The name of the node it runs on (a gang's: its first member's). */
  public String node() {
    return assignment().node();
  }

  /** True for a gang of several members. */
  public boolean gang() {
    return members.size() > 1;
  }

  /** The names of the nodes it runs on, each once, in member order. */
  public List<String> nodes() {
    var out = new ArrayList<String>(1);
    for (Assignment a : assignments) {
      if (!out.contains(a.node())) {
        out.add(a.node());
      }
    }
    return out;
  }

  /** The accelerator compute it holds, in milli (0 for a CPU-only task). */
  public long gpuMilli() {
    long sum = 0;
    for (Assignment a : assignments) {
      sum += a.totalMilli();
    }
    return sum;
  }

  /** The CPU it holds, in milli. */
  public long cpuMilli() {
    long sum = 0;
    for (Task t : members) {
      sum += t.cpuMilli();
    }
    return sum;
  }

  /** The host memory it holds, in MiB. */
  public long memoryMiB() {
    long sum = 0;
    for (Task t : members) {
      sum += t.memoryMiB();
    }
    return sum;
  }

  /** Its priority: a gang's highest member priority (evicting it loses that member too). */
  public int priority() {
    int top = Integer.MIN_VALUE;
    for (Task t : members) {
      top = Math.max(top, t.priority());
    }
    return top;
  }
}
