package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Slice;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent check of what is bound, from the API server's objects alone (no scheduler's
 * state): on each node the bound pods' CPU and memory requests fit its allocatable, no GPU holds
 * more than all of its compute (pods with Flex's assignment annotation on the devices it names,
 * pods bound by another scheduler as whole GPUs), and an annotation names the pod's own node.
 */
final class OverCommits {
  private OverCommits() {}

  /** How many of the nodes over-commit something, with the bound pods of namespace {@code ns}. */
  static int count(KubernetesClient client, String ns, List<Node> nodes) {
    var problems = find(client.pods().inNamespace(ns).list().getItems(), nodes);
    var names = new java.util.HashSet<String>();
    for (String p : problems) {
      names.add(p.substring(0, p.indexOf(':')));
    }
    return names.size();
  }

  /** Each over-commit as {@code node: what}; empty when there is none. */
  static List<String> find(List<Pod> pods, List<Node> nodes) {
    var cpu = new HashMap<String, BigDecimal>();
    var memory = new HashMap<String, BigDecimal>();
    var whole = new HashMap<String, Long>();
    var milli = new HashMap<String, Map<Integer, Integer>>();
    var problems = new ArrayList<String>();
    for (Pod p : pods) {
      String node = p.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        continue;
      }
      Map<String, BigDecimal> req = PodMapping.effectiveRequests(p);
      cpu.merge(node, req.getOrDefault("cpu", BigDecimal.ZERO), BigDecimal::add);
      memory.merge(node, req.getOrDefault("memory", BigDecimal.ZERO), BigDecimal::add);
      String json = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(AssignmentAnnotation.KEY);
      if (json == null) {
        whole.merge(node, req.getOrDefault(NodeMapping.GPU, BigDecimal.ZERO).longValue(), Long::sum);
        continue;
      }
      Assignment a = AssignmentAnnotation.read(PodMapping.id(p), json);
      if (!a.node().equals(node)) {
        problems.add(node + ": pod " + PodMapping.id(p) + " is annotated for node " + a.node());
      }
      for (Slice s : a.slices()) {
        milli.computeIfAbsent(node, k -> new HashMap<>()).merge(s.device(), s.milli(), Integer::sum);
      }
    }
    for (Node n : nodes) {
      String name = n.getMetadata().getName();
      Map<String, Quantity> alloc = n.getStatus().getAllocatable();
      check(problems, name, "cpu", cpu.get(name), Quantities.amount(name + " cpu", alloc.get("cpu")));
      check(problems, name, "memory", memory.get(name), Quantities.amount(name + " memory", alloc.get("memory")));
      long gpus = Math.max(0, Quantities.countOr(alloc, NodeMapping.GPU));
      Map<Integer, Integer> devices = milli.getOrDefault(name, Map.of());
      devices.forEach((d, m) -> {
        if (d < 0 || d >= gpus || m > DeviceModel.WHOLE_MILLI) {
          problems.add(name + ": GPU " + d + " holds " + m + " milli of " + gpus + " GPUs");
        }
      });
      if (whole.getOrDefault(name, 0L) + devices.size() > gpus) {
        problems.add(name + ": " + whole.getOrDefault(name, 0L) + " whole GPUs bound elsewhere and " + devices.size()
            + " by annotation, of " + gpus);
      }
    }
    return problems;
  }

  private static void check(List<String> problems, String node, String what, BigDecimal used, BigDecimal allocatable) {
    if (used != null && used.compareTo(allocatable) > 0) {
      problems.add(node + ": " + what + " requests " + used.toPlainString() + " above allocatable " + allocatable.toPlainString());
    }
  }
}
