package io.flexsched.property;

import io.flexsched.core.ClusterView;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.spi.NodeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a user or a policy can see of an engine's state, as a value: two equal snapshots
 * mean two equal states. Per live node, in join order: its name, free CPU and memory, total free
 * milli, idle devices, task count, whether it is fenced, and per device free milli, memory,
 * sharers, compute units, slots, idleness and time-slice weights; then every assignment, by task
 * id, and the order of placements (a rollback restores it, and it decides which victims come
 * first). Node state stamps are left out (they change on every touch, by design).
 *
 * @param nodes the live nodes' names, in join order
 * @param numbers the nodes' and devices' free counters, in that order
 * @param assignments every assignment by task id
 * @param order the placed tasks' ids, in placement order
 */
public record ClusterSnapshot(List<String> nodes, long[] numbers, Map<String, Assignment> assignments, List<String> order) {
  private static final int NODE_FIELDS = 7;
  private static final int DEVICE_FIELDS = 7;

  /** The engine's state now. */
  public static ClusterSnapshot of(PlacementEngine engine) {
    ClusterView e = engine.cluster();
    List<Node> live = e.nodes();
    var names = new ArrayList<String>(live.size());
    long[] numbers = new long[64];
    int k = 0;
    for (Node n : live) {
      names.add(n.name());
      NodeView v = e.node(n.name());
      int devices = v.deviceCount();
      if (k + NODE_FIELDS + DEVICE_FIELDS * devices + 2 > numbers.length) {
        numbers = Arrays.copyOf(numbers, Math.max(numbers.length * 2, k + NODE_FIELDS + DEVICE_FIELDS * devices + 2));
      }
      numbers[k++] = v.freeCpuMilli();
      numbers[k++] = v.freeMemoryMiB();
      numbers[k++] = v.totalFreeMilli();
      numbers[k++] = v.idleDevices();
      numbers[k++] = v.tasks().size();
      numbers[k++] = devices;
      numbers[k++] = e.isFenced(n.name()) ? 1 : 0;
      for (int d = 0; d < devices; d++) {
        numbers[k++] = v.freeMilli(d);
        numbers[k++] = v.freeDeviceMemoryMiB(d);
        numbers[k++] = v.freeSharers(d);
        numbers[k++] = v.freeComputeUnits(d);
        numbers[k++] = v.freeSlots(d);
        numbers[k++] = v.isIdle(d) ? 1 : 0;
        numbers[k++] = v.timeSliceWeights(d);
      }
    }
    if (k + 2 > numbers.length) {
      numbers = Arrays.copyOf(numbers, k + 2);
    }
    numbers[k++] = e.allocatedMilli();
    numbers[k++] = e.capacityMilli();
    var assignments = new TreeMap<String, Assignment>();
    var order = new ArrayList<String>();
    for (Assignment a : e.assignments()) {
      assignments.put(a.task(), a);
      order.add(a.task());
    }
    return new ClusterSnapshot(List.copyOf(names), Arrays.copyOf(numbers, k), assignments, List.copyOf(order));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSnapshot s && nodes.equals(s.nodes) && Arrays.equals(numbers, s.numbers)
        && assignments.equals(s.assignments) && order.equals(s.order);
  }

  @Override
  public int hashCode() {
    return nodes.hashCode() * 31 + Arrays.hashCode(numbers);
  }

  /** One line per node and per assignment, then the cluster's allocated/capacity milli. */
  @Override
  public String toString() {
    var b = new StringBuilder();
    int k = 0;
    for (String name : nodes) {
      b.append(name).append(" cpu=").append(numbers[k++]).append(" mem=").append(numbers[k++]).append(" milli=")
          .append(numbers[k++]).append(" idle=").append(numbers[k++]).append(" tasks=").append(numbers[k++]);
      long devices = numbers[k++];
      b.append(numbers[k++] == 1 ? " fenced" : "");
      for (int d = 0; d < devices; d++) {
        b.append(" [").append(numbers[k++]).append(',').append(numbers[k++]).append(',').append(numbers[k++]).append(',')
            .append(numbers[k++]).append(',').append(Long.toHexString(numbers[k++])).append(',').append(numbers[k++] == 1 ? 'i' : 'b')
            .append(']');
      }
      b.append('\n');
    }
    for (Assignment a : assignments.values()) {
      b.append(a).append('\n');
    }
    b.append("order ").append(order).append('\n');
    return b.append(numbers[k]).append('/').append(numbers[k + 1]).toString();
  }

  /** The first line that differs between {@code expected} and this snapshot. */
  public String differenceFrom(ClusterSnapshot expected) {
    String[] e = expected.toString().split("\n", -1);
    String[] a = toString().split("\n", -1);
    for (int i = 0; i < Math.max(e.length, a.length); i++) {
      String x = i < e.length ? e[i] : "(nothing)";
      String y = i < a.length ? a[i] : "(nothing)";
      if (!x.equals(y)) {
        return "expected " + x + " but was " + y;
      }
    }
    return "no difference";
  }
}
