package io.flexsched.core.engine;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Gang;
import io.flexsched.model.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Interns task shapes: a task's every field but its id. Two tasks of one shape are alike to a
 * policy whose score depends only on node state, so its answers can be shared between them.
 * Ids are never reused while the interner lives.
 *
 * <p>Every decision and every changed node's state key asks for shapes, so the key is a plain
 * object of the task's fields rather than a copy of the task (whose building validates it).
 */
final class TaskShapes {
  private final Map<Shape, Integer> ids = new HashMap<>();

  /** The shape id of {@code task}. */
  int of(Task task) {
    Shape shape = new Shape(task);
    Integer id = ids.get(shape);
    if (id == null) {
      id = ids.size();
      ids.put(shape, id);
    }
    return id;
  }

  int size() {
    return ids.size();
  }

  /** A task without its id. */
  private static final class Shape {
    private final long cpuMilli;
    private final long memoryMiB;
    private final AcceleratorRequest accelerators;
    private final int priority;
    private final boolean preemptible;
    private final @Nullable String queue;
    private final @Nullable Gang gang;
    private final Map<String, String> nodeSelector;
    private final List<Task.Toleration> tolerations;
    private final Task.Numa numa;
    private final int hash;

    Shape(Task t) {
      this.cpuMilli = t.cpuMilli();
      this.memoryMiB = t.memoryMiB();
      this.accelerators = t.accelerators();
      this.priority = t.priority();
      this.preemptible = t.preemptible();
      this.queue = t.queue();
      this.gang = t.gang();
      this.nodeSelector = t.nodeSelector();
      this.tolerations = t.tolerations();
      this.numa = t.numa();
      int h = Long.hashCode(cpuMilli);
      h = 31 * h + Long.hashCode(memoryMiB);
      h = 31 * h + accelerators.hashCode();
      h = 31 * h + priority;
      h = 31 * h + (preemptible ? 1 : 0);
      h = 31 * h + Objects.hashCode(queue);
      h = 31 * h + Objects.hashCode(gang);
      h = 31 * (31 * h + nodeSelector.hashCode()) + tolerations.hashCode();
      this.hash = 31 * h + numa.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Shape s && hash == s.hash && cpuMilli == s.cpuMilli && memoryMiB == s.memoryMiB
          && priority == s.priority && preemptible == s.preemptible && accelerators.equals(s.accelerators)
          && Objects.equals(queue, s.queue) && Objects.equals(gang, s.gang)
          && nodeSelector.equals(s.nodeSelector) && tolerations.equals(s.tolerations) && numa == s.numa;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
