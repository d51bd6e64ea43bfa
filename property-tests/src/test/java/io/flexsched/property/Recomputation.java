package io.flexsched.property;

import io.flexsched.core.ClusterView;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An accounting of the cluster recomputed from scratch out of the engine's public answers alone
 * (the nodes' specifications, the assignments and their tasks), compared with every value the
 * engine's {@link NodeView}s report, and checked for over-commitment: independent of the engine's
 * own assert mode, which recomputes from its internal placements. CPU pinned to a NUMA node is
 * recomputed per NUMA node from the assignments that name one. On a time-sliced device the milli
 * given out are the guaranteed time shares (quotas), so "within 1000" is "the quotas never sum
 * above the device's whole time"; the weights are recomputed from the tasks' requests. A remote
 * assignment's CPU and memory count on its node, its slices on its device node, which must be
 * another live node and lists the task too.
 */
public final class Recomputation {
  private Recomputation() {}

  /** Per node: CPU and memory used, task ids. Per device: milli, memory, tenants, units, slots, time-slice weights. */
  private static final class Usage {
    long cpu;
    long memory;
    final Set<String> tasks = new HashSet<>();
    final long[][] devices;
    final long[] pinned;

    Usage(int deviceCount, int numaNodes) {
      devices = new long[deviceCount][6];
      pinned = new long[numaNodes];
    }
  }

  /**
   * Checks the engine's reported state against the recomputation.
   *
   * @throws InvariantViolation "over-commit" or "accounting equals a recomputation", naming the
   *     first difference
   */
  public static void check(PlacementEngine placementEngine) {
    ClusterView engine = placementEngine.cluster();
    Map<String, Node> nodes = new HashMap<>();
    Map<String, Usage> usage = new HashMap<>();
    long capacity = 0;
    for (Node n : engine.nodes()) {
      nodes.put(n.name(), n);
      usage.put(n.name(), new Usage(n.devices().size(), n.numa().size()));
      capacity += (long) DeviceModel.WHOLE_MILLI * n.devices().size();
    }
    long allocated = 0;
    for (Assignment a : engine.assignments()) {
      Node node = nodes.get(a.node());
      if (node == null) {
        throw new InvariantViolation("over-commit", "task " + a.task() + " is on " + a.node() + ", not a live node");
      }
      Task task = engine.task(a.task()).orElseThrow(
          () -> new InvariantViolation("accounting equals a recomputation", "assignment of unknown task " + a.task()));
      Usage u = usage.get(a.node());
      Node deviceNode = nodes.get(a.deviceNode());
      if (deviceNode == null) {
        throw new InvariantViolation("over-commit", "task " + a.task() + " uses devices of " + a.deviceNode() + ", not a live node");
      }
      Usage du = usage.get(a.deviceNode());
      u.cpu += task.cpuMilli();
      u.memory += task.memoryMiB();
      u.tasks.add(task.id());
      du.tasks.add(task.id());
      pin(node, a, task, u);
      if (a.slices().size() != task.accelerators().count()) {
        throw new InvariantViolation("over-commit", "task " + a.task() + " got " + a.slices().size() + " devices, asked for "
            + task.accelerators().count());
      }
      for (Slice s : a.slices()) {
        if (s.device() >= deviceNode.devices().size()) {
          throw new InvariantViolation("over-commit", "task " + a.task() + " names device " + s.device() + " of " + a.deviceNode());
        }
        DeviceModel m = deviceNode.devices().get(s.device()).model();
        long[] d = du.devices[s.device()];
        d[0] += s.milli();
        d[1] += s.memoryMiB();
        d[2]++;
        allocated += s.milli();
        timeSlice(a, task, s, m, d);
        if (s.profile() != null) {
          Profile p = m.profile(s.profile()).orElseThrow(
              () -> new InvariantViolation("over-commit", "task " + a.task() + " has profile " + s.profile() + " on " + m.name()));
          d[3] += p.computeUnits();
          long mask = s.start() < 0 ? 0 : p.slotMask(s.start());
          if ((d[4] & mask) != 0) {
            throw new InvariantViolation("over-commit", a.deviceNode() + "/" + s.device() + ": task " + a.task()
                + "'s profile overlaps slots already taken");
          }
          d[4] |= mask;
        } else if (m.sharing() == SharingMode.PROFILES) {
          d[3] += m.computeUnits(); // a whole partitioned device takes every unit and slot
          d[4] |= allSlots(m);
        }
      }
    }
    for (Node n : engine.nodes()) {
      checkNode(n, usage.get(n.name()), engine.node(n.name()));
    }
    same("cluster", "allocated milli", engine.allocatedMilli(), allocated);
    same("cluster", "capacity milli", engine.capacityMilli(), capacity);
  }

  /**
   * A time slice lands only on a time-sliced device and takes exactly its quota there; every task
   * on a time-sliced device counts its weight (1 for one that is not a time slice).
   */
  private static void timeSlice(Assignment a, Task task, Slice s, DeviceModel m, long[] d) {
    int weight = task.accelerators().weight();
    if (weight > 0 && m.sharing() != SharingMode.TIME_SLICED) {
      throw new InvariantViolation("over-commit", "time slice " + a.task() + " is on " + a.node() + "/" + s.device()
          + ", a " + m.sharing() + " device");
    }
    if (weight > 0 && s.milli() != task.accelerators().milliPerDevice()) {
      throw new InvariantViolation("over-commit", "time slice " + a.task() + " got " + s.milli() + " milli of time, its quota is "
          + task.accelerators().milliPerDevice());
    }
    if (m.sharing() == SharingMode.TIME_SLICED) {
      d[5] += Math.max(1, weight);
    }
  }

  private static void checkNode(Node n, Usage u, NodeView v) {
    String where = "node " + n.name();
    within(where, "CPU", u.cpu, n.cpuMilli());
    within(where, "memory", u.memory, n.memoryMiB());
    same(where, "free CPU", v.freeCpuMilli(), n.cpuMilli() - u.cpu);
    same(where, "free memory", v.freeMemoryMiB(), n.memoryMiB() - u.memory);
    same(where, "device count", v.deviceCount(), n.devices().size());
    var ids = new HashSet<String>();
    for (Task t : v.tasks()) {
      ids.add(t.id());
    }
    if (!ids.equals(u.tasks) || v.tasks().size() != u.tasks.size()) {
      throw new InvariantViolation("accounting equals a recomputation", where + " lists tasks " + v.tasks().size() + " "
          + ids + ", its assignments say " + u.tasks);
    }
    long totalFree = 0;
    int idle = 0;
    for (int i = 0; i < n.devices().size(); i++) {
      DeviceModel m = n.devices().get(i).model();
      long[] d = u.devices[i];
      String dev = where + " device " + i;
      within(dev, "compute milli", d[0], DeviceModel.WHOLE_MILLI);
      within(dev, "device memory", d[1], m.memoryMiB());
      within(dev, "sharers", d[2], m.maxSharers());
      if (m.sharing() == SharingMode.PROFILES) {
        within(dev, "compute units", d[3], m.computeUnits());
      }
      same(dev, "model", v.model(i).equals(m) ? 1 : 0, 1);
      same(dev, "free milli", v.freeMilli(i), DeviceModel.WHOLE_MILLI - d[0]);
      same(dev, "free memory", v.freeDeviceMemoryMiB(i), m.memoryMiB() - d[1]);
      same(dev, "free sharers", v.freeSharers(i), m.maxSharers() - d[2]);
      same(dev, "free compute units", v.freeComputeUnits(i), m.computeUnits() - d[3]);
      same(dev, "time-slice weights", v.timeSliceWeights(i), d[5]);
      same(dev, "free slots", v.freeSlots(i), allSlots(m) & ~d[4]);
      same(dev, "idle", v.isIdle(i) ? 1 : 0, d[2] == 0 ? 1 : 0);
      totalFree += DeviceModel.WHOLE_MILLI - d[0];
      idle += d[2] == 0 ? 1 : 0;
    }
    same(where, "total free milli", v.totalFreeMilli(), totalFree);
    same(where, "idle devices", v.idleDevices(), idle);
  }

  /**
   * A pinned assignment's CPU goes to its NUMA node, within that NUMA node's CPU, and its devices
   * are that NUMA node's; a task that requires affinity on a node with NUMA nodes is pinned.
   */
  private static void pin(Node node, Assignment a, Task task, Usage u) {
    int k = a.numaNode();
    if (k == Assignment.NO_NUMA) {
      if (task.numa() == Task.Numa.REQUIRED && !node.numa().isEmpty()) {
        throw new InvariantViolation("over-commit", "task " + a.task() + " requires NUMA affinity but is not pinned on " + a.node());
      }
      return;
    }
    if (k >= node.numa().size()) {
      throw new InvariantViolation("over-commit", "task " + a.task() + " is pinned to NUMA node " + k + " of " + a.node()
          + ", which has " + node.numa().size());
    }
    u.pinned[k] += task.cpuMilli();
    within("node " + a.node() + " NUMA node " + k, "pinned CPU", u.pinned[k], node.numa().get(k).cpuMilli());
    for (Slice s : a.slices()) {
      if (s.device() < node.devices().size() && node.numaOf(s.device()) != k) {
        throw new InvariantViolation("over-commit", "task " + a.task() + " is pinned to NUMA node " + k + " of " + a.node()
            + " but uses device " + s.device() + " of NUMA node " + node.numaOf(s.device()));
      }
    }
  }

  private static long allSlots(DeviceModel m) {
    return m.slots() == 0 ? 0L : -1L >>> (Long.SIZE - m.slots());
  }

  private static void within(String where, String what, long used, long capacity) {
    if (used > capacity) {
      throw new InvariantViolation("over-commit", where + ": " + what + " given out " + used + " of " + capacity);
    }
  }

  private static void same(String where, String what, long reported, long recomputed) {
    if (reported != recomputed) {
      throw new InvariantViolation("accounting equals a recomputation",
          where + ": " + what + " is " + reported + " but recomputes to " + recomputed);
    }
  }
}
