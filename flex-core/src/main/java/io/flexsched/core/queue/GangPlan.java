package io.flexsched.core.queue;

import io.flexsched.core.ClusterView;
import io.flexsched.core.engine.Engine;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Device;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The nodes a waiting gang's reservation holds: enough of them, once emptied, for every member,
 * under one domain of its topology level when it has one (a preferred level falls back to the
 * whole cluster). Members go largest first onto a node already held when it can still take them
 * there, else onto the node with the most free compute of models they may use now (then most free
 * CPU, then cluster order), so the fewest nodes are held and those that drain soonest. Room is
 * counted on empty nodes, a device per requested device, so a plan never promises what a node
 * cannot give. Among domains, the plan whose nodes have the most free compute now wins.
 */
final class GangPlan {
  private GangPlan() {}

  /** The nodes to hold for {@code members}, in cluster order; empty when no live, unfenced nodes can take them. */
  static List<String> of(List<Task> members, ClusterView cluster) {
    var order = new ArrayList<>(members);
    order.sort((a, b) -> Long.compare(b.accelerators().totalMilli(), a.accelerators().totalMilli()));
    Gang gang = members.get(0).gang();
    var domains = new LinkedHashMap<String, List<Node>>();
    var all = new ArrayList<Node>();
    for (Node n : cluster.nodes()) {
      if (cluster.isFenced(n.name())) {
        continue;
      }
      all.add(n);
      String d = gang == null || gang.topologyLevel() == null ? null : Engine.domainOf(n, gang.topologyLevel());
      if (d != null) {
        domains.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
      }
    }
    List<String> best = List.of();
    long bestFree = -1;
    for (List<Node> domain : domains.values()) {
      List<String> plan = within(order, domain, cluster);
      long free = free(plan, order, cluster);
      if (!plan.isEmpty() && free > bestFree) {
        best = plan;
        bestFree = free;
      }
    }
    if (best.isEmpty() && (gang == null || gang.topologyLevel() == null || !gang.required())) {
      best = within(order, all, cluster);
    }
    return best;
  }

  /** A plan on {@code nodes} alone, or empty. */
  private static List<String> within(List<Task> order, List<Node> nodes, ClusterView cluster) {
    var room = new LinkedHashMap<String, Room>();
    for (Task t : order) {
      Room chosen = null;
      for (Room r : room.values()) {
        if (r.takes(t)) {
          chosen = r;
          break;
        }
      }
      if (chosen == null) {
        long bestGpu = -1;
        long bestCpu = -1;
        for (Node n : nodes) {
          if (room.containsKey(n.name())) {
            continue;
          }
          Room r = new Room(n);
          if (!r.takes(t)) {
            continue;
          }
          NodeView v = cluster.node(n.name());
          long gpu = freeFor(t.accelerators(), v);
          if (gpu > bestGpu || gpu == bestGpu && v.freeCpuMilli() > bestCpu) {
            chosen = r;
            bestGpu = gpu;
            bestCpu = v.freeCpuMilli();
          }
        }
        if (chosen == null) {
          return List.of();
        }
        room.put(chosen.node.name(), chosen);
      }
      chosen.take(t);
    }
    var held = new ArrayList<String>(room.size());
    for (Node n : nodes) {
      if (room.containsKey(n.name())) {
        held.add(n.name());
      }
    }
    return held;
  }

  private static long free(List<String> plan, List<Task> order, ClusterView cluster) {
    long sum = 0;
    for (String name : plan) {
      sum += freeFor(order.get(0).accelerators(), cluster.node(name));
    }
    return sum;
  }

  /** Free compute on {@code v}'s devices of models {@code r} may use. */
  private static long freeFor(AcceleratorRequest r, NodeView v) {
    long gpu = 0;
    for (int d = 0; d < v.deviceCount(); d++) {
      if (r.count() > 0 && r.couldBeServedBy(v.model(d))) {
        gpu += v.freeMilli(d);
      }
    }
    return gpu;
  }

  /** What is left of one node, emptied, as members are planned onto it. */
  private static final class Room {
    final Node node;
    long cpu;
    long memory;
    final boolean[] taken;

    Room(Node node) {
      this.node = node;
      this.cpu = node.cpuMilli();
      this.memory = node.memoryMiB();
      this.taken = new boolean[node.devices().size()];
    }

    boolean takes(Task t) {
      return t.cpuMilli() <= cpu && t.memoryMiB() <= memory && t.mayRunOn(node) && devices(t, false) >= t.accelerators().count();
    }

    void take(Task t) {
      cpu -= t.cpuMilli();
      memory -= t.memoryMiB();
      devices(t, true);
    }

    /** Untaken devices that could serve {@code t}, up to its count; taking them when {@code take}. */
    private int devices(Task t, boolean take) {
      AcceleratorRequest r = t.accelerators();
      int found = 0;
      List<Device> devices = node.devices();
      for (int d = 0; d < devices.size() && found < r.count(); d++) {
        if (!taken[d] && r.couldBeServedBy(devices.get(d).model())) {
          found++;
          if (take) {
            taken[d] = true;
          }
        }
      }
      return found;
    }
  }
}
