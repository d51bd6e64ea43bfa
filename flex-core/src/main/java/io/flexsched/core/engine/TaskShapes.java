package io.flexsched.core.engine;

import io.flexsched.model.Task;
import java.util.HashMap;
import java.util.Map;

/**
 * Interns task shapes: a task's every field but its id. Two tasks of one shape are alike to a
 * policy whose score depends only on node state, so its answers can be shared between them.
 * Ids are never reused while the interner lives.
 */
final class TaskShapes {
  private final Map<Task, Integer> ids = new HashMap<>();

  /** The shape id of {@code task}. */
  int of(Task task) {
    Task shape = task.id().equals("shape") ? task : task.toBuilder().id("shape").build();
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
}
