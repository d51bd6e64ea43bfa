package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Task;
import io.flexsched.sim.replay.BuiltInWorkload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes and pods of a kube-bench run, the same for every scheduler compared: uniform (one
 * GPU model, one-GPU or half-GPU pods) or shaped like the Alibaba trace (nodes sampled evenly
 * from the built-in cluster, so its mix of models and sizes is kept; pods drawn from the trace's
 * task shapes with a fixed seed). A share is asked the HAMi way: {@code nvidia.com/gpu: 1} with
 * {@code nvidia.com/gpucores}, which kube-scheduler cannot satisfy and Flex can.
 */
final class BenchObjects {
  /** The seed the trace-shaped pods are drawn with. */
  static final long SEED = 42;

  private final KubeBench.Plan plan;
  private final List<io.flexsched.model.Node> traceNodes;
  private final List<Task> traceTasks;

  BenchObjects(KubeBench.Plan plan) {
    this.plan = plan;
    boolean trace = plan.workload().equals("trace");
    if (trace) {
      List<io.flexsched.model.Node> all = BuiltInWorkload.nodes();
      traceNodes = new ArrayList<>(plan.nodes());
      for (int i = 0; i < plan.nodes(); i++) {
        traceNodes.add(all.get((int) ((long) i * all.size() / plan.nodes())));
      }
      traceTasks = BuiltInWorkload.tasks(plan.pods(), SEED);
    } else {
      traceNodes = List.of();
      traceTasks = List.of();
    }
  }

  /** The catalogue models the trace-shaped nodes carry, each under its own name as GPU product. */
  static Map<String, String> products() {
    var out = new LinkedHashMap<String, String>();
    for (io.flexsched.model.Node n : BuiltInWorkload.nodes()) {
      for (var d : n.devices()) {
        out.put(d.model().name(), d.model().name());
      }
    }
    return out;
  }

  /** The run's nodes, named {@code ns-n<i>} and labelled {@code flexsched.io/bench=ns}. */
  List<Node> nodes(String ns) {
    var out = new ArrayList<Node>(plan.nodes());
    for (int i = 0; i < plan.nodes(); i++) {
      if (traceNodes.isEmpty()) {
        out.add(node(ns + "-n" + i, ns, 64_000, 262_144, plan.gpusPerNode(), "Tesla-V100-SXM2-16GB"));
      } else {
        io.flexsched.model.Node t = traceNodes.get(i);
        String product = t.devices().isEmpty() ? "" : t.devices().get(0).model().name();
        out.add(node(ns + "-n" + i, ns, t.cpuMilli(), t.memoryMiB(), t.devices().size(), product));
      }
    }
    return out;
  }

  /** Whether pod {@code i} asks for a share of one GPU. */
  boolean fractional(int i) {
    if (traceTasks.isEmpty()) {
      return Math.floor((i + 1) * plan.fractional()) > Math.floor(i * plan.fractional());
    }
    AcceleratorRequest r = traceTasks.get(i).accelerators();
    return r.count() > 0 && r.milliPerDevice() < DeviceModel.WHOLE_MILLI;
  }

  /** How many GPUs pod {@code i} asks for (a share as its fraction). */
  double gpus(int i) {
    if (traceTasks.isEmpty()) {
      return fractional(i) ? 0.5 : 1;
    }
    AcceleratorRequest r = traceTasks.get(i).accelerators();
    return r.count() * (r.milliPerDevice() / (double) DeviceModel.WHOLE_MILLI);
  }

  /** The GPUs of every node of the run. */
  long totalGpus() {
    if (traceNodes.isEmpty()) {
      return (long) plan.nodes() * plan.gpusPerNode();
    }
    long sum = 0;
    for (io.flexsched.model.Node n : traceNodes) {
      sum += n.devices().size();
    }
    return sum;
  }

  /** Pod {@code i} of the run, for scheduler {@code scheduler}. */
  Pod pod(String ns, String scheduler, int i) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    if (traceTasks.isEmpty()) {
      boolean half = fractional(i);
      requests.put("cpu", new Quantity(half ? "2" : "4"));
      requests.put("memory", new Quantity(half ? "8Gi" : "16Gi"));
      requests.put("nvidia.com/gpu", new Quantity("1"));
      if (half) {
        requests.put("nvidia.com/gpucores", new Quantity("50"));
        requests.put("nvidia.com/gpumem", new Quantity("8192"));
      }
    } else {
      Task t = traceTasks.get(i);
      requests.put("cpu", new Quantity(t.cpuMilli() + "m"));
      requests.put("memory", new Quantity(t.memoryMiB() + "Mi"));
      AcceleratorRequest r = t.accelerators();
      if (r.count() > 0) {
        requests.put("nvidia.com/gpu", new Quantity(Integer.toString(r.count())));
        if (fractional(i)) {
          // Percent, rounded up: the pod never gets less than the trace asked.
          requests.put("nvidia.com/gpucores", new Quantity(Long.toString((r.milliPerDevice() + 9) / 10)));
        }
      }
    }
    return new PodBuilder()
        .withNewMetadata().withNamespace(ns).withName("p-" + i).endMetadata()
        .withNewSpec().withSchedulerName(scheduler).withTerminationGracePeriodSeconds(0L)
          .addNewContainer().withName("main").withImage("none")
            .withNewResources().withRequests(requests).withLimits(requests).endResources()
          .endContainer()
        .endSpec().build();
  }

  private static Node node(String name, String ns, long cpuMilli, long memoryMiB, int gpus, String product) {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(cpuMilli + "m"));
    capacity.put("memory", new Quantity(memoryMiB + "Mi"));
    capacity.put("pods", new Quantity("110"));
    capacity.put("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("flexsched.io/bench", ns);
    if (!product.isEmpty()) {
      labels.put("nvidia.com/gpu.product", product);
    }
    return new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().withCapacity(capacity).withAllocatable(capacity)
          .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build();
  }
}
