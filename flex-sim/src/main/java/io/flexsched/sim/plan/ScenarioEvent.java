package io.flexsched.sim.plan;

import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;

/** One entry of a scenario's {@code events:} list, with the line it was written on. */
public sealed interface ScenarioEvent {
  /** The 1-based line of the event in its file, for errors found while running it. */
  int line();

  /** {@code task:} a task arrives and is placed or queued. */
  record Submit(Task task, int line) implements ScenarioEvent {}

  /** {@code release:} a task finished (or is withdrawn while queued). */
  record Release(String taskId, int line) implements ScenarioEvent {}

  /** {@code removeNode:} a node failed; its tasks are evicted and not re-queued. */
  record RemoveNode(String name, int line) implements ScenarioEvent {}

  /** {@code addNode:} one node joins, or several when it has a {@code count}. */
  record AddNode(List<Node> nodes, int line) implements ScenarioEvent {
    public AddNode {
      nodes = List.copyOf(nodes);
    }
  }

  /** {@code flush:} reports the members of every gang still waiting to be complete. */
  record Flush(int line) implements ScenarioEvent {}
}
