package io.flexsched.testkit;

import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.model.WorkloadDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Checks a {@link ScoringPolicy.Provider} against the SPI's contract on nodes of the built-in
 * models in many random states: a lower-case name, finite scores, device choices of exactly the
 * requested number of distinct devices that can host the task and that the node's rules admit,
 * the same answer when asked twice, the same answer for two nodes in the same state when the
 * policy says it depends only on node state, and decisions the engine can run without failing.
 */
public final class PolicyConformance {
  private static final List<String> MODELS = List.of("T4", "G2", "A100-40GB", "Ascend910", "Ascend910B3");

  private PolicyConformance() {}

  /** Runs the kit with seeds 1..{@code seeds}; throws {@link ConformanceError} listing violations. */
  public static void check(ScoringPolicy.Provider provider, int seeds) {
    var v = new Violations();
    String who = "scoring policy '" + provider.name() + "' (" + provider.getClass().getName() + ")";
    v.check(provider.name().matches("[a-z0-9][a-z0-9-]*"), who + ": the name must be lower-case kebab-case");
    v.check(!provider.description().isBlank(), who + ": description() is blank");
    DeviceCatalogue catalogue = DeviceCatalogue.builtIn();
    var models = new ArrayList<DeviceModel>();
    MODELS.forEach(m -> models.add(catalogue.require(m)));
    for (long seed = 1; seed <= seeds; seed++) {
      var random = new SplittableRandom(seed);
      var nodes = new ArrayList<Node>();
      for (DeviceModel m : models) {
        nodes.addAll(Probes.nodesOf(m, "a"));
        nodes.addAll(Probes.nodesOf(m, "b")); // a twin of every node, for the same-state check
      }
      var stream = new ArrayList<Task>();
      for (int i = 0; i < 200; i++) {
        stream.add(Probes.taskFor(models.get(random.nextInt(models.size())), random, "w" + i));
      }
      WorkloadDistribution workload = WorkloadDistribution.typical(stream, 0.95);
      ScoringPolicy policy = provider.create(new PolicyContext(seed, workload, catalogue));
      String here = who + " (seed " + seed + ")";
      // States are reached with a built-in policy, so a broken policy is probed, not trusted.
      PlacementEngine engine = Scheduler.builder().policy("bestfit").seed(seed).workload(workload)
          .assertMode(true).nodes(nodes).buildEngine();
      Probes.fill(engine, models, random, random.nextInt(60));
        for (int probe = 0; probe < 30; probe++) {
        Task task = Probes.taskFor(models.get(random.nextInt(models.size())), random, "probe-" + probe);
        DecisionContext context = DecisionContext.of(seed, probe);
        for (Node n : nodes) {
          NodeView view = engine.cluster().node(n.name());
          if (view.hostableDevices(task.accelerators()) < task.accelerators().count()) {
            continue;
          }
          var choice = new DeviceChoice();
          if (task.accelerators().count() > 0 && !view.deviceRules().select(task, view, new DeviceChoice())) {
            continue; // the engine's filter would not offer this node
          }
          double score = policy.score(task, view, choice, context);
          v.check(Double.isFinite(score), here + ": score " + score + " for " + task.id() + " on " + n.name());
          Probes.checkChoice(v, here, task, view, choice, view.deviceRules());
          var again = new DeviceChoice();
          double second = policy.score(task, view, again, context);
          v.check(Double.compare(score, second) == 0 && choice.toString().equals(again.toString()),
              here + ": asked twice about " + n.name() + ", answered " + score + " " + choice + " then " + second + " " + again);
          if (policy.dependsOnlyOnNodeState() && n.name().startsWith("a-")) {
            NodeView twin = engine.cluster().node("b-" + n.name().substring(2));
            if (sameState(view, twin)) {
              var twinChoice = new DeviceChoice();
              double twinScore = policy.score(task, twin, twinChoice, context);
              v.check(Double.compare(score, twinScore) == 0 && choice.toString().equals(twinChoice.toString()),
                  here + ": dependsOnlyOnNodeState() is true, but twins " + n.name() + " and " + twin.spec().name()
                      + " in one state got " + score + " " + choice + " and " + twinScore + " " + twinChoice);
            }
          }
        }
      }
    }
    for (long seed = 1; seed <= seeds && seed <= 3; seed++) {
      runEngine(v, who + " (seed " + seed + ")", provider, catalogue, models, seed);
    }
    v.throwIfAny(who);
  }

  /** The engine runs the policy on a random stream without failing, twice alike. */
  private static void runEngine(Violations v, String who, ScoringPolicy.Provider provider, DeviceCatalogue catalogue,
      List<DeviceModel> models, long seed) {
    var runs = new ArrayList<List<String>>();
    for (int run = 0; run < 2; run++) {
      var random = new SplittableRandom(seed);
      var nodes = new ArrayList<Node>();
      models.forEach(m -> nodes.addAll(Probes.nodesOf(m, "r")));
      var decisions = new ArrayList<String>();
      try {
        PlacementEngine engine = Scheduler.builder()
            .policy(provider.create(new PolicyContext(seed, WorkloadDistribution.EMPTY, catalogue)))
            .seed(seed).assertMode(true).nodes(nodes).buildEngine();
        for (int i = 0; i < 150; i++) {
          Task t = Probes.taskFor(models.get(random.nextInt(models.size())), random, "t" + i);
          decisions.add(String.valueOf(engine.place(t) instanceof Outcome.Placed p ? p.assignment() : null));
        }
      } catch (RuntimeException e) {
        v.check(false, who + ": the engine failed running the policy: " + e.getMessage());
        return;
      }
      runs.add(decisions);
    }
    v.check(runs.get(0).equals(runs.get(1)), who + ": two runs with the same seed made different decisions");
  }

  /** {@link #check(ScoringPolicy.Provider, int)} with 10 seeds. */
  public static void check(ScoringPolicy.Provider provider) {
    check(provider, 10);
  }

  private static boolean sameState(NodeView a, NodeView b) {
    if (a.freeCpuMilli() != b.freeCpuMilli() || a.freeMemoryMiB() != b.freeMemoryMiB()
        || a.deviceCount() != b.deviceCount() || a.tasks().size() != b.tasks().size()) {
      return false;
    }
    for (int d = 0; d < a.deviceCount(); d++) {
      if (a.freeMilli(d) != b.freeMilli(d) || a.freeDeviceMemoryMiB(d) != b.freeDeviceMemoryMiB(d)
          || a.freeSharers(d) != b.freeSharers(d) || a.freeComputeUnits(d) != b.freeComputeUnits(d)
          || a.freeSlots(d) != b.freeSlots(d) || a.timeSliceWeights(d) != b.timeSliceWeights(d)) {
        return false;
      }
    }
    for (int i = 0; i < a.tasks().size(); i++) {
      Task x = a.tasks().get(i);
      Task y = b.tasks().get(i);
      if (!x.toBuilder().id("t").build().equals(y.toBuilder().id("t").build())) {
        return false;
      }
    }
    return true;
  }
}
