package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps a Kubernetes Node to a Flex node: allocatable CPU and memory, NVIDIA GPUs (their model from
 * GPU Feature Discovery's labels), Ascend NPUs, the link matrix annotation and the topology
 * labels, its labels and taints; and says whether the node is cordoned.
 */
final class NodeMapping {
  static final String GPU = "nvidia.com/gpu";
  static final String ASCEND = "huawei.com/Ascend910";
  static final String LINKS = "flexsched.io/links";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A mapped node, and whether it is fenced (cordoned). */
  record Mapped(Node node, boolean fenced) {}

  private final GpuProducts products;
  private final DeviceCatalogue catalogue;
  private final Map<String, String> topologyLabels;

  /**
   * @param topologyLabels the node labels that place a node in the topology tree, outermost first,
   *     each with the level name gangs use ({@code topology.kubernetes.io/zone -> zone})
   */
  NodeMapping(DeviceCatalogue catalogue, GpuProducts products, Map<String, String> topologyLabels) {
    this.catalogue = catalogue;
    this.products = products;
    this.topologyLabels = new LinkedHashMap<>(topologyLabels);
  }

  static Map<String, String> defaultTopology() {
    var m = new LinkedHashMap<String, String>();
    m.put("topology.kubernetes.io/zone", "zone");
    m.put("flexsched.io/rack", "rack");
    return m;
  }

  /**
   * Maps {@code k8s}.
   *
   * @throws InvalidSpecException naming the field and value when the node cannot be sized
   */
  Mapped map(io.fabric8.kubernetes.api.model.Node k8s) {
    String name = k8s.getMetadata().getName();
    Map<String, Quantity> alloc = k8s.getStatus() == null || k8s.getStatus().getAllocatable() == null
        ? Map.of() : k8s.getStatus().getAllocatable();
    Map<String, String> labels = k8s.getMetadata().getLabels() == null ? Map.of() : k8s.getMetadata().getLabels();
    Map<String, String> annotations = k8s.getMetadata().getAnnotations() == null ? Map.of() : k8s.getMetadata().getAnnotations();
    String where = "node " + name + " allocatable ";
    long cpu = Quantities.milli(where + "cpu", alloc.get("cpu"));
    long mem = Quantities.mebibytesDown(where + "memory", alloc.get("memory"));
    var builder = Node.builder(name).cpuMilli(cpu).memoryMiB(mem);
    int gpus = (int) Math.min(64, Quantities.count(where + GPU, alloc.getOrDefault(GPU, new Quantity("0"))));
    int npus = (int) Math.min(64, Quantities.count(where + ASCEND, alloc.getOrDefault(ASCEND, new Quantity("0"))));
    if (gpus > 0 && npus > 0) {
      throw new InvalidSpecException(where + ASCEND, npus, "cannot be combined with " + GPU + " on one node");
    }
    if (gpus > 0) {
      DeviceModel model = products.model(name, labels.get("nvidia.com/gpu.product"), labels.get("nvidia.com/gpu.memory"));
      builder.devices(model, gpus);
    } else if (npus > 0) {
      builder.devices(catalogue.require("Ascend910"), npus);
    }
    String links = annotations.get(LINKS);
    if (links != null) {
      builder.links(links(name, links, Math.max(gpus, npus)));
    }
    // The node's own labels, for pods' node selectors; then each topology label under its level's
    // name, for gangs (a label named like a level gives way to it).
    var flexLabels = new LinkedHashMap<String, String>(labels);
    var path = new ArrayList<String>();
    for (var e : topologyLabels.entrySet()) {
      String value = labels.get(e.getKey());
      if (value != null) {
        flexLabels.put(e.getValue(), value);
        path.add(value);
      }
    }
    Node node = builder.labels(flexLabels).topology(path).taints(taints(k8s)).build();
    return new Mapped(node, fenced(k8s));
  }

  /** Cordoned: no new pod goes there, whatever it tolerates. */
  static boolean fenced(io.fabric8.kubernetes.api.model.Node k8s) {
    return k8s.getSpec() != null && Boolean.TRUE.equals(k8s.getSpec().getUnschedulable());
  }

  /**
   * The taints that keep new pods away unless tolerated (NoSchedule, NoExecute); PreferNoSchedule
   * is a preference, which Flex does not score.
   */
  static List<Node.Taint> taints(io.fabric8.kubernetes.api.model.Node k8s) {
    List<Taint> taints = k8s.getSpec() == null || k8s.getSpec().getTaints() == null ? List.of() : k8s.getSpec().getTaints();
    var out = new ArrayList<Node.Taint>();
    for (Taint t : taints) {
      if ("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())) {
        out.add(new Node.Taint(t.getKey(), t.getValue() == null ? "" : t.getValue(), t.getEffect()));
      }
    }
    return out;
  }

  private static LinkMatrix links(String node, String json, int devices) {
    String field = "node " + node + " annotation " + LINKS;
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (RuntimeException e) {
      throw new InvalidSpecException(field, abbreviate(json), "must be a JSON matrix of link scores");
    }
    if (!root.isArray() || root.size() != devices) {
      throw new InvalidSpecException(field, abbreviate(json), "must be a " + devices + "x" + devices + " JSON matrix");
    }
    int[][] rows = new int[devices][devices];
    for (int i = 0; i < devices; i++) {
      JsonNode row = root.get(i);
      if (!row.isArray() || row.size() != devices) {
        throw new InvalidSpecException(field, abbreviate(json), "must be a " + devices + "x" + devices + " JSON matrix");
      }
      for (int j = 0; j < devices; j++) {
        if (!row.get(j).isInt()) {
          throw new InvalidSpecException(field, row.get(j).toString(), "must hold whole-number link scores");
        }
        rows[i][j] = row.get(j).intValue();
      }
    }
    return LinkMatrix.of(rows);
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 77) + "...'";
  }
}
