package io.flexsched.sim.plan;

import io.flexsched.core.QueueSpec;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.sim.Utf8Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a scenario file (YAML; JSON is valid YAML) into a validated {@link Scenario}. The whole
 * file is checked before anything runs: syntax, keys, types, ranges, model names, node names
 * (after {@code count} expansion) and what each {@code release} and {@code removeNode} names. Every
 * problem is a {@link ScenarioException} naming the file, the line and the field.
 */
public final class ScenarioReader {
  private static final List<String> TOP = List.of(
      "policy", "seed", "models", "workload", "nodes", "events", "queues", "preemption", "ordering", "reserveAfter");
  private static final Set<String> TOP_LATER = Set.of();
  private static final List<String> QUEUE = List.of("name", "guaranteedGpus", "limitGpus", "weight",
      "guaranteedCpuMilli", "limitCpuMilli", "guaranteedMemoryMiB", "limitMemoryMiB");
  private static final List<String> ORDERINGS = List.of("backfill", "strict-fifo");
  private static final List<String> MODEL = List.of(
      "name", "vendor", "memoryMiB", "sharing", "granularityMilli", "maxSharers", "slots", "computeUnits", "profiles");
  private static final Set<String> MODEL_LATER = Set.of();
  private static final List<String> PROFILE = List.of("name", "slots", "computeUnits", "memoryMiB", "starts");
  private static final List<String> NODE = List.of("name", "count", "cpuMilli", "memoryMiB", "devices", "labels", "links", "topology");
  private static final Set<String> NODE_LATER = Set.of();
  private static final List<String> GANG = List.of("name", "size", "topology", "required");
  private static final List<String> DEVICES = List.of("model", "count");
  private static final List<String> TASK = List.of(
      "id", "cpuMilli", "memoryMiB", "gpus", "gpuMilli", "gpuMemoryMiB", "models", "profile", "minLinkScore", "gang",
      "priority", "preemptible", "queue");
  private static final Set<String> TASK_LATER = Set.of();
  private static final List<String> WORKLOAD = List.of("cpuMilli", "gpus", "gpuMilli", "models", "weight");
  private static final List<String> EVENT = List.of("task", "release", "removeNode", "addNode", "flush");
  private static final Set<String> EVENT_LATER = Set.of();
  /** A node expands to at most this many copies; more is surely a typo in a hand-written file. */
  private static final int MAX_COUNT = 100_000;

  private final String file;
  // Built-in models plus those of every hardware provider ServiceLoader finds.
  private DeviceCatalogue catalogue = Scheduler.catalogue();
  private final Set<String> definedModels = new HashSet<>();
  private final Set<String> usedModels = new TreeSet<>();
  private final Set<String> liveNodes = new HashSet<>();
  private final Set<String> openTasks = new HashSet<>();
  private final List<Task> tasks = new ArrayList<>();
  private final List<ShareCheck> shareChecks = new ArrayList<>();
  private final List<String> queueNames = new ArrayList<>();

  /** A fractional share to check against the granularity of every model a node has. */
  private record ShareCheck(AcceleratorRequest request, YamlMapping task) {}

  private ScenarioReader(String file) {
    this.file = file;
  }

