package io.flexsched.sim.plan;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.model.WorkloadDistribution.Shape;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The events of a scenario, one mapping at a time, checked against the cluster and the tasks as
 * the file has them at that point. What it keeps is bounded by the cluster and the open tasks,
 * not by the number of events: live node names, open task ids, the distinct fractional shares to
 * check against the models in use, and a count per task shape for the default workload.
 */
final class EventReader {
  private static final List<String> EVENT = List.of("task", "release", "removeNode", "addNode", "flush");
  private static final List<String> TASK = List.of(
      "id", "cpuMilli", "memoryMiB", "gpus", "gpuMilli", "gpuMemoryMiB", "models", "profile", "minLinkScore", "gang",
      "priority", "preemptible", "queue", "numa");
  private static final List<String> NUMA = List.of("none", "preferred", "required");
  private static final List<String> GANG = List.of("name", "size", "topology", "required");

  private final HeaderReader header;
  private final String file;
  private final Set<String> liveNodes;
  /** Open (submitted, not released) task ids, each with its gang's name, or "" for none. */
  private final Map<String, String> openTasks = new HashMap<>();
  /** The first task line of each distinct fractional share, to check once the models in use are known. */
  private final Map<ShareKey, ShareCheck> shareChecks = new LinkedHashMap<>();
  private final Map<Shape, Integer> shapes = new HashMap<>();
  /** The gangs with open members: the spec and queue of the first, and how many are open. */
  private final Map<String, GangUse> gangs = new HashMap<>();
  private boolean scheduleDependent;

  private record ShareKey(Set<String> models, int milli) {}

  /** A fractional share to check against the granularity of every model a node has. */
  private record ShareCheck(AcceleratorRequest request, int line, String field) {}

  private record GangUse(Gang gang, String queue, int open) {}

  /**
   * @param liveNodes the names of the cluster's nodes before the first event; the reader keeps its own copy
   */
  EventReader(HeaderReader header, Set<String> liveNodes) {
    this.header = header;
    this.file = header.file();
    this.liveNodes = new HashSet<>(liveNodes);
  }

  /** The event {@code e} stands for, checked. */
  ScenarioEvent read(YamlMapping e) {
    e.requireKeys(EVENT, Set.of());
    if (e.keys().size() != 1) {
      throw new ScenarioException(file, e.line(), "event",
          "an event must have exactly one of the keys " + String.join(", ", EVENT) + ", found " + e.keys());
    }
    String kind = e.keys().iterator().next();
    switch (kind) {
      case "task" -> {
        YamlMapping m = e.mapping("task", "task");
        Task task = readTask(m);
        open(task);
        shapes.merge(Shape.of(task), 1, Integer::sum);
        return new ScenarioEvent.Submit(task, m.lineOf("id"));
      }
      case "release" -> {
        String id = e.text("release");
        String gang = openTasks.remove(id);
        if (gang == null) {
          throw e.error("release", "'" + id + "'", "must name a task submitted above and not yet released");
        }
        closeMember(gang);
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
        return new ScenarioEvent.AddNode(header.join(m, header.readNode(m), liveNodes), m.line());
      }
    }
  }

  /**
   * Notes an open task. Whether a submission is bad input can depend on the run: an id may be
   * submitted again once its task was evicted, and a gang's members must agree however the
   * scheduler split them. Such a file is marked schedule-dependent, and then a dry run finds out
   * before anything is printed.
   */
  private void open(Task task) {
    String gang = task.gang() == null ? "" : task.gang().name();
    String before = openTasks.put(task.id(), gang);
    if (before != null) {
      scheduleDependent = true;
      closeMember(before);
    }
    if (task.gang() != null) {
      String queue = Objects.toString(task.queue(), "");
      GangUse use = gangs.get(gang);
      if (use != null && (!use.gang().equals(task.gang()) || !use.queue().equals(queue) || use.open() >= use.gang().size())) {
        scheduleDependent = true;
      }
      gangs.put(gang, use == null ? new GangUse(task.gang(), queue, 1) : new GangUse(use.gang(), use.queue(), use.open() + 1));
    }
  }

  private void closeMember(String gang) {
    GangUse use = gang.isEmpty() ? null : gangs.get(gang);
    if (use != null) {
      if (use.open() <= 1) {
        gangs.remove(gang);
      } else {
        gangs.put(gang, new GangUse(use.gang(), use.queue(), use.open() - 1));
      }
    }
  }

  /** Whether running the events may find bad input the reader cannot see (see {@link #open}). */
  boolean scheduleDependent() {
    return scheduleDependent;
  }

  private Task readTask(YamlMapping m) {
    m.requireKeys(TASK, Set.of());
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
    List<String> models = header.modelNames(m, "models");
    int priority = m.wholeInt("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    boolean preemptible = m.bool("preemptible", true);
    String queue = m.optionalText("queue");
    String numa = m.has("numa") ? m.text("numa") : "none";
    if (!NUMA.contains(numa)) {
      throw m.error("numa", "'" + numa + "'", "must be one of " + String.join(", ", NUMA));
    }
    List<String> queueNames = header.queueNames();
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
        // Whether a share fails depends only on its models and milli: the first of each is the one reported.
        shareChecks.putIfAbsent(new ShareKey(request.models(), milli), new ShareCheck(request, m.lineOf("gpuMilli"), m.field("gpuMilli")));
      }
      if (profile != null && header.catalogue().models().values().stream()
          .noneMatch(md -> request.allows(md) && md.profile(profile).isPresent())) {
        throw m.error("profile", "'" + profile + "'", "must be a profile of an allowed model");
      }
      return Task.builder(id).cpuMilli(cpu).memoryMiB(memory).accelerators(request).gang(gang)
          .priority(priority).preemptible(preemptible).queue(queue)
          .numa(Task.Numa.valueOf(numa.toUpperCase(java.util.Locale.ROOT))).build();
    } catch (InvalidSpecException e) {
      throw m.wrap(e);
    }
  }

  /**
   * A share off a fractional model's granularity would be placed as if it were on it (the engine
   * does not round), so it is bad input when a node of that model may serve it. Checked after the
   * last event, when every model a node uses is known.
   */
  void checkShares() {
    for (ShareCheck c : shareChecks.values()) {
      for (String name : header.usedModels()) {
        DeviceModel model = header.catalogue().require(name);
        if (c.request().allows(model) && model.sharing() == SharingMode.FRACTIONAL
            && c.request().milliPerDevice() % model.granularityMilli() != 0) {
          throw new ScenarioException(file, c.line(), c.field(), c.request().milliPerDevice(),
              "must be a multiple of " + name + "'s granularity " + model.granularityMilli());
        }
      }
    }
  }

  /**
   * The typical workload of the tasks read, as {@link WorkloadDistribution#typical} with coverage
   * 1 makes it from the list of tasks, here from their counts per shape.
   */
  WorkloadDistribution typicalWorkload() {
    return WorkloadDistribution.typical(shapes, 1.0);
  }
}
