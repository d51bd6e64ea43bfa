package io.flexsched.core.engine;

import io.flexsched.core.AccountingException;
import io.flexsched.model.Assignment;
import io.flexsched.model.Slice;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Assert mode's check (after Timefold's FULL_ASSERT): every column of a {@link ClusterState}
 * recomputed from the node specifications and the placements, compared with the incremental
 * one, and nothing over-committed.
 */
final class StateCheck {
  private StateCheck() {}

  /**
   * Recomputes {@code s} from scratch and compares.
   *
   * @throws AccountingException naming the first difference
   */
  static void verify(ClusterState s) {
    ClusterState fresh = new ClusterState(new TaskShapes());
    for (int n = 0; n < s.nodeSlots(); n++) {
      // A removed node may share its name with a live one (removed, re-added, and the removal
      // revived by a rollback), so dead nodes get their ordinals without taking their names.
      fresh.append(s.spec[n], s.rules(n), s.specClass(n));
      if (s.live[n]) {
        fresh.revive(n);
      }
    }
    for (Placement p : s.placements().values()) {
      if (!s.live[p.node()] || !s.live[p.deviceNode()]) {
        int dead = s.live[p.node()] ? p.deviceNode() : p.node();
        throw new AccountingException("task " + p.task().id() + " is placed on removed node " + s.spec[dead].name());
      }
      checkRemote(s, p);
      checkPin(s, p);
      fresh.place(p);
    }
    if (fresh.allocatedMilli != s.allocatedMilli || fresh.liveCapacityMilli != s.liveCapacityMilli) {
      throw new AccountingException("cluster allocated/capacity milli " + s.allocatedMilli + "/" + s.liveCapacityMilli
          + ", recomputed " + fresh.allocatedMilli + "/" + fresh.liveCapacityMilli);
    }
    for (int n = 0; n < s.nodeSlots(); n++) {
      String where = "node " + s.spec[n].name();
      same(where, "cpuFree", s.cpuFree[n], fresh.cpuFree[n]);
      same(where, "memoryFree", s.memFree[n], fresh.memFree[n]);
      same(where, "totalFreeMilli", s.totalFreeMilli[n], fresh.totalFreeMilli[n]);
      same(where, "idleDevices", s.idleDevices[n], fresh.idleDevices[n]);
      same(where, "task count", s.tasksOn[n].size(), fresh.tasksOn[n].size());
      int[] recounted = s.tasksOn[n].stream().mapToInt(s.shapes::of).sorted().toArray();
      if (!Arrays.equals(s.shapesOn.sorted(n), recounted)) {
        throw new AccountingException(where + " task shapes " + Arrays.toString(s.shapesOn.sorted(n))
            + ", recounted " + Arrays.toString(recounted));
      }
      nonNegative(where, "cpuFree", s.cpuFree[n]);
      for (int k = 0; k < s.numa.count(n); k++) {
        same(where + " NUMA node " + k, "pinned CPU", s.numa.pinned[n][k], fresh.numa.pinned[n][k]);
        nonNegative(where + " NUMA node " + k, "unpinned CPU", s.numa.unpinned(n, k));
      }
      nonNegative(where, "memoryFree", s.memFree[n]);
      for (int i = 0; i < s.devCount[n]; i++) {
        int g = s.devStart[n] + i;
        String dev = where + " device " + i;
        same(dev, "milliFree", s.milliFree[g], fresh.milliFree[g]);
        same(dev, "memoryFree", s.dmemFree[g], fresh.dmemFree[g]);
        same(dev, "tenants", s.tenants[g], fresh.tenants[g]);
        same(dev, "unitsFree", s.unitsFree[g], fresh.unitsFree[g]);
        same(dev, "slotsFree", s.slotsFree[g], fresh.slotsFree[g]);
        same(dev, "timeSliceWeights", s.timeSlices.weights(g), fresh.timeSlices.weights(g));
        nonNegative(dev, "milliFree", s.milliFree[g]);
        nonNegative(dev, "memoryFree", s.dmemFree[g]);
        nonNegative(dev, "unitsFree", s.unitsFree[g]);
        if (s.tenants[g] > s.model[g].maxSharers()) {
          throw new AccountingException(dev + " has " + s.tenants[g] + " tenants, above maxSharers " + s.model[g].maxSharers());
        }
      }
    }
    slotsDisjoint(s);
  }

  /** A pinned placement names a NUMA node of its node, and takes its devices from that NUMA node. */
  private static void checkPin(ClusterState s, Placement p) {
    int k = p.assignment().numaNode();
    if (k == Assignment.NO_NUMA) {
      return;
    }
    if (k >= s.numa.count(p.node())) {
      throw new AccountingException("task " + p.task().id() + " is pinned to NUMA node " + k + " of node "
          + s.spec[p.node()].name() + ", which has " + s.numa.count(p.node()));
    }
    for (Slice slice : p.assignment().slices()) {
      if (s.numa.of(p.node(), slice.device()) != k) {
        throw new AccountingException("task " + p.task().id() + " is pinned to NUMA node " + k + " but uses device "
            + slice.device() + " of NUMA node " + s.numa.of(p.node(), slice.device()));
      }
    }
  }

  /** A remote placement's assignment names both of its nodes, and its devices are elsewhere than its host. */
  private static void checkRemote(ClusterState s, Placement p) {
    Assignment a = p.assignment();
    if (!a.node().equals(s.spec[p.node()].name()) || !a.deviceNode().equals(s.spec[p.deviceNode()].name())
        || a.remote() != p.remote()) {
      throw new AccountingException("task " + p.task().id() + "'s assignment " + a + " does not name its nodes "
          + s.spec[p.node()].name() + " and " + s.spec[p.deviceNode()].name());
    }
  }

  private static void slotsDisjoint(ClusterState s) {
    var used = new HashMap<Integer, Long>();
    for (Placement p : s.placements().values()) {
      for (Slice slice : p.assignment().slices()) {
        if (slice.profile() == null || slice.start() < 0) {
          continue;
        }
        int g = s.devStart[p.deviceNode()] + slice.device();
        long mask = s.model[g].profile(slice.profile()).orElseThrow().slotMask(slice.start());
        long before = used.getOrDefault(g, 0L);
        if ((before & mask) != 0) {
          throw new AccountingException("node " + s.spec[p.deviceNode()].name() + " device " + slice.device()
              + ": task " + p.task().id() + "'s profile overlaps slots already taken");
        }
        used.put(g, before | mask);
      }
    }
  }

  private static void same(String where, String what, long actual, long expected) {
    if (actual != expected) {
      throw new AccountingException(where + ": " + what + " is " + actual + " but recomputes to " + expected);
    }
  }

  private static void nonNegative(String where, String what, long value) {
    if (value < 0) {
      throw new AccountingException(where + ": " + what + " is over-committed (" + value + ")");
    }
  }
}