  /**
   * Reads and validates the scenario in {@code path}; errors name it as given.
   *
   * @throws ScenarioException when the file cannot be read or is not a valid scenario
   */
  public static Scenario read(Path path) {
    String name = path.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(name, 0, "FILE", "no such scenario file");
    } catch (IOException e) {
      throw new ScenarioException(name, 0, "FILE", "cannot read the scenario file: " + e);
    }
    String text = Utf8Text.decode(bytes, bad -> new ScenarioException(name, bad.line(), "FILE",
        "the scenario file is not UTF-8 text (bytes " + bad.bytes() + " after '" + tail(bad.prefix().strip()) + "')"));
    return read(name, text);
  }

  /**
   * Reads and validates a scenario from its text; {@code file} names it in errors.
   *
   * @throws ScenarioException when the text is not a valid scenario
   */
  public static Scenario read(String file, String text) {
    return new ScenarioReader(file).parse(text);
  }

  private Scenario parse(String text) {
    org.yaml.snakeyaml.nodes.Node root = YamlSyntax.compose(file, text);
    if (root == null) {
      throw new ScenarioException(file, 1, "scenario", "the scenario is empty; it must be a mapping with nodes and events");
    }
    YamlMapping top = new YamlMapping(file, "", root);
    top.requireKeys(TOP, TOP_LATER);
    // Sections are read in dependency order, whatever order the file writes them in.
    String policy = policy(top);
    long seed = top.whole("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
    if (top.has("models")) {
      for (YamlMapping m : top.listOfMappings("models", "model")) {
        readModel(m);
      }
    }
    var queues = new ArrayList<QueueSpec>();
    if (top.has("queues")) {
      for (YamlMapping m : top.listOfMappings("queues", "queue")) {
        queues.add(readQueue(m));
      }
    }
    String preemption = preemption(top);
    String ordering = top.optionalText("ordering");
    if (ordering != null && !ORDERINGS.contains(ordering)) {
      throw top.error("ordering", "'" + ordering + "'", "must be one of " + ORDERINGS);
    }
    boolean strictFifo = "strict-fifo".equals(ordering);
    if (strictFifo && top.has("reserveAfter")) {
      throw top.error("reserveAfter", top.text("reserveAfter"), "is only for ordering: backfill");
    }
    int reserveAfter = top.wholeInt("reserveAfter", Scheduler.DEFAULT_RESERVE_AFTER, 1, Integer.MAX_VALUE);
    var nodes = new ArrayList<Node>();
    if (top.has("nodes")) {
      for (YamlMapping m : top.listOfMappings("nodes", "node")) {
        nodes.addAll(join(m, readNode(m)));
      }
    }
    var events = new ArrayList<ScenarioEvent>();
    if (top.has("events")) {
      for (org.yaml.snakeyaml.nodes.Node item : top.list("events")) {
        events.add(readEvent(new YamlMapping(file, "", "event", item)));
      }
    }
    checkShares();
    WorkloadDistribution workload = top.has("workload")
        ? readWorkload(top)
        : WorkloadDistribution.typical(tasks, 1.0);
    return new Scenario(file, policy, seed, catalogue, workload, nodes, events, queues, preemption, strictFifo, reserveAfter);
  }

  /** At most the last 20 characters of {@code s}, for a message. */
  private static String tail(String s) {
    return s.length() <= 20 ? s : "..." + s.substring(s.length() - 20);
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
    m.requireKeys(MODEL, MODEL_LATER);
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
  private List<Node> readNode(YamlMapping m) {
    m.requireKeys(NODE, NODE_LATER);
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
      throw m.wrap(e);
    }
  }

  /** Adds nodes to the cluster as the file has it at this point; a name must not repeat. */
  private List<Node> join(YamlMapping m, List<Node> nodes) {
    for (Node n : nodes) {
      if (!liveNodes.add(n.name())) {
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

  private List<String> modelNames(YamlMapping m, String key) {
    List<String> names = m.names(key);
    for (String name : names) {
      if (catalogue.find(name).isEmpty()) {
        throw m.error(key, "'" + name + "'",
            "must name built-in models or ones defined under models: " + new TreeSet<>(catalogue.models().keySet()));
      }
    }
    return names;
  }

  private ScenarioEvent readEvent(YamlMapping e) {
    e.requireKeys(EVENT, EVENT_LATER);
    if (e.keys().size() != 1) {
      throw new ScenarioException(file, e.line(), "event",
          "an event must have exactly one of the keys " + String.join(", ", EVENT) + ", found " + e.keys());
    }
    String kind = e.keys().iterator().next();
    switch (kind) {
      case "task" -> {
        YamlMapping m = e.mapping("task", "task");
        Task task = readTask(m);
        openTasks.add(task.id());
        tasks.add(task);
        return new ScenarioEvent.Submit(task, m.lineOf("id"));
      }
      case "release" -> {
        String id = e.text("release");
        if (!openTasks.remove(id)) {
          throw e.error("release", "'" + id + "'", "must name a task submitted above and not yet released");
        }
        return new ScenarioEvent.Release(id, e.lineOf("release"));
      }
      case "removeNode" -> {
        String name = e.text("removeNode");
        if (!liveNodes.remove(name)) {
          throw e.error("removeNode", "'" + name + "'", "must name a node of the cluster at that point");
        }
        return new ScenarioEvent.RemoveNode(name, e.lineOf("removeNode"));
      }
      case "flush" -> {
        return new ScenarioEvent.Flush(e.lineOf("flush"));
      }
      default -> {
        YamlMapping m = e.mapping("addNode", "addNode");
        return new ScenarioEvent.AddNode(join(m, readNode(m)), m.line());
      }
    }
  }

  private Task readTask(YamlMapping m) {
    m.requireKeys(TASK, TASK_LATER);
    String id = m.text("id");
    long cpu = m.whole("cpuMilli", 0, 0, Long.MAX_VALUE);
    long memory = m.whole("memoryMiB", 0, 0, Long.MAX_VALUE);
    String profile = m.has("profile") ? m.text("profile") : null;
    int gpus = m.wholeInt("gpus", profile != null ? 1 : 0, 0, 64);
    int milli = gpus > 0
        ? m.wholeInt("gpuMilli", DeviceModel.WHOLE_MILLI, 1, DeviceModel.WHOLE_MILLI)
        : m.wholeInt("gpuMilli", 0, 0, DeviceModel.WHOLE_MILLI);
    long gpuMemory = m.whole("gpuMemoryMiB", 0, 0, Long.MAX_VALUE);
    int minLinkScore = m.wholeInt("minLinkScore", 0, 0, Integer.MAX_VALUE);
    List<String> models = modelNames(m, "models");
    int priority = m.wholeInt("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    boolean preemptible = m.bool("preemptible", true);
    String queue = m.optionalText("queue");
    if (queue != null && !queueNames.contains(queue)) {
      throw m.error("queue", "'" + queue + "'", queueNames.isEmpty()
          ? "must name a queue defined under queues:, and the scenario defines none"
          : "must be one of the queues " + queueNames);
    }
    Gang gang = null;
    if (m.has("gang")) {
      YamlMapping g = m.mapping("gang", "gang");
      g.requireKeys(GANG, Set.of());
      try {
        gang = new Gang(g.text("name"), (int) g.whole("size", 1, Integer.MAX_VALUE),
            g.has("topology") ? g.text("topology") : null, g.has("required") && g.bool("required"));
      } catch (InvalidSpecException e) {
        throw g.wrap(e);
      }
    }
    try {
      var request = new AcceleratorRequest(gpus, milli, gpuMemory, Set.copyOf(models), profile, minLinkScore);
      if (gpus > 0 && milli < DeviceModel.WHOLE_MILLI) {
        shareChecks.add(new ShareCheck(request, m));
      }
      if (profile != null && catalogue.models().values().stream().noneMatch(md -> request.allows(md) && md.profile(profile).isPresent())) {
        throw m.error("profile", "'" + profile + "'", "must be a profile of an allowed model");
      }
      return Task.builder(id).cpuMilli(cpu).memoryMiB(memory).accelerators(request).gang(gang)
          .priority(priority).preemptible(preemptible).queue(queue).build();
    } catch (InvalidSpecException e) {
      throw m.wrap(e);
    }
  }

  /**
   * A share off a fractional model's granularity would be placed as if it were on it (the engine
   * does not round), so it is bad input when a node of that model may serve it.
   */
  private void checkShares() {
    for (ShareCheck c : shareChecks) {
      for (String name : usedModels) {
        DeviceModel model = catalogue.require(name);
        if (c.request().allows(model) && model.sharing() == SharingMode.FRACTIONAL
            && c.request().milliPerDevice() % model.granularityMilli() != 0) {
          throw c.task().error("gpuMilli", c.request().milliPerDevice(),
              "must be a multiple of " + name + "'s granularity " + model.granularityMilli());
        }
      }
    }
  }

  private WorkloadDistribution readWorkload(YamlMapping top) {
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
