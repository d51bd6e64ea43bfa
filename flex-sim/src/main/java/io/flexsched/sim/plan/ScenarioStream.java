package io.flexsched.sim.plan;

import io.flexsched.model.Node;
import io.flexsched.model.WorkloadDistribution;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A validated scenario whose events are read from its file each time they are wanted, so that a
 * what-if of any number of events runs in memory bounded by its cluster.
 *
 * <p>Opening it checks the whole file, in the order a reader that held all of it would: that it is
 * UTF-8, then its syntax and limits everywhere (a pass over all of it), then the settings, the
 * nodes and every event (a second pass), then the fractional shares and the workload. The first
 * problem found is the one reported, as a {@link ScenarioException} naming the file, the line and
 * the field; nothing has run then.
 */
public final class ScenarioStream {
  private final ScenarioParts parts;
  private final HeaderReader header;
  private final Scenario scenario;
  private final Set<String> initialNodes;
  private final YamlMapping top;
  private final boolean scheduleDependent;

  private ScenarioStream(ScenarioSource source, ScenarioLimits limits) {
    source.checkText();
    parts = source.jsonLines() ? new JsonLinesParts(source, limits) : new YamlParts(source, limits);
    String file = source.name();
    org.yaml.snakeyaml.nodes.Node root = parts.scan();
    if (root == null) {
      throw new ScenarioException(file, 1, "scenario", "the scenario is empty; it must be a mapping with nodes and events");
    }
    top = new YamlMapping(file, "", root);
    top.requireKeys(parts.topKeys(), Set.of());
    header = new HeaderReader(file);
    header.readSettings(top);
    List<Node> nodes = readNodes(top);
    initialNodes = new HashSet<>();
    for (Node n : nodes) {
      initialNodes.add(n.name());
    }
    var events = new EventReader(header, initialNodes);
    forEachEvent(item -> events.read(new YamlMapping(file, "", "event", item)));
    events.checkShares();
    WorkloadDistribution workload = top.has("workload") ? header.readWorkload(top) : events.typicalWorkload();
    scheduleDependent = events.scheduleDependent();
    scenario = header.scenario(workload, nodes);
  }

  /**
   * Opens and validates the scenario in {@code file}: YAML, or JSON Lines when its name ends in
   * {@code .jsonl}; errors name it as given.
   *
   * @throws ScenarioException when the file cannot be read or is not a valid scenario
   */
  public static ScenarioStream open(Path file, ScenarioLimits limits) {
    return new ScenarioStream(ScenarioSource.of(file), limits);
  }

  /** Opens and validates the scenario {@code text}, named {@code name} in errors (JSON Lines when it ends in {@code .jsonl}). */
  static ScenarioStream open(String name, String text, ScenarioLimits limits) {
    return new ScenarioStream(ScenarioSource.of(name, text), limits);
  }

  /**
   * The nodes, one node mapping at a time. As when all were read at once, every item must be a
   * mapping before the first node's values are judged.
   */
  private List<Node> readNodes(YamlMapping top) {
    var nodes = new ArrayList<Node>();
    var live = new HashSet<String>();
    if (!top.has("nodes")) {
      return nodes;
    }
    org.yaml.snakeyaml.nodes.Node value = top.get("nodes");
    if (!parts.streamed(value)) {
      for (YamlMapping m : top.listOfMappings("nodes", "node")) {
        nodes.addAll(header.join(m, header.readNode(m), live));
      }
      return nodes;
    }
    ScenarioException[] first = {null};
    parts.items("nodes", item -> {
      var m = new YamlMapping(header.file(), "node", item);
      if (first[0] == null) {
        try {
          nodes.addAll(header.join(m, header.readNode(m), live));
        } catch (ScenarioException e) {
          first[0] = e;
        }
      }
    });
    if (first[0] != null) {
      throw first[0];
    }
    return nodes;
  }

  private void forEachEvent(Consumer<org.yaml.snakeyaml.nodes.Node> each) {
    org.yaml.snakeyaml.nodes.Node events = parts.events(top);
    if (events == null) {
      return;
    }
    if (parts.streamed(events)) {
      parts.items("events", each);
    } else {
      top.list("events").forEach(each);
    }
  }

  /** The scenario's settings and initial cluster; its {@code events()} is empty, see {@link #events}. */
  public Scenario header() {
    return scenario;
  }

  /**
   * Whether running the events may still find bad input that reading them cannot (a task id
   * submitted again after an eviction, gang members that disagree): then a dry run should come
   * before anything is printed.
   */
  public boolean scheduleDependent() {
    return scheduleDependent;
  }

  /** Reads the events again from the start and hands each to {@code each}, in order. */
  public void events(Consumer<ScenarioEvent> each) {
    var reader = new EventReader(header, initialNodes);
    forEachEvent(item -> each.accept(reader.read(new YamlMapping(header.file(), "", "event", item))));
  }
}
