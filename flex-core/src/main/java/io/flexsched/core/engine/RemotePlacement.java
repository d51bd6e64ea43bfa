package io.flexsched.core.engine;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Remote (pooled) devices, as Flex:ai lends a GPU over RDMA/TCP: for a task that consents
 * ({@link AcceleratorRequest.Remote}) and that no node can take whole, a host node for its CPU and
 * memory and another node of the same pool for its devices. The policy scores each part as a task
 * of its own (the devices as the task without CPU and memory, the host as the task without
 * accelerators); the pair with the highest sum of the two scores less penalty × (1 + the topology
 * steps between them) wins, ties by the seeded rule on the device node, then on the host. The
 * hosts' best values are kept per pool and topology path prefix, so a decision costs one pass over
 * the hosts and one over the device nodes, not one per pair ({@code ReferenceEngine} in the tests
 * tries every pair and must agree).
 *
 * <p>Gang members stay local (a gang's domain and bandwidth rules speak of its members' nodes), and
 * so does a task that requires NUMA affinity ({@link Task} refuses that combination).
 */
final class RemotePlacement {
  private final ClusterState state;
  private final Scorer scorer;
  private final DeviceReservation reservation;
  private final @Nullable String poolLevel;
  private final DeviceChoice choice = new DeviceChoice();
  private final DeviceChoice chosen = new DeviceChoice();
  /** Per node ordinal, its keys by path prefix length (ordinals are never reused, specs never change). */
  private final List<String @Nullable []> keys = new ArrayList<>();

  RemotePlacement(ClusterState state, Scorer scorer, DeviceReservation reservation, @Nullable String poolLevel) {
    this.state = state;
    this.scorer = scorer;
    this.reservation = reservation;
    this.poolLevel = poolLevel;
  }

  /** Whether the attempt's task may take remote devices at all. */
  static boolean consents(Attempt a) {
    return a.request.remote() != null && a.task.gang() == null && a.task.numa() != Task.Numa.REQUIRED;
  }

  /**
   * The best remote placement of the attempt's task on the nodes it may use, not yet booked; null
   * when no pair of nodes takes it. Call only when no node takes it whole: a node that could take
   * both parts would take the task locally.
   */
  @Nullable Placement best(Attempt a) {
    Task task = a.task;
    int penalty = a.request.remote().penalty();
    var devicesPart = new Attempt(task.toBuilder().cpuMilli(0).memoryMiB(0).numa(Task.Numa.NONE).build(), state, a.allowed, a.outside);
    // Devices are what a full cluster lacks: without a device node there is nothing to score.
    if (!anyFits(devicesPart)) {
      return null;
    }
    var hostPart = new Attempt(task.toBuilder().accelerators(AcceleratorRequest.NONE).numa(Task.Numa.NONE).build(), state, a.allowed, a.outside);
    Map<String, Best2> hosts = new HashMap<>();
    for (int h = 0; h < state.nodeSlots(); h++) {
      String[] k = candidate(h, hostPart);
      if (k == null) {
        continue;
      }
      double score = scorer.score(h, hostPart, choice);
      long rank = scorer.rank(h);
      int depth = k.length - 1;
      for (int c = 0; c <= depth; c++) {
        hosts.computeIfAbsent(k[c], key -> new Best2()).offer(h, score - (double) penalty * (depth - c), rank);
      }
    }
    if (hosts.isEmpty()) {
      return null;
    }
    int bestDevice = -1;
    int bestHost = -1;
    double bestValue = 0;
    long bestDeviceRank = 0;
    long bestHostRank = 0;
    for (int d = 0; d < state.nodeSlots(); d++) {
      String[] k = candidate(d, devicesPart);
      if (k == null) {
        continue;
      }
      // The host nearest in value for this device node: each prefix it shares with a host is a
      // candidate distance; the longest shared prefix gives that host its true (smallest) penalty.
      int host = -1;
      double hostValue = 0;
      long hostRank = 0;
      int depth = k.length - 1;
      for (int c = 0; c <= depth; c++) {
        Best2 b = hosts.get(k[c]);
        int which = b == null ? -1 : b.other(d);
        if (which < 0) {
          continue;
        }
        double value = b.value[which] - (double) penalty * (depth - c + 1);
        if (host < 0 || value > hostValue || (value == hostValue && b.rank[which] < hostRank)) {
          host = b.node[which];
          hostValue = value;
          hostRank = b.rank[which];
        }
      }
      if (host < 0) {
        continue;
      }
      double value = scorer.score(d, devicesPart, choice) + hostValue;
      long deviceRank = scorer.rank(d);
      if (bestDevice < 0 || value > bestValue
          || (value == bestValue && (deviceRank < bestDeviceRank || (deviceRank == bestDeviceRank && hostRank < bestHostRank)))) {
        bestDevice = d;
        bestHost = host;
        bestValue = value;
        bestDeviceRank = deviceRank;
        bestHostRank = hostRank;
        chosen.copyFrom(choice);
      }
    }
    if (bestDevice < 0) {
      return null;
    }
    Placement devices = reservation.check(bestDevice, devicesPart, chosen);
    var assignment = new Assignment(task.id(), state.spec(bestHost).name(), devices.assignment().slices(),
        Assignment.NO_NUMA, state.spec(bestDevice).name());
    return new Placement(task, bestHost, bestDevice, assignment, devices.sequence());
  }

