package io.flexsched.core;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generators of heterogeneous clusters and tasks for randomised tests: fractional trace
 * GPUs, a fractional model with a 5% granularity and at most four sharers, MIG GPUs, Ascend NPUs
 * (whole, and templates) and CPU-only nodes; CPU-only, share, whole, multi-device and profile
 * tasks, some restricted to models. NUMA runs add NUMA layouts to nodes and NUMA affinity to tasks.
 * Time-slicing runs turn about a third of the GPU nodes into {@link #TSNPU} nodes and about half of
 * the single-device shares into weighted time slices.
 */
public final class RandomClusters {
  /** A Flex:ai-style virtual GPU: shares in steps of 5%, at most four tenants. */
  public static final DeviceModel VGPU = DeviceModel.fractional("flex", "VGPU-24GB", 24_576, 50, 4);
  /** A Flex:ai-style time-sliced NPU: quotas in steps of 5%, at most twenty tenants. */
  public static final DeviceModel TSNPU = DeviceModel.timeSliced("flex", "TSNPU-64GB", 65_536, 50, 20);

  private static final DeviceCatalogue CATALOGUE = DeviceCatalogue.builtIn();
  private static final List<String> MODELS = List.of("T4", "G2", "V100M32", "A100-40GB", "Ascend910", "Ascend910B3", VGPU.name());
  private static final List<String> PROFILES = List.of(
      "1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb", "vir05_1c_16g", "vir10_3c_32g");

  private static final List<Node.Taint> TAINTS = List.of(
      new Node.Taint("nvidia.com/gpu", "present", "NoSchedule"), new Node.Taint("spot", "", "NoExecute"));

  private final SplittableRandom random;
  private final boolean constrained;
  private final boolean numa;
  private final boolean timeSliced;
  private int nodes;
  private int tasks;

  public RandomClusters(long seed) {
    this(seed, false);
  }

  /**
   * @param constrained whether nodes get pool labels and taints and tasks get node selectors and
   *     tolerations (drawn after everything else, so unconstrained runs keep their old streams)
   */
  public RandomClusters(long seed, boolean constrained) {
    this(seed, constrained, false);
  }

  /**
   * @param numa whether about half of the nodes get two or four NUMA nodes and tasks NUMA affinity
   *     (drawn last, so runs without it keep their old streams)
   */
  public RandomClusters(long seed, boolean constrained, boolean numa) {
    this(seed, constrained, numa, false);
  }

  /**
   * @param timeSliced whether some nodes get time-sliced devices and some shares become weighted
   *     time slices (drawn last, so runs without it keep their old streams)
   */
  public RandomClusters(long seed, boolean constrained, boolean numa, boolean timeSliced) {
    this.random = new SplittableRandom(seed);
    this.constrained = constrained;
    this.numa = numa;
    this.timeSliced = timeSliced;
  }

  public static DeviceModel model(String name) {
    return name.equals(VGPU.name()) ? VGPU : name.equals(TSNPU.name()) ? TSNPU : CATALOGUE.require(name);
  }

  /** {@code count} random nodes. */
  public List<Node> nodes(int count) {
    var out = new ArrayList<Node>();
    for (int i = 0; i < count; i++) {
      out.add(node());
    }
    return out;
  }

  /**
   * {@code count} nodes of three kinds only, so that many nodes share a state: the case the
   * engine's state-keyed answers exist for.
   */
  public List<Node> uniformNodes(int count) {
    var out = new ArrayList<Node>();
    for (int i = 0; i < count; i++) {
      String name = "n" + nodes++;
      out.add(layout(constrain(switch (random.nextInt(3)) {
        case 0 -> Node.of(name, 96_000, 393_216, model("G2"), 8);
        case 1 -> Node.of(name, 64_000, 262_144, model("T4"), 2);
        default -> Node.of(name, 64_000, 262_144, model("A100-40GB"), 4);
      })));
    }
    return out;
  }

  /** One random node, named {@code n<k>} with k counting up. */
  public Node node() {
    String name = "n" + nodes++;
    long cpu = 16_000L * (1 + random.nextInt(8));
    long memory = 65_536L * (1 + random.nextInt(8));
    if (random.nextInt(10) == 0) {
      return layout(constrain(Node.builder(name).cpuMilli(cpu).memoryMiB(memory).build()));
    }
    String model = MODELS.get(random.nextInt(MODELS.size()));
    int[] counts = {1, 2, 4, 8};
    int devices = counts[random.nextInt(counts.length)];
    Node.Builder b = Node.builder(name).cpuMilli(cpu).memoryMiB(memory).devices(model(model), devices);
    if (random.nextInt(8) == 0) {
      b.devices(model(MODELS.get(random.nextInt(MODELS.size()))), 1 + random.nextInt(2));
    }
    Node node = b.build();
    if (node.devices().size() >= 2 && random.nextInt(4) == 0) {
      b.links(randomLinks(node.devices().size()));
      node = b.build();
    }
    return timeSlice(layout(constrain(node)));
  }

  /** In time-slicing runs, a third of the nodes with devices get time-sliced devices in their place. */
  private Node timeSlice(Node node) {
    if (!timeSliced || node.devices().isEmpty() || random.nextInt(3) != 0) {
      return node;
    }
    var devices = new ArrayList<io.flexsched.model.Device>();
    for (io.flexsched.model.Device d : node.devices()) {
      devices.add(new io.flexsched.model.Device(d.index(), TSNPU));
    }
    return new Node(node.name(), node.cpuMilli(), node.memoryMiB(), node.labels(), devices, node.links(),
        node.topology(), node.taints(), node.numa());
  }

  /** In constrained runs, {@code node} with a pool label (a, b or none) and, on some, taints. */
  private Node constrain(Node node) {
    if (!constrained) {
      return node;
    }
    var labels = new java.util.HashMap<>(node.labels());
    int pool = random.nextInt(3);
    if (pool < 2) {
      labels.put("pool", pool == 0 ? "a" : "b");
    }
    var taints = new ArrayList<Node.Taint>();
    for (Node.Taint t : TAINTS) {
      if (random.nextInt(4) == 0) {
        taints.add(t);
      }
    }
    return new Node(node.name(), node.cpuMilli(), node.memoryMiB(), labels, node.devices(), node.links(),
        node.topology(), taints);
  }

  /**
   * In NUMA runs, {@code node} split (half of the time) into two or four NUMA nodes of equal CPU,
   * the devices in contiguous runs (a socket of a one-device node may have none).
   */
  private Node layout(Node node) {
    if (!numa || random.nextInt(2) == 0) {
      return node;
    }
    int sockets = random.nextInt(3) == 0 ? 4 : 2;
    int count = node.devices().size();
    var numaNodes = new ArrayList<Node.NumaNode>();
    for (int k = 0; k < sockets; k++) {
      var devices = new ArrayList<Integer>();
      for (int d = 0; d < count; d++) {
        if (d * sockets / count == k) {
          devices.add(d);
        }
      }
      numaNodes.add(new Node.NumaNode(node.cpuMilli() / sockets, devices));
    }
    return new Node(node.name(), node.cpuMilli(), node.memoryMiB(), node.labels(), node.devices(), node.links(),
        node.topology(), node.taints(), numaNodes);
  }

  /** A random symmetric link matrix on the scales of hardware.md (SYS 10 ... NVLink 100+). */
  private LinkMatrix randomLinks(int n) {
    int[] scores = {10, 20, 30, 40, 50, 60, 100, 200};
    int[][] m = new int[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        m[i][j] = m[j][i] = scores[random.nextInt(scores.length)];
      }
    }
    return LinkMatrix.of(m);
  }

  /** One random task, named {@code t<k>} with k counting up. */
  public Task task() {
    String id = "t" + tasks++;
    long cpu = 500L * (1 + random.nextInt(48));
    long memory = 1_024L * random.nextInt(64);
    AcceleratorRequest r;
    int kind = random.nextInt(100);
    if (kind < 15) {
      r = AcceleratorRequest.NONE;
    } else if (kind < 55) {
      r = AcceleratorRequest.share(1, 10 * (1 + random.nextInt(99)), random.nextInt(3) == 0 ? 1_024L * random.nextInt(8) : 0);
    } else if (kind < 83) {
      int[] counts = {1, 1, 1, 2, 3, 4, 8};
      r = AcceleratorRequest.whole(counts[random.nextInt(counts.length)]);
      if (r.count() >= 2 && random.nextInt(5) == 0) {
        r = r.withMinLinkScore(random.nextBoolean() ? 30 : 60);
      }
    } else if (kind < 95) {
      r = AcceleratorRequest.profile(PROFILES.get(random.nextInt(PROFILES.size())));
    } else {
      r = AcceleratorRequest.share(2 + random.nextInt(2), 100 * (1 + random.nextInt(9)), 0);
    }
    if (r.count() > 0 && r.profile() == null && random.nextInt(5) == 0) {
      String a = MODELS.get(random.nextInt(MODELS.size()));
      String b = MODELS.get(random.nextInt(MODELS.size()));
      r = r.onModels(new java.util.HashSet<>(List.of(a, b)));
    }
    if (timeSliced && r.count() > 0 && r.profile() == null && r.milliPerDevice() < 1000 && random.nextBoolean()) {
      // Quotas in the time-sliced model's steps, up to its whole time; weights 1 to 8.
      r = AcceleratorRequest.timeSlice(r.count(), 50 * (1 + random.nextInt(20)), 1 + random.nextInt(8), r.memoryMiBPerDevice())
          .onModels(random.nextInt(4) == 0 ? r.models() : java.util.Set.of());
    }
    Task.Builder task = Task.builder(id).cpuMilli(cpu).memoryMiB(memory).accelerators(r);
    if (constrained) {
      if (random.nextInt(4) == 0) {
        task.nodeSelector(java.util.Map.of("pool", random.nextBoolean() ? "a" : "b"));
      }
      var tolerations = new ArrayList<Task.Toleration>();
      switch (random.nextInt(6)) {
        case 0 -> tolerations.add(new Task.Toleration(null, null, null));
        case 1, 2 -> tolerations.add(Task.Toleration.exists("nvidia.com/gpu"));
        case 3 -> tolerations.add(new Task.Toleration("spot", "", "NoExecute"));
        case 4 -> tolerations.add(new Task.Toleration("nvidia.com/gpu", "absent", null));
        default -> { }
      }
      task.tolerations(tolerations);
    }
    if (numa) {
      int affinity = random.nextInt(4);
      task.numa(affinity == 0 ? Task.Numa.REQUIRED : affinity == 1 ? Task.Numa.PREFERRED : Task.Numa.NONE);
    }
    return task.build();
  }

  /** A uniform int in [0, bound). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }
}
