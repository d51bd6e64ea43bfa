package io.flexsched.hardware.ascend;

import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.NodeView;

/**
 * Ascend 910 placement in HCCS rings: a task takes 1, 2, 4 or 8 NPUs; 1, 2 and 4 inside one ring;
 * 8 takes the whole node. The ring is chosen by how many NPUs it has free before placement — for
 * 1 NPU: 1 &gt; 3 &gt; 2 &gt; 4; for 2: 2 &gt; 4 &gt; 3; for 4: exactly 4 — keeping rings whole for
 * the requests that need them. Inside the ring, the lowest-indexed free NPUs.
 */
public final class RingRules implements DeviceRules {
  /** Preference of a ring by its free NPUs, per request size: lower is better; absent = never. */
  private static final int[][] PREFERENCE = {
    null,
    {Integer.MAX_VALUE, 0, 2, 1, 3},                                   // 1 NPU: 1 > 3 > 2 > 4
    {Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 2, 1},                   // 2 NPUs: 2 > 4 > 3
    null,
    {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, // 4: exactly 4
  };

  private final int ringSize;

  public RingRules(int ringSize) {
    this.ringSize = ringSize;
  }

  @Override
  public boolean select(Task task, NodeView node, DeviceChoice choice) {
    int need = task.accelerators().count();
    int n = node.deviceCount();
    if (need == 0) {
      return true;
    }
    if (need == n && need == 2 * ringSize) {
      for (int d = 0; d < n; d++) {
        if (!node.canHost(d, task.accelerators())) {
          return false;
        }
        choice.add(d);
      }
      return true;
    }
    if (need >= PREFERENCE.length || PREFERENCE[need] == null || need > ringSize) {
      return false;
    }
    int bestRing = -1;
    int bestRank = Integer.MAX_VALUE;
    for (int ring = 0; ring * ringSize < n; ring++) {
      int free = 0;
      for (int d = ring * ringSize; d < Math.min(n, (ring + 1) * ringSize); d++) {
        free += node.canHost(d, task.accelerators()) ? 1 : 0;
      }
      int rank = free < PREFERENCE[need].length ? PREFERENCE[need][free] : Integer.MAX_VALUE;
      if (rank < bestRank) {
        bestRing = ring;
        bestRank = rank;
      }
    }
    if (bestRing < 0) {
      return false;
    }
    for (int d = bestRing * ringSize; d < Math.min(n, (bestRing + 1) * ringSize) && choice.size() < need; d++) {
      if (node.canHost(d, task.accelerators())) {
        choice.add(d);
      }
    }
    return true;
  }

  @Override
  public boolean admits(Task task, NodeView node, DeviceChoice choice) {
    int need = choice.size();
    if (need == 0) {
      return true;
    }
    if (need == node.deviceCount() && need == 2 * ringSize) {
      return true;
    }
    if (need != 1 && need != 2 && need != 4) {
      return false;
    }
    int ring = choice.device(0) / ringSize;
    for (int i = 1; i < need; i++) {
      if (choice.device(i) / ringSize != ring) {
        return false;
      }
    }
    return true;
  }
}
