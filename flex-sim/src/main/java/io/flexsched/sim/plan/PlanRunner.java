package io.flexsched.sim.plan;

import io.flexsched.core.Explanation;
import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a scenario through a {@link Scheduler} and gives one JSON line per decision, in event
 * order: as a list for a {@link Scenario} held whole, line by line as decided for a
 * {@link ScenarioStream}.
 *
 * <p>Every event but {@code flush} is followed by a scheduling pass, which tries the queued tasks
 * by fair share across queues, then priority, then arrival. A task that the pass after its
 * submission does not place is reported {@code pending} and stays queued; a later pass that
 * places it reports it {@code placed}. A task (or a whole gang) that fits nowhere may preempt
 * strictly lower-priority preemptible tasks (unless the scenario says {@code preemption: none}):
 * its placement line lists its victims under {@code preempted}, each victim gets a
 * {@code preempted} line naming it, and victims go back to the queue. A gang's victims are
 * listed by the member placed on their node. With {@code defragment:} set, a task that fits
 * nowhere even so may migrate placed tasks within its budget: each move gets a {@code migrated}
 * line, before the line of the task it made room for.
 *
 * <p>A gang member waits (reported {@code waiting}) until its gang is complete; then the gang is
 * queued as one entry, placed whole or reported {@code pending} member by member. Tasks on a
 * removed node are reported {@code evicted} and not re-queued. Releasing a queued task withdraws
 * it (for a queued gang member, the rest of its gang waits again), and releasing an evicted task
 * only acknowledges it: both are reported {@code released} without a node.
 */
public final class PlanRunner {
  /** The {@code cause} of an eviction by {@code removeNode}. */
  static final String NODE_REMOVED = "node-removed";

  private final Scenario scenario;
  private final Scheduler queue;
  /** Gangs still missing members, by name: the members so far, in submission order. */
  private final Map<String, List<Task>> forming = new LinkedHashMap<>();
  private final Set<String> evicted = new HashSet<>();
  private final Consumer<String> out;

  private PlanRunner(Scenario scenario, Consumer<String> out) {
    this.scenario = scenario;
    this.out = out;
    // Pending lines name their nearest miss as of the end of the pass (see reportPending), not
    // as of the failed attempt, so the scheduler need not find one for every failure.
    Scheduler.Builder b = Scheduler.builder()
        .policy(scenario.policy())
        .seed(scenario.seed())
        .catalogue(scenario.catalogue())
        .workload(scenario.workload())
        .nodes(scenario.nodes())
        .nearestMiss(false)
        .queues(scenario.queues());
    if (scenario.preemption().equals(Scenario.NO_PREEMPTION)) {
      b.noPreemption();
    } else {
      b.preemption(scenario.preemption());
    }
    if (scenario.strictFifo()) {
      b.strictFifo();
    } else {
      b.backfill(scenario.reserveAfter());
    }
    if (scenario.defragment() != null) {
      b.defragment(scenario.defragment());
    }
    this.queue = b.build();
  }

  /**
   * Runs {@code scenario} and returns its JSON lines.
   *
   * @throws ScenarioException when an event turns out to be bad input only while running (a task
   *     id repeated while the first is still placed or queued); nothing is returned then
   */
  public static List<String> run(Scenario scenario) {
    var lines = new ArrayList<String>();
    PlanRunner runner = new PlanRunner(scenario, lines::add);
    for (ScenarioEvent e : scenario.events()) {
      runner.decide(e);
    }
    return List.copyOf(lines);
  }

  /**
   * Runs {@code stream}, handing each JSON line to {@code out} as soon as it is decided. When the
   * stream says its validity depends on the run, a dry run that prints nothing comes first, so
   * that bad input still prints nothing.
   *
   * @throws ScenarioException when an event turns out to be bad input only while running
   */
  public static void run(ScenarioStream stream, Consumer<String> out) {
    if (stream.scheduleDependent()) {
      PlanRunner dry = new PlanRunner(stream.header(), line -> { });
      stream.events(dry::decide);
    }
    PlanRunner runner = new PlanRunner(stream.header(), out);
    stream.events(runner::decide);
  }

