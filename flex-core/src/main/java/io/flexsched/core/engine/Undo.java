package io.flexsched.core.engine;

import java.util.List;

/** One entry of the undo log: how to take back one change. */
sealed interface Undo {
  void undo(ClusterState state);

  record Placed(Placement placement) implements Undo {
    @Override
    public void undo(ClusterState state) {
      state.unplace(placement);
    }
  }

  record Released(Placement placement) implements Undo {
    @Override
    public void undo(ClusterState state) {
      state.place(placement);
    }
  }

  record NodeAdded(int node) implements Undo {
    @Override
    public void undo(ClusterState state) {
      state.kill(node);
    }
  }

  record Fenced(int node, boolean before) implements Undo {
    @Override
    public void undo(ClusterState state) {
      state.fence(node, before);
    }
  }

  record NodeRemoved(int node, List<Placement> evicted) implements Undo {
    @Override
    public void undo(ClusterState state) {
      state.revive(node);
      for (Placement p : evicted) {
        state.place(p);
      }
    }
  }

  /** A change outside the cluster's columns (a record of moves), taken back by {@code action}. */
  record Outside(Runnable action) implements Undo {
    @Override
    public void undo(ClusterState state) {
      action.run();
    }
  }
}
