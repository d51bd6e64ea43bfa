package io.flexsched.sim.plan;

import io.flexsched.core.PlacementEngine;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.Scheduler;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;
import io.flexsched.model.WorkloadDistribution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The settings and the cluster of a scenario: everything but its events, read from the top
 * mapping and, for {@code nodes:}, one node mapping at a time. What it learns (the catalogue, the
 * queues, the models nodes use) is what the events are checked against.
 */
final class HeaderReader {
  private static final List<String> DEFRAGMENT = List.of("moves", "perTaskPerHour");
  private static final List<String> QUEUE = List.of("name", "guaranteedGpus", "limitGpus", "weight",
      "guaranteedCpuMilli", "limitCpuMilli", "guaranteedMemoryMiB", "limitMemoryMiB");
  private static final List<String> ORDERINGS = List.of("backfill", "strict-fifo");
  private static final List<String> MODEL = List.of(
      "name", "vendor", "memoryMiB", "sharing", "granularityMilli", "maxSharers", "slots", "computeUnits", "profiles");
  private static final List<String> PROFILE = List.of("name", "slots", "computeUnits", "memoryMiB", "starts");
  private static final List<String> NODE = List.of("name", "count", "cpuMilli", "memoryMiB", "devices", "labels", "links", "topology", "numa");
  private static final List<String> NUMA = List.of("cpuMilli", "devices");
  private static final List<String> DEVICES = List.of("model", "count");
  private static final List<String> WORKLOAD = List.of("cpuMilli", "gpus", "gpuMilli", "models", "weight");
  /** A node expands to at most this many copies; more is surely a typo in a hand-written file. */
  private static final int MAX_COUNT = 100_000;

  private final String file;
  // Built-in models plus those of every hardware provider ServiceLoader finds.
  private DeviceCatalogue catalogue = Scheduler.catalogue();
  private final Set<String> definedModels = new HashSet<>();
  private final Set<String> usedModels = new TreeSet<>();
  private final List<String> queueNames = new ArrayList<>();
  private final List<QueueSpec> queues = new ArrayList<>();
  private String policy = "fgd";
  private long seed;
  private String preemption = "greedy";
  private boolean strictFifo;
  private int reserveAfter;
  private PlacementEngine.@Nullable DisruptionBudget defragment;

  HeaderReader(String file) {
    this.file = file;
  }