  /** Applies {@code e}; bad input found while running is named with the event's line. */
  private void decide(ScenarioEvent e) {
    try {
      apply(e);
    } catch (InvalidSpecException x) {
      throw ScenarioException.wrap(scenario.file(), e.line(), section(e), x);
    }
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
          out.accept(JsonLine.waiting(t.id(), g.getKey()));
        }
      }
      return;
    }
    if (event instanceof ScenarioEvent.Release r) {
      release(r);
    } else if (event instanceof ScenarioEvent.RemoveNode r) {
      for (Assignment a : queue.removeNode(r.name())) {
        evicted.add(a.task());
        out.accept(JsonLine.evicted(a.task(), a.node(), NODE_REMOVED));
      }
    } else if (event instanceof ScenarioEvent.AddNode a) {
      for (Node n : a.nodes()) {
        queue.addNode(n);
      }
    }
    report(queue.schedule());
  }

  private void submit(ScenarioEvent.Submit s) {
    Task task = s.task();
    if (queue.isPending(task.id()) || isRunning(task.id()) || isForming(task.id())) {
      throw new ScenarioException(scenario.file(), s.line(), "task.id", "'" + task.id() + "'",
          "must not repeat a task that is still placed or queued");
    }
    evicted.remove(task.id());
    if (task.gang() != null) {
      submitMember(task, s.line());
      return;
    }
    queue.submit(task);
    reportPending(queue.schedule(), List.of(task));
  }

  /** A gang member waits until its gang is complete; then the whole gang is queued and tried. */
  private void submitMember(Task task, int line) {
    String name = task.gang().name();
    List<Task> members = forming.computeIfAbsent(name, k -> new ArrayList<>());
    if (!members.isEmpty() && !Objects.equals(members.get(0).queue(), task.queue())) {
      throw new ScenarioException(scenario.file(), line, "task.queue", task.queue() == null ? "none" : "'" + task.queue() + "'",
          "must be the same on every member of gang " + name + " (" + members.get(0).id() + " has "
              + (members.get(0).queue() == null ? "none" : members.get(0).queue()) + ")");
    }
    members.add(task);
    if (members.size() < task.gang().size()) {
      out.accept(JsonLine.waiting(task.id(), name));
      return;
    }
    queue.submit(members);
    forming.remove(name);
    reportPending(queue.schedule(), members);
  }

  /** Reports what {@code pass} placed, then a pending line for each of {@code submitted} still queued. */
  private void reportPending(List<Outcome> pass, List<Task> submitted) {
    report(pass);
    Map<String, Outcome.Pending> waiting = new LinkedHashMap<>();
    for (Outcome o : pass) {
      if (o instanceof Outcome.Pending p) {
        for (Task t : p.tasks()) {
          waiting.put(t.id(), p);
        }
      }
    }
    for (Task t : submitted) {
      Outcome.Pending p = waiting.get(t.id());
      if (p != null) {
        boolean noFit = p.cause() == Outcome.Cause.NO_FIT;
        Explanation.NearMiss nearest = noFit ? queue.explain(t).nearest() : null;
        out.accept(JsonLine.pending(t.id(), p.reasons(), noFit ? null : p.cause().label(), nearest));
      }
    }
  }

  private void release(ScenarioEvent.Release r) {
    String id = r.taskId();
    if (queue.isPending(id)) {
      Task withdrawn = null;
      var rest = new ArrayList<Task>();
      var queued = new ArrayList<Task>();
      for (Outcome.Pending p : queue.pending()) {
        queued.addAll(p.tasks());
      }
      for (Task t : queued) {
        if (t.id().equals(id)) {
          withdrawn = t;
        }
      }
      if (withdrawn != null && withdrawn.gang() != null) {
        // Withdrawing a member withdraws its queued gang; the others wait for a new member.
        for (Task t : queued) {
          if (t.gang() != null && t.gang().name().equals(withdrawn.gang().name()) && !t.id().equals(id)) {
            rest.add(t);
          }
        }
      }
      queue.cancel(id);
      if (!rest.isEmpty()) {
        forming.put(withdrawn.gang().name(), rest);
      }
      out.accept(JsonLine.released(id, null));
    } else if (isRunning(id)) {
      Optional<Assignment> held = queue.cancel(id);
      out.accept(JsonLine.released(id, held.map(Assignment::node).orElse(null)));
    } else if (evicted.remove(id) || withdrawMember(id)) {
      out.accept(JsonLine.released(id, null));
    } else {
      // The reader lets through only ids submitted and not yet released, so this is a bug.
      throw new IllegalStateException("release of task " + id + ", which is neither placed, queued nor evicted");
    }
  }

  private boolean isRunning(String id) {
    return queue.cluster().task(id).isPresent();
  }

  private boolean isForming(String id) {
    for (List<Task> members : forming.values()) {
      for (Task t : members) {
        if (t.id().equals(id)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Withdraws a member of a gang still forming. */
  private boolean withdrawMember(String id) {
    for (List<Task> members : forming.values()) {
      if (members.removeIf(t -> t.id().equals(id))) {
        return true;
      }
    }
    return false;
  }

  /** A placed line per placed task, each followed by a preempted line per victim it made room for. */
  private void report(List<Outcome> pass) {
    Map<String, List<PlacementEngine.Migration>> moved = queue.migrations();
    for (Outcome o : pass) {
      if (o instanceof Outcome.Placed p) {
        for (PlacementEngine.Migration m : moved.getOrDefault(p.tasks().get(0).id(), List.of())) {
          out.accept(JsonLine.migrated(m));
        }
        for (Task t : p.tasks()) {
          List<String> victims = new ArrayList<>();
          for (Assignment v : p.preemptedFor(t.id())) {
            victims.add(v.task());
          }
          out.accept(JsonLine.placed(p.assignment(t.id()), victims));
          for (String victim : victims) {
            out.accept(JsonLine.preempted(victim, t.id()));
          }
        }
      }
    }
  }
}
