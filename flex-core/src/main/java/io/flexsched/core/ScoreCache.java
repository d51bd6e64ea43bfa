package io.flexsched.core;

import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy's answers (score and device choice) per node and task shape, valid while the node's
 * state stamp is unchanged. Used only for policies whose score depends only on node state.
 */
final class ScoreCache {
  /** Past this many shapes the cache starts afresh, bounding its memory. */
  private static final int MAX_SHAPES = 512;

  private final Map<Task, Integer> shapeIds = new HashMap<>();
  private final List<Line> lines = new ArrayList<>();

  /** The answers for one shape, indexed by node ordinal. */
  static final class Line {
    final int count;
    long[] stamp = new long[0];
    double[] score = new double[0];
    int[] devices = new int[0];
    int[] starts = new int[0];

    Line(int count) {
      this.count = count;
    }

    void ensure(int nodes) {
      if (stamp.length >= nodes) {
        return;
      }
      int cap = Math.max(nodes, stamp.length * 2);
      stamp = Arrays.copyOf(stamp, cap);
      score = Arrays.copyOf(score, cap);
      devices = Arrays.copyOf(devices, cap * count);
      starts = Arrays.copyOf(starts, cap * count);
    }

    boolean valid(int node, long nodeStamp) {
      return stamp[node] == nodeStamp;
    }

    void store(int node, long nodeStamp, double s, DeviceChoice choice) {
      stamp[node] = nodeStamp;
      score[node] = s;
      int at = node * count;
      for (int i = 0; i < count; i++) {
        devices[at + i] = choice.device(i);
        starts[at + i] = choice.start(i);
      }
    }

    void load(int node, DeviceChoice into) {
      into.clear();
      int at = node * count;
      for (int i = 0; i < count; i++) {
        into.add(devices[at + i], starts[at + i]);
      }
    }
  }

  /** The line for {@code task}'s shape (all of its fields but its id), sized for {@code nodes}. */
  Line line(Task task, int nodes) {
    Task shape = task.toBuilder().id("shape").build();
    Integer id = shapeIds.get(shape);
    if (id == null) {
      if (lines.size() >= MAX_SHAPES) {
        shapeIds.clear();
        lines.clear();
      }
      id = lines.size();
      shapeIds.put(shape, id);
      lines.add(new Line(task.accelerators().count()));
    }
    Line line = lines.get(id);
    line.ensure(nodes);
    return line;
  }
}
