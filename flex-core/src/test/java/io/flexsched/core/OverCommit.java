package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import java.util.HashMap;
import java.util.Map;

/**
 * An independent over-commit check: from a cluster's public assignments alone, no node's CPU or
 * memory and no device's compute, memory, sharers, compute units or slots are given out twice,
 * and no NUMA node's CPU is pinned twice (a pinned task's devices are of its NUMA node). A
 * remote assignment's CPU and memory count on its node, its slices on its device node.
 */
public final class OverCommit {
  private OverCommit() {}

  /** Checks the cluster of {@code engine} (a plain engine or a scheduler). */
  public static void check(PlacementEngine engine) {
    check(engine.cluster());
  }

  /** Checks {@code cluster}. */
  public static void check(ClusterView cluster) {
    Map<String, Node> nodes = new HashMap<>();
    for (Node n : cluster.nodes()) {
      nodes.put(n.name(), n);
    }
    Map<String, long[]> host = new HashMap<>();
    Map<String, long[]> device = new HashMap<>();
    for (Assignment a : cluster.assignments()) {
      Node node = nodes.get(a.node());
      assertThat(node).as("task %s is on a live node", a.task()).isNotNull();
      Task task = cluster.task(a.task()).orElseThrow();
      long[] h = host.computeIfAbsent(a.node(), k -> new long[2]);
      h[0] += task.cpuMilli();
      h[1] += task.memoryMiB();
      assertThat(h[0]).as("CPU of %s", a.node()).isLessThanOrEqualTo(node.cpuMilli());
      assertThat(h[1]).as("memory of %s", a.node()).isLessThanOrEqualTo(node.memoryMiB());
      assertThat(a.slices()).hasSize(task.accelerators().count());
      if (task.numa() == Task.Numa.REQUIRED && !node.numa().isEmpty()) {
        assertThat(a.numaNode()).as("%s requires NUMA affinity on %s", a.task(), a.node()).isNotEqualTo(Assignment.NO_NUMA);
      }
      if (a.numaNode() != Assignment.NO_NUMA) {
        assertThat(a.numaNode()).as("NUMA node of %s on %s", a.task(), a.node()).isLessThan(node.numa().size());
        long[] pinned = host.computeIfAbsent(a.node() + "#numa", k -> new long[node.numa().size()]);
        pinned[a.numaNode()] += task.cpuMilli();
        assertThat(pinned[a.numaNode()]).as("pinned CPU of %s NUMA node %d", a.node(), a.numaNode())
            .isLessThanOrEqualTo(node.numa().get(a.numaNode()).cpuMilli());
        for (Slice s : a.slices()) {
          assertThat(node.numaOf(s.device())).as("NUMA node of %s's device %d", a.task(), s.device()).isEqualTo(a.numaNode());
        }
      }
      Node deviceNode = nodes.get(a.deviceNode());
      assertThat(deviceNode).as("task %s's devices are on a live node", a.task()).isNotNull();
      for (Slice s : a.slices()) {
        DeviceModel m = deviceNode.devices().get(s.device()).model();
        long[] d = device.computeIfAbsent(a.deviceNode() + "/" + s.device(), k -> new long[5]);
        d[0] += s.milli();
        d[1] += s.memoryMiB();
        d[2]++;
        if (s.profile() != null) {
          Profile p = m.profile(s.profile()).orElseThrow();
          d[3] += p.computeUnits();
          long mask = s.start() < 0 ? 0 : p.slotMask(s.start());
          assertThat(d[4] & mask).as("slots of %s/%d", a.deviceNode(), s.device()).isZero();
          d[4] |= mask;
        } else if (s.milli() == DeviceModel.WHOLE_MILLI) {
          assertThat(d[2]).as("a whole device %s/%d is not shared", a.deviceNode(), s.device()).isEqualTo(1);
        }
        assertThat(d[0]).as("compute of %s/%d", a.deviceNode(), s.device()).isLessThanOrEqualTo(DeviceModel.WHOLE_MILLI);
        assertThat(d[1]).as("memory of %s/%d", a.deviceNode(), s.device()).isLessThanOrEqualTo(m.memoryMiB());
        assertThat(d[2]).as("sharers of %s/%d", a.deviceNode(), s.device()).isLessThanOrEqualTo(m.maxSharers());
        if (m.computeUnits() > 0) {
          assertThat(d[3]).as("compute units of %s/%d", a.deviceNode(), s.device()).isLessThanOrEqualTo(m.computeUnits());
        }
      }
    }
  }
}
