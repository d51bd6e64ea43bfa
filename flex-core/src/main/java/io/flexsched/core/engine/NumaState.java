package io.flexsched.core.engine;

import io.flexsched.model.Node;
import java.util.Arrays;

/**
 * The NUMA side of {@link ClusterState}, by node ordinal: each NUMA node's CPU, the CPU pinned to
 * it by tasks placed with NUMA affinity, and which NUMA node each device belongs to. A node that
 * declares no NUMA layout has empty rows. Unpinned tasks draw on the node's shared pool only
 * (its free CPU, as before NUMA was modelled), so pinning never changes where they fit.
 */
final class NumaState {
  private static final long[] NONE = new long[0];
  private static final int[] NO_DEVICES = new int[0];

  long[][] capacity = new long[16][];
  long[][] pinned = new long[16][];
  private int[][] deviceNuma = new int[16][];

  /** Gives node {@code n} its layout, nothing pinned. */
  void reset(int n, Node node) {
    int count = node.numa().size();
    capacity[n] = count == 0 ? NONE : new long[count];
    pinned[n] = count == 0 ? NONE : new long[count];
    deviceNuma[n] = count == 0 ? NO_DEVICES : new int[node.devices().size()];
    for (int k = 0; k < count; k++) {
      Node.NumaNode socket = node.numa().get(k);
      capacity[n][k] = socket.cpuMilli();
      for (int d : socket.devices()) {
        deviceNuma[n][d] = k;
      }
    }
  }

  /** How many NUMA nodes node {@code n} declares; 0 without a layout. */
  int count(int n) {
    return pinned[n].length;
  }

  /** The CPU of NUMA node {@code k} of node {@code n} not pinned yet. */
  long unpinned(int n, int k) {
    return capacity[n][k] - pinned[n][k];
  }

  /** The NUMA node device {@code device} of node {@code n} belongs to; -1 without a layout. */
  int of(int n, int device) {
    int[] row = deviceNuma[n];
    return row.length == 0 ? -1 : row[device];
  }

  /** Pins ({@code cpu} positive) or unpins CPU on NUMA node {@code k} of node {@code n}; none for {@code k} -1. */
  void pin(int n, int k, long cpu) {
    if (k >= 0) {
      pinned[n][k] += cpu;
    }
  }

  void grow(int cap) {
    capacity = Arrays.copyOf(capacity, cap);
    pinned = Arrays.copyOf(pinned, cap);
    deviceNuma = Arrays.copyOf(deviceNuma, cap);
  }
}
