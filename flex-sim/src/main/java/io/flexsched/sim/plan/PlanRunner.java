package io.flexsched.sim.plan;

import io.flexsched.core.PendingCause;
import io.flexsched.core.PendingTask;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.PreemptionOutcome;
import io.flexsched.core.SchedulingPass;
import io.flexsched.core.SchedulingQueue;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a {@link Scenario} through a {@link SchedulingQueue} on a {@link PlacementEngine} and
 * returns one JSON line per decision, in event order.
 *
 * <p>Every event is followed by a scheduling pass. A task that is not placed by the pass after
 * its submission is reported {@code pending} and stays queued; each later pass that places a
 * queued task reports it {@code placed}. Pending tasks are tried by fair share across queues,
 * then priority, then arrival. A task that fits nowhere may preempt (unless the scenario says
 * {@code preemption: none}): its placement line lists the victims under {@code preempted}, and
 * each victim gets a {@code preempted} line naming the preemptor; victims go back to the queue.
 * Tasks on a removed node are reported {@code evicted} and not re-queued. Releasing a queued
 * task withdraws it, and releasing an evicted task only acknowledges it: both are reported
 * {@code released} without a node.
 */
public final class PlanRunner {
  /** The {@code cause} of an eviction by {@code removeNode}. */
  static final String NODE_REMOVED = "node-removed";

  private final Scenario scenario;
  private final SchedulingQueue queue;
  private final Set<String> evicted = new HashSet<>();
  private final List<String> out = new ArrayList<>();

  private PlanRunner(Scenario scenario) {
    this.scenario = scenario;
    PlacementEngine engine = PlacementEngine.builder()
        .policy(scenario.policy())
        .seed(scenario.seed())
        .catalogue(scenario.catalogue())
        .workload(scenario.workload())
        .nodes(scenario.nodes())
        .build();
    SchedulingQueue.Builder b = SchedulingQueue.builder(engine).queues(scenario.queues());
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
    this.queue = b.build();
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
    return e instanceof ScenarioEvent.RemoveNode ? "removeNode" : "addNode";
  }

  private void apply(ScenarioEvent event) {
    if (event instanceof ScenarioEvent.Submit s) {
      submit(s);
      return;
    }
    if (event instanceof ScenarioEvent.Release r) {
      release(r);
    } else if (event instanceof ScenarioEvent.RemoveNode r) {
      for (Assignment a : queue.removeNode(r.name())) {
        evicted.add(a.task());
        out.add(JsonLine.evicted(a.task(), a.node(), NODE_REMOVED));
      }
    } else if (event instanceof ScenarioEvent.AddNode a) {
      for (Node n : a.nodes()) {
        queue.addNode(n);
      }
    }
    report(queue.schedulePending());
  }

  private void submit(ScenarioEvent.Submit s) {
    Task task = s.task();
    if (queue.isPending(task.id()) || queue.isRunning(task.id())) {
      throw new ScenarioException(scenario.file(), s.line(), "task.id", "'" + task.id() + "'",
          "must not repeat a task that is still placed or queued");
    }
    evicted.remove(task.id());
    queue.submit(task);
    SchedulingPass pass = queue.schedulePending();
    report(pass);
    for (PendingTask p : pass.pending()) {
      if (p.task().id().equals(task.id())) {
        String cause = p.cause() == PendingCause.NO_FIT ? null : p.cause().label();
        out.add(JsonLine.pending(task.id(), p.nodes(), cause));
      }
    }
  }

  private void release(ScenarioEvent.Release r) {
    String id = r.taskId();
    if (queue.isRunning(id) || queue.isPending(id)) {
      Optional<Assignment> held = queue.cancel(id);
      out.add(JsonLine.released(id, held.map(Assignment::node).orElse(null)));
    } else if (evicted.remove(id)) {
      out.add(JsonLine.released(id, null));
    } else {
      // The reader lets through only ids submitted and not yet released, so this is a bug.
      throw new IllegalStateException("release of task " + id + ", which is neither placed, queued nor evicted");
    }
  }

  /** A placed line per placement, each followed by a preempted line per victim. */
  private void report(SchedulingPass pass) {
    for (PreemptionOutcome o : pass.placed()) {
      out.add(JsonLine.placed(o.decision().assignment(), o.preemptedIds()));
      for (String victim : o.preemptedIds()) {
        out.add(JsonLine.preempted(victim, o.decision().task().id()));
      }
    }
  }
}
