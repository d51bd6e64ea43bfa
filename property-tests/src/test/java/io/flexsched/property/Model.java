package io.flexsched.property;

import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link ModelRun}'s scheduler must hold, kept from the outcomes it reported: the placed
 * tasks and their assignments, the pending requests, the live and removed nodes, the fenced ones.
 * A copy of it is saved at each begin and put back at the rollback.
 */
final class Model {
  final Map<String, Assignment> placed = new LinkedHashMap<>();
  final Map<String, Task> tasks = new LinkedHashMap<>();
  /** Every pending task by id, to the request it waits in (a gang's members share one). */
  final Map<String, List<Task>> pending = new LinkedHashMap<>();
  final Map<String, Node> nodes = new LinkedHashMap<>();
  final Set<String> removed = new HashSet<>();
  final Set<String> fenced = new HashSet<>();

  Model copy() {
    var m = new Model();
    m.placed.putAll(placed);
    m.tasks.putAll(tasks);
    m.pending.putAll(pending);
    m.nodes.putAll(nodes);
    m.removed.addAll(removed);
    m.fenced.addAll(fenced);
    return m;
  }

  /** Makes this model {@code saved} again (a rollback), keeping removed names of nodes that left since. */
  void restore(Model saved) {
    for (String name : nodes.keySet()) {
      if (!saved.nodes.containsKey(name)) {
        removed.add(name);
      }
    }
    placed.clear();
    placed.putAll(saved.placed);
    tasks.clear();
    tasks.putAll(saved.tasks);
    pending.clear();
    pending.putAll(saved.pending);
    nodes.clear();
    nodes.putAll(saved.nodes);
    removed.addAll(saved.removed);
    removed.removeAll(nodes.keySet());
    fenced.clear();
    fenced.addAll(saved.fenced);
  }

  /** True when {@code id} is placed or pending. */
  boolean holds(String id) {
    return placed.containsKey(id) || pending.containsKey(id);
  }

  void place(Task task, Assignment a) {
    pending.remove(task.id());
    placed.put(task.id(), a);
    tasks.put(task.id(), task);
  }

  /** A placed task leaves; returns it. */
  Task unplace(String id) {
    placed.remove(id);
    return tasks.remove(id);
  }

  void enqueue(List<Task> request) {
    for (Task t : request) {
      pending.put(t.id(), request);
    }
  }

  /** The pending request of {@code id} leaves the queue, every member with it. */
  void withdraw(String id) {
    for (Task t : pending.get(id)) {
      pending.remove(t.id());
    }
  }

  /** The pending requests, each once, in the order first seen. */
  List<List<Task>> pendingRequests() {
    return new ArrayList<>(new LinkedHashSet<>(pending.values()));
  }
}