  /** Reads the settings, in dependency order whatever order the file writes them in. */
  void readSettings(YamlMapping top) {
    policy = policy(top);
    seed = top.whole("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
    if (top.has("models")) {
      for (YamlMapping m : top.listOfMappings("models", "model")) {
        readModel(m);
      }
    }
    if (top.has("queues")) {
      for (YamlMapping m : top.listOfMappings("queues", "queue")) {
        queues.add(readQueue(m));
      }
    }
    preemption = preemption(top);
    String ordering = top.optionalText("ordering");
    if (ordering != null && !ORDERINGS.contains(ordering)) {
      throw top.error("ordering", "'" + ordering + "'", "must be one of " + ORDERINGS);
    }
    strictFifo = "strict-fifo".equals(ordering);
    if (strictFifo && top.has("reserveAfter")) {
      throw top.error("reserveAfter", top.text("reserveAfter"), "is only for ordering: backfill");
    }
    reserveAfter = top.wholeInt("reserveAfter", Scheduler.DEFAULT_RESERVE_AFTER, 1, Integer.MAX_VALUE);
    if (top.has("defragment")) {
      YamlMapping d = top.mapping("defragment");
      d.requireKeys(DEFRAGMENT, Set.of());
      defragment = PlacementEngine.DisruptionBudget.moves(d.wholeInt("moves", 2, 1, 1_000))
          .perTaskPerHour(d.wholeInt("perTaskPerHour", Integer.MAX_VALUE, 1, Integer.MAX_VALUE));
    }
  }

  /** The scenario these settings make, with {@code nodes} as its cluster and no events. */
  Scenario scenario(WorkloadDistribution workload, List<Node> nodes) {
    return new Scenario(file, policy, seed, catalogue, workload, nodes, List.of(), queues, preemption, strictFifo, reserveAfter,
        defragment);
  }

  DeviceCatalogue catalogue() {
    return catalogue;
  }

  List<String> queueNames() {
    return queueNames;
  }

  /** The models some node uses, by name. */
  Set<String> usedModels() {
    return usedModels;
  }

  String file() {
    return file;
  }

  private String policy(YamlMapping top) {
    String name = top.optionalText("policy");
    if (name == null) {
      return "fgd";
    }
    Set<String> known = Scheduler.scoringPolicies().keySet();
    if (!known.contains(name)) {
      throw top.error("policy", "'" + name + "'", "must be one of " + known);
    }
    return name;
  }

  private String preemption(YamlMapping top) {
    String name = top.optionalText("preemption");
    if (name == null) {
      return "greedy";
    }
    var known = new TreeSet<>(Scheduler.preemptionPolicies().keySet());
    known.add(Scenario.NO_PREEMPTION);
    if (!known.contains(name)) {
      throw top.error("preemption", "'" + name + "'", "must be one of " + known);
    }
    return name;
  }

  private QueueSpec readQueue(YamlMapping m) {
    m.requireKeys(QUEUE, Set.of());
    String name = m.text("name");
    if (queueNames.contains(name)) {
      throw m.error("name", "'" + name + "'", "must not repeat a queue defined above");
    }
    try {
      QueueSpec.Builder b = QueueSpec.builder(name)
          .guaranteedGpuMilli(m.thousandths("guaranteedGpus", 0))
          .weight(m.positive("weight", 1));
      if (m.has("limitGpus")) {
        b.limitGpuMilli(m.thousandths("limitGpus", 0));
      }
      if (m.has("guaranteedCpuMilli")) {
        b.guaranteedCpuMilli(m.whole("guaranteedCpuMilli", 0, Long.MAX_VALUE));
      }
      if (m.has("limitCpuMilli")) {
        b.limitCpuMilli(m.whole("limitCpuMilli", 0, Long.MAX_VALUE));
      }
      if (m.has("guaranteedMemoryMiB")) {
        b.guaranteedMemoryMiB(m.whole("guaranteedMemoryMiB", 0, Long.MAX_VALUE));
      }
      if (m.has("limitMemoryMiB")) {
        b.limitMemoryMiB(m.whole("limitMemoryMiB", 0, Long.MAX_VALUE));
      }
      QueueSpec spec = b.build();
      queueNames.add(name);
      return spec;
    } catch (ScenarioException e) {
      throw e;
    } catch (InvalidSpecException e) {
      throw m.wrap(e);
    }
  }

  private void readModel(YamlMapping m) {
    m.requireKeys(MODEL, Set.of());
    String name = m.text("name");
    String vendor = m.text("vendor");
    long memory = m.whole("memoryMiB", 1, Long.MAX_VALUE);
    String sharing = m.text("sharing");
    DeviceModel model;
    try {
      switch (sharing) {
        case "whole" -> {
          onlyFor(m, "fractional", "granularityMilli");
          onlyFor(m, "fractional or profiles", "maxSharers");
          onlyFor(m, "profiles", "slots", "computeUnits", "profiles");
          model = DeviceModel.whole(vendor, name, memory);
        }
        case "fractional" -> {
          onlyFor(m, "profiles", "slots", "computeUnits", "profiles");
          model = DeviceModel.fractional(vendor, name, memory,
              m.wholeInt("granularityMilli", 1, 1, DeviceModel.WHOLE_MILLI),
              m.wholeInt("maxSharers", Integer.MAX_VALUE, 1, Integer.MAX_VALUE));
        }
        case "profiles" -> {
          onlyFor(m, "fractional", "granularityMilli");
          var profiles = new ArrayList<Profile>();
          for (YamlMapping p : m.listOfMappings("profiles", "profile")) {
            p.requireKeys(PROFILE, Set.of());
            try {
              profiles.add(new Profile(p.text("name"), p.wholeInt("slots", 0, 0, DeviceModel.MAX_SLOTS),
                  (int) p.whole("computeUnits", 1, Integer.MAX_VALUE), p.whole("memoryMiB", 1, Long.MAX_VALUE),
                  p.has("starts") ? p.wholes("starts", 0, DeviceModel.MAX_SLOTS) : List.of()));
            } catch (InvalidSpecException e) {
              throw p.wrap(e);
            }
          }
          model = new DeviceModel(name, vendor, memory, SharingMode.PROFILES, DeviceModel.WHOLE_MILLI,
              m.wholeInt("maxSharers", Integer.MAX_VALUE, 1, Integer.MAX_VALUE),
              m.wholeInt("slots", 0, 0, DeviceModel.MAX_SLOTS), (int) m.whole("computeUnits", 1, Integer.MAX_VALUE),
              profiles, Map.of());
        }
        default -> throw m.error("sharing", "'" + sharing + "'", "must be whole, fractional or profiles");
      }
    } catch (ScenarioException e) {
      throw e;
    } catch (InvalidSpecException e) {
      throw m.wrap(e);
    }
    if (!definedModels.add(name)) {
      throw m.error("name", "'" + name + "'", "must not repeat a model defined above");
    }
    // A definition replaces a built-in model of the same name.
    catalogue = catalogue.with(model);
  }

  private void onlyFor(YamlMapping m, String sharing, String... keys) {
    for (String key : keys) {
      if (m.has(key)) {
        throw new ScenarioException(file, m.lineOf(key), m.field(key), m.field(key) + " is only for sharing: " + sharing);
      }
    }
  }

  /** A node mapping as the nodes it stands for: itself, or {@code name-0..name-(count-1)}. */
  List<Node> readNode(YamlMapping m) {
    m.requireKeys(NODE, Set.of());
    String name = m.text("name");
    int count = m.has("count") ? m.wholeInt("count", 1, 1, MAX_COUNT) : 0;
    long cpu = m.whole("cpuMilli", 0, Long.MAX_VALUE);
    long memory = m.whole("memoryMiB", 0, Long.MAX_VALUE);
    Map<String, String> labels = m.textMap("labels");
    try {
      Node.Builder b = Node.builder(name).cpuMilli(cpu).memoryMiB(memory).labels(labels);
      if (m.has("devices")) {
        for (YamlMapping d : m.mappings("devices", m.field("devices"))) {
          d.requireKeys(DEVICES, Set.of());
          b.devices(model(d, "model"), d.wholeInt("count", 1, 1, 64));
        }
      }
      if (m.has("topology")) {
        b.topology(m.names("topology"));
      }
      if (m.has("links")) {
        b.links(LinkMatrix.of(m.matrix("links", 0, Integer.MAX_VALUE)));
      }
      if (m.has("numa")) {
        b.numa(numa(m));
      }
      Node node = b.build();
      if (count == 0) {
        return List.of(node);
      }
      var out = new ArrayList<Node>(count);
      for (int i = 0; i < count; i++) {
        out.add(node.withName(name + "-" + i));
      }
      return out;
    } catch (ScenarioException e) {
      throw e;
    } catch (InvalidSpecException e) {
      // A layout that does not match the node is the numa list's fault, whichever of its words the field ends in.
      throw e.field().startsWith("node " + name + " numa") && m.has("numa") ? m.wrapAt("numa", e) : m.wrap(e);
    }
  }

  /** A node's {@code numa:} list: per NUMA node, its CPU and its device indices (none when absent). */
  private static List<Node.NumaNode> numa(YamlMapping m) {
    var out = new ArrayList<Node.NumaNode>();
    for (YamlMapping k : m.listOfMappings("numa", m.field("numa"))) {
      k.requireKeys(NUMA, Set.of());
      List<Integer> devices = k.has("devices") ? k.wholes("devices", 0, 63) : List.of();
      try {
        out.add(new Node.NumaNode(k.whole("cpuMilli", 0, Long.MAX_VALUE), devices));
      } catch (InvalidSpecException e) {
        throw k.wrap(e);
      }
    }
    return out;
  }

  /** Adds {@code nodes} to {@code live}, the cluster as the file has it at this point; a name must not repeat. */
  List<Node> join(YamlMapping m, List<Node> nodes, Set<String> live) {
    for (Node n : nodes) {
      if (!live.add(n.name())) {
        String requirement = m.has("count")
            ? "must not repeat a node of the cluster (count expands " + m.text("name") + " to "
                + nodes.get(0).name() + ".." + nodes.get(nodes.size() - 1).name() + ")"
            : "must not repeat a node of the cluster";
        throw m.error("name", "'" + n.name() + "'", requirement);
      }
    }
    return nodes;
  }

  private DeviceModel model(YamlMapping m, String key) {
    String name = m.text(key);
    DeviceModel model = catalogue.find(name).orElse(null);
    if (model == null) {
      throw m.error(key, "'" + name + "'",
          "must be a built-in model or one defined under models: " + new TreeSet<>(catalogue.models().keySet()));
    }
    usedModels.add(name);
    return model;
  }

  /** The model names listed under {@code key}, each a model of the catalogue. */
  List<String> modelNames(YamlMapping m, String key) {
    List<String> names = m.names(key);
    for (String name : names) {
      if (catalogue.find(name).isEmpty()) {
        throw m.error(key, "'" + name + "'",
            "must name built-in models or ones defined under models: " + new TreeSet<>(catalogue.models().keySet()));
      }
    }
    return names;
  }

  /** The {@code workload:} list as a distribution. */
  WorkloadDistribution readWorkload(YamlMapping top) {
    List<YamlMapping> items = top.listOfMappings("workload", "workload");
    if (items.isEmpty()) {
      throw top.error("workload", "[]", "must list at least one task shape");
    }
    double total = 0;
    for (YamlMapping m : items) {
      m.requireKeys(WORKLOAD, Set.of());
      total += m.positive("weight", 1);
    }
    var shapes = new ArrayList<WorkloadDistribution.Shape>();
    for (YamlMapping m : items) {
      long cpu = m.whole("cpuMilli", 0, 0, Long.MAX_VALUE);
      int gpus = m.wholeInt("gpus", 0, 0, 64);
      int milli = gpus > 0
          ? m.wholeInt("gpuMilli", DeviceModel.WHOLE_MILLI, 1, DeviceModel.WHOLE_MILLI)
          : m.wholeInt("gpuMilli", 0, 0, DeviceModel.WHOLE_MILLI);
      List<String> models = modelNames(m, "models");
      try {
        shapes.add(new WorkloadDistribution.Shape(cpu, gpus, milli, Set.copyOf(models), m.positive("weight", 1) / total));
      } catch (InvalidSpecException e) {
        throw m.wrap(e);
      }
    }
    return WorkloadDistribution.of(shapes);
  }
}
