package io.flexsched.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A machine: CPU, memory, labels, its accelerators, how they are linked, and where it sits in
 * the cluster's topology tree.
 *
 * @param name unique within a cluster
 * @param cpuMilli CPU in milli-cores
 * @param memoryMiB host memory
 * @param labels free-form labels
 * @param devices its accelerators, with distinct indices
 * @param links pairwise link scores between its devices, or null when unknown
 * @param topology its path in the cluster tree from the root, outermost first (e.g. zone, rack)
 * @param taints what keeps tasks away unless they tolerate it (Kubernetes' NoSchedule and NoExecute
 *     taints): a task goes to the node only if it tolerates every one of them
 * @param numa its NUMA nodes (sockets), the list position being the NUMA id, or empty when it declares
 *     none: each has a share of the CPU and some of the devices (see {@link NumaNode})
 */
public record Node(
    String name,
    long cpuMilli,
    long memoryMiB,
    Map<String, String> labels,
    List<Device> devices,
    @Nullable LinkMatrix links,
    List<String> topology,
    List<Node.Taint> taints,
    List<Node.NumaNode> numa) {

  public Node {
    Checks.name("node.name", name);
    Checks.atLeast("node " + name + " cpuMilli", cpuMilli, 0);
    Checks.atLeast("node " + name + " memoryMiB", memoryMiB, 0);
    labels = Checks.copyLabels("node " + name + " labels", labels);
    devices = Checks.copy("node " + name + " devices", devices);
    topology = Checks.copy("node " + name + " topology", topology);
    taints = Checks.copy("node " + name + " taints", taints);
    for (String domain : topology) {
      Checks.name("node " + name + " topology", domain);
    }
    var indices = new HashSet<Integer>();
    for (Device d : devices) {
      if (!indices.add(d.index())) {
        throw new InvalidSpecException("node " + name + " device index", d.index(), "must not repeat");
      }
      if (d.index() >= devices.size()) {
        throw new InvalidSpecException(
            "node " + name + " device index", d.index(), "must be below the device count " + devices.size());
      }
    }
    if (devices.size() > 64) {
      throw new InvalidSpecException("node " + name + " devices", devices.size(), "must be at most 64");
    }
    if (links != null && links.size() != devices.size()) {
      throw new InvalidSpecException(
          "node " + name + " links", links.size() + "x" + links.size(), "must be sized to the device count " + devices.size());
    }
    devices = sortByIndex(devices);
    numa = checkNuma(name, cpuMilli, devices.size(), Checks.copy("node " + name + " numa", numa));
  }

  /** A node without a NUMA layout (the form before NUMA nodes were modelled). */
  public Node(String name, long cpuMilli, long memoryMiB, Map<String, String> labels, List<Device> devices,
      @Nullable LinkMatrix links, List<String> topology, List<Node.Taint> taints) {
    this(name, cpuMilli, memoryMiB, labels, devices, links, topology, taints, List.of());
  }

  /**
   * One NUMA node (socket) of a machine: the CPU that belongs to it and the indices of the devices
   * attached to it. A task that asks for NUMA affinity ({@link Task.Numa}) takes its devices from
   * one NUMA node and pins its CPU there.
   *
   * @param cpuMilli the CPU of this NUMA node, in milli-cores
   * @param devices the indices of the node's devices attached to it (possibly none)
   */
  public record NumaNode(long cpuMilli, List<Integer> devices) {
    public NumaNode {
      Checks.atLeast("numa.cpuMilli", cpuMilli, 0);
      devices = Checks.copy("numa.devices", devices);
      Checks.unique("numa.devices", devices);
    }
  }

  /** Checks a NUMA layout against the node: CPU sums to the node's, every device in exactly one NUMA node. */
  private static List<NumaNode> checkNuma(String name, long cpuMilli, int deviceCount, List<NumaNode> numa) {
    if (numa.isEmpty()) {
      return numa;
    }
    if (numa.size() > 64) {
      throw new InvalidSpecException("node " + name + " numa", numa.size() + " NUMA nodes", "must be at most 64");
    }
    long cpu = 0;
    var owner = new int[deviceCount];
    Arrays.fill(owner, -1);
    for (int k = 0; k < numa.size(); k++) {
      NumaNode socket = numa.get(k);
      cpu += socket.cpuMilli();
      for (int d : socket.devices()) {
        if (d < 0 || d >= deviceCount) {
          throw new InvalidSpecException("node " + name + " numa[" + k + "].devices", d, "must be a device index in 0.." + (deviceCount - 1));
        }
        if (owner[d] >= 0) {
          throw new InvalidSpecException("node " + name + " numa[" + k + "].devices", d, "must not repeat a device of numa[" + owner[d] + "]");
        }
        owner[d] = k;
      }
    }
    if (cpu != cpuMilli) {
      throw new InvalidSpecException("node " + name + " numa cpuMilli", cpu, "must sum to the node's cpuMilli " + cpuMilli);
    }
    for (int d = 0; d < deviceCount; d++) {
      if (owner[d] < 0) {
        throw new InvalidSpecException("node " + name + " numa", "device " + d + " in none", "must place every device in one NUMA node");
      }
    }
    return numa;
  }

  /** The NUMA node device {@code index} is attached to, or -1 when the node declares no NUMA layout. */
  public int numaOf(int index) {
    for (int k = 0; k < numa.size(); k++) {
      if (numa.get(k).devices().contains(index)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * A mark that repels tasks which do not tolerate it (see {@link Task.Toleration}). The engine
   * gives the effect no meaning of its own: an embedder passes only the taints that should keep
   * new tasks away.
   *
   * @param key what the taint is about, e.g. {@code nvidia.com/gpu}
   * @param value its value, or the empty string
   * @param effect its kind, e.g. {@code NoSchedule}, or the empty string
   */
  public record Taint(String key, String value, String effect) {
    public Taint {
      Checks.name("taint.key", key);
      if (value == null) {
        throw new InvalidSpecException("taint " + key + " value", "null", "must not be null (use \"\")");
      }
      if (effect == null) {
        throw new InvalidSpecException("taint " + key + " effect", "null", "must not be null (use \"\")");
      }
    }
  }

  private static List<Device> sortByIndex(List<Device> devices) {
    var sorted = new ArrayList<>(devices);
    sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return List.copyOf(sorted);
  }

  /** A node with {@code count} devices of one model, indexed 0..count-1, no labels, links or path. */
  public static Node of(String name, long cpuMilli, long memoryMiB, DeviceModel model, int count) {
    return builder(name).cpuMilli(cpuMilli).memoryMiB(memoryMiB).devices(model, count).build();
  }

  /**
   * A node with {@code count} devices of the built-in catalogue's model {@code model} (see
   * {@link DeviceCatalogue#builtIn()}).
   *
   * @throws InvalidSpecException when the built-in catalogue has no such model
   */
  public static Node of(String name, long cpuMilli, long memoryMiB, String model, int count) {
    return of(name, cpuMilli, memoryMiB, DeviceCatalogue.builtIn().require(model), count);
  }

  /** A builder for a node called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** This node under another name (used to expand {@code count:} in scenario files). */
  public Node withName(String newName) {
    return new Node(newName, cpuMilli, memoryMiB, labels, devices, links, topology, taints, numa);
  }

  /** Builds a {@link Node}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final String name;
    private long cpuMilli;
    private long memoryMiB;
    private Map<String, String> labels = Map.of();
    private final List<Device> devices = new ArrayList<>();
    private @Nullable LinkMatrix links;
    private List<String> topology = List.of();
    private List<Taint> taints = List.of();
    private List<NumaNode> numa = List.of();

    private Builder(String name) {
      this.name = name;
    }

    public Builder cpuMilli(long value) {
      this.cpuMilli = value;
      return this;
    }

    public Builder memoryMiB(long value) {
      this.memoryMiB = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      this.labels = value;
      return this;
    }

    /** Appends {@code count} devices of {@code model}, indexed after those already added. */
    public Builder devices(DeviceModel model, int count) {
      Checks.atLeast("node " + name + " device count", count, 0);
      for (int i = 0; i < count; i++) {
        devices.add(new Device(devices.size(), model));
      }
      return this;
    }

    public Builder links(@Nullable LinkMatrix value) {
      this.links = value;
      return this;
    }

    public Builder topology(List<String> path) {
      this.topology = path;
      return this;
    }

    public Builder taints(List<Taint> value) {
      this.taints = value;
      return this;
    }

    /** The node's NUMA nodes, the list position being the NUMA id; empty (the default) declares none. */
    public Builder numa(List<NumaNode> value) {
      this.numa = value;
      return this;
    }

    public Node build() {
      return new Node(name, cpuMilli, memoryMiB, labels, devices, links, topology, taints, numa);
    }
  }
}
