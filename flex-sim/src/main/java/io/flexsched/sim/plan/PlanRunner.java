package io.flexsched.sim.plan;

import io.flexsched.core.Decision;
import io.flexsched.core.GangDecision;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link Scenario} through a {@link PlacementEngine} and returns one JSON line per
 * decision, in event order.
 *
 * <p>A task that does not fit is reported {@code pending} and queued. After every
 * {@code release}, {@code removeNode} and {@code addNode} the queue is retried in submission
 * order and each task that now fits is reported {@code placed}. Tasks on a removed node are
 * reported {@code evicted} and not re-queued. Releasing a queued task withdraws it, and
 * releasing an evicted task only acknowledges it: both are reported {@code released} without
 * a node.
 */
public final class PlanRunner {
  /** The {@code cause} of an eviction by {@code removeNode}. */
  static final String NODE_REMOVED = "node-removed";

  private final Scenario scenario;
  private final PlacementEngine engine;
  private final Map<String, Task> queue = new LinkedHashMap<>();
  /** Gangs still missing members, by name: the members so far, in submission order. */
  private final Map<String, List<Task>> forming = new LinkedHashMap<>();
  /** Complete gangs that did not fit, by name, retried with the queue. */
  private final Map<String, List<Task>> queuedGangs = new LinkedHashMap<>();
  private final Set<String> evicted = new HashSet<>();
  private final List<String> out = new ArrayList<>();

  private PlanRunner(Scenario scenario) {
    this.scenario = scenario;
    this.engine = PlacementEngine.builder()
        .policy(scenario.policy())
        .seed(scenario.seed())
        .catalogue(scenario.catalogue())
        .workload(scenario.workload())
        .nodes(scenario.nodes())
        .build();
  }

  /**
   * Runs {@code scenario} and returns its JSON lines.
   *
   * @throws ScenarioException when an event turns out to be bad input only while running (a task
   *     id repeated while the first is still placed or queued); nothing is returned then
   */
  public static List<String> run(Scenario scenario) {
    PlanRunner runner = new PlanRunner(scenario);
    for (ScenarioEvent e : scenario.events()) {
      try {
        runner.apply(e);
      } catch (InvalidSpecException x) {
        throw ScenarioException.wrap(scenario.file(), e.line(), section(e), x);
      }
    }
    return List.copyOf(runner.out);
  }

  private static String section(ScenarioEvent e) {
    if (e instanceof ScenarioEvent.Submit) {
      return "task";
    }
    if (e instanceof ScenarioEvent.Release) {
      return "release";
    }
    if (e instanceof ScenarioEvent.Flush) {
      return "flush";
    }
    return e instanceof ScenarioEvent.RemoveNode ? "removeNode" : "addNode";
  }

  private void apply(ScenarioEvent event) {
    if (event instanceof ScenarioEvent.Submit s) {
      submit(s);
      return;
    }
    if (event instanceof ScenarioEvent.Flush) {
      for (Map.Entry<String, List<Task>> g : forming.entrySet()) {
        for (Task t : g.getValue()) {
          out.add(JsonLine.waiting(t.id(), g.getKey()));
        }
      }
      return;
    }
    if (event instanceof ScenarioEvent.Release r) {
      release(r);
    } else if (event instanceof ScenarioEvent.RemoveNode r) {
      for (Assignment a : engine.removeNode(r.name())) {
        evicted.add(a.task());
        out.add(JsonLine.evicted(a.task(), a.node(), NODE_REMOVED));
      }
    } else if (event instanceof ScenarioEvent.AddNode a) {
      for (Node n : a.nodes()) {
        engine.addNode(n);
      }
    }
    retry();
  }

  private void submit(ScenarioEvent.Submit s) {
    Task task = s.task();
    if (queue.containsKey(task.id()) || engine.assignment(task.id()).isPresent()) {
      throw new ScenarioException(scenario.file(), s.line(), "task.id", "'" + task.id() + "'",
          "must not repeat a task that is still placed or queued");
    }
    evicted.remove(task.id());
    if (task.gang() != null) {
      submitMember(task);
      return;
    }
    Decision d = engine.place(task);
    if (d.placed()) {
      out.add(JsonLine.placed(d.assignment()));
    } else {
      queue.put(task.id(), task);
      out.add(JsonLine.pending(task.id(), d.reasons()));
    }
  }

  /** A gang member waits until its gang is complete; then the whole gang is placed or queued. */
  private void submitMember(Task task) {
    String name = task.gang().name();
    List<Task> members = forming.computeIfAbsent(name, k -> new ArrayList<>());
    members.add(task);
    if (members.size() < task.gang().size()) {
      out.add(JsonLine.waiting(task.id(), name));
      return;
    }
    forming.remove(name);
    if (!placeGang(members)) {
      queuedGangs.put(name, members);
      GangDecision d = lastGang;
      for (Task t : members) {
        out.add(JsonLine.pending(t.id(), d.reasons()));
      }
    }
  }

  private GangDecision lastGang;

  /** Places a complete gang; on success reports every member placed, in submission order. */
  private boolean placeGang(List<Task> members) {
    lastGang = engine.placeGang(members);
    if (!lastGang.placed()) {
      return false;
    }
    for (Task t : members) {
      out.add(JsonLine.placed(engine.assignment(t.id()).orElseThrow()));
    }
    return true;
  }

  private void release(ScenarioEvent.Release r) {
    String id = r.taskId();
    if (engine.assignment(id).isPresent()) {
      out.add(JsonLine.released(id, engine.release(id).node()));
    } else if (queue.remove(id) != null || evicted.remove(id) || withdrawMember(id)) {
      out.add(JsonLine.released(id, null));
    } else {
      // The reader lets through only ids submitted and not yet released, so this is a bug.
      throw new IllegalStateException("release of task " + id + ", which is neither placed, queued nor evicted");
    }
  }

  /** Withdraws a member of a forming or queued gang; the rest of its gang waits again. */
  private boolean withdrawMember(String id) {
    for (Map<String, List<Task>> gangs : List.of(forming, queuedGangs)) {
      for (Map.Entry<String, List<Task>> g : gangs.entrySet()) {
        if (g.getValue().removeIf(t -> t.id().equals(id))) {
          if (gangs == queuedGangs) {
            queuedGangs.remove(g.getKey());
            forming.put(g.getKey(), g.getValue());
          }
          return true;
        }
      }
    }
    return false;
  }

  /** Retries the queued gangs, then the queue, in order; reports each task that now fits. */
  private void retry() {
    for (Map.Entry<String, List<Task>> g : new ArrayList<>(queuedGangs.entrySet())) {
      if (placeGang(g.getValue())) {
        queuedGangs.remove(g.getKey());
      }
    }
    for (Task task : new ArrayList<>(queue.values())) {
      Decision d = engine.place(task);
      if (d.placed()) {
        queue.remove(task.id());
        out.add(JsonLine.placed(d.assignment()));
      }
    }
  }
}
