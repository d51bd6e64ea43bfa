package io.flexsched.core.engine;

import io.flexsched.core.ClusterView;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The engine's {@link ClusterView}: reads of its {@link ClusterState}, never a way to change it. */
final class LiveClusterView implements ClusterView {
  private final ClusterState state;

  LiveClusterView(ClusterState state) {
    this.state = state;
  }

  @Override
  public List<Node> nodes() {
    var out = new ArrayList<Node>();
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n)) {
        out.add(state.spec(n));
      }
    }
    return out;
  }

  @Override
  public NodeView node(String name) {
    return new NodeCursor(state).at(ordinal(name));
  }

  @Override
  public boolean isFenced(String name) {
    return state.isFenced(ordinal(name));
  }

  @Override
  public List<Assignment> assignments() {
    var out = new ArrayList<Assignment>(state.placementCount());
    for (Placement p : state.placements().values()) {
      out.add(p.assignment());
    }
    return out;
  }

  @Override
  public Optional<Assignment> assignment(String taskId) {
    Placement p = state.placement(taskId);
    return p == null ? Optional.empty() : Optional.of(p.assignment());
  }

  @Override
  public Optional<Task> task(String taskId) {
    Placement p = state.placement(taskId);
    return p == null ? Optional.empty() : Optional.of(p.task());
  }

  @Override
  public long capacityMilli() {
    return state.capacityMilli();
  }

  @Override
  public long allocatedMilli() {
    return state.allocatedMilli();
  }

  /** The ordinal of the live node {@code name}. */
  int ordinal(String name) {
    Integer n = state.ordinalOf(name);
    if (n == null) {
      throw unknownNode(name);
    }
    return n;
  }

  static InvalidSpecException unknownNode(String name) {
    return new InvalidSpecException("node", "'" + name + "'", "must be a node of this cluster");
  }

  static InvalidSpecException unknownTask(String taskId) {
    return new InvalidSpecException("task", "'" + taskId + "'", "must be a task placed on this cluster");
  }
}