  private boolean anyFits(Attempt part) {
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (candidate(n, part) != null) {
        return true;
      }
    }
    return false;
  }

  /** Node {@code n}'s keys when it is live, pooled, may take the part and fits it now; else null. */
  private String @Nullable [] candidate(int n, Attempt part) {
    if (!state.isLive(n) || !part.mayUse(n)) {
      return null;
    }
    String[] k = keysOf(n);
    return k == null || scorer.filter.reject(n, part) != null ? null : k;
  }

  /**
   * Node {@code n}'s pool followed by each prefix of its topology path, one key per prefix length
   * (0 to the whole path); null when the node is in no pool.
   */
  private String @Nullable [] keysOf(int n) {
    while (keys.size() <= n) {
      keys.add(null);
    }
    String[] k = keys.get(n);
    if (k != null) {
      return k;
    }
    String pool = poolLevel == null ? "" : state.spec(n).labels().get(poolLevel);
    if (pool == null) {
      return null;
    }
    List<String> path = state.spec(n).topology();
    k = new String[path.size() + 1];
    var key = new StringBuilder(pool.length() + 1 + 16 * path.size()).append(pool).append('\u0000');
    k[0] = key.toString();
    for (int c = 0; c < path.size(); c++) {
      k[c + 1] = key.append(path.get(c)).append('\u0000').toString();
    }
    keys.set(n, k);
    return k;
  }

  /** The two best hosts under one key: two, so that a device node never pairs with itself. */
  private static final class Best2 {
    final int[] node = {-1, -1};
    final double[] value = new double[2];
    final long[] rank = new long[2];

    void offer(int n, double v, long r) {
      if (node[0] < 0 || beats(v, r, 0)) {
        node[1] = node[0];
        value[1] = value[0];
        rank[1] = rank[0];
        set(0, n, v, r);
      } else if (node[1] < 0 || beats(v, r, 1)) {
        set(1, n, v, r);
      }
    }

    private boolean beats(double v, long r, int i) {
      return v > value[i] || (v == value[i] && r < rank[i]);
    }

    private void set(int i, int n, double v, long r) {
      node[i] = n;
      value[i] = v;
      rank[i] = r;
    }

    /** The index of the best host that is not node {@code d}, or -1. */
    int other(int d) {
      if (node[0] >= 0 && node[0] != d) {
        return 0;
      }
      return node[1] >= 0 && node[1] != d ? 1 : -1;
    }
  }
}
