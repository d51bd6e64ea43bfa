package io.flexsched.testkit;

import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.NodeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Checks a {@link HardwareProvider} against the SPI's contract: its models are named and unique,
 * and on nodes of each model in many random states its {@link DeviceRules} choose exactly the
 * requested number of distinct devices that can each host the task, admit their own choices, are
 * deterministic, and never lead the engine to over-commit or to differ between two runs.
 */
public final class HardwareConformance {
  private HardwareConformance() {}

  /** Runs the kit with seeds 1..{@code seeds}; throws {@link ConformanceError} listing violations. */
  public static void check(HardwareProvider provider, int seeds) {
    var v = new Violations();
    String who = "hardware provider " + provider.getClass().getName();
    v.check(provider.vendor() != null && !provider.vendor().isBlank(), who + ": vendor() is blank");
    List<DeviceModel> models = List.copyOf(provider.models());
    v.check(!models.isEmpty(), who + ": models() is empty");
    var names = new HashSet<String>();
    for (DeviceModel m : models) {
      v.check(names.add(m.name()), who + ": model " + m.name() + " is listed twice");
    }
    List<HardwareProvider> hardware = List.of(provider);
    for (long seed = 1; seed <= seeds; seed++) {
      for (DeviceModel model : models) {
        checkRules(v, who + " (seed " + seed + ", model " + model.name() + ")", hardware, model, seed);
      }
      checkEngine(v, who + " (seed " + seed + ")", hardware, models, seed);
    }
    v.throwIfAny(who);
  }

  /** {@link #check(HardwareProvider, int)} with 20 seeds. */
  public static void check(HardwareProvider provider) {
    check(provider, 20);
  }

  private static void checkRules(Violations v, String who, List<HardwareProvider> hardware, DeviceModel model, long seed) {
    var random = new SplittableRandom(seed);
    List<Node> nodes = Probes.nodesOf(model, "c");
    PlacementEngine engine = Scheduler.builder().policy("bestfit").seed(seed).hardware(hardware)
        .assertMode(true).nodes(nodes).buildEngine();
    probe(v, who + ", empty nodes", engine, nodes, model, random);
    try {
      Probes.fill(engine, List.of(model), random, random.nextInt(24));
    } catch (RuntimeException e) {
      v.check(false, who + ": the engine failed filling nodes under these rules: " + e.getMessage());
      return;
    }
    probe(v, who + ", filled nodes", engine, nodes, model, random);
  }

  private static void probe(Violations v, String who, PlacementEngine engine, List<Node> nodes, DeviceModel model,
      SplittableRandom random) {
    for (int probe = 0; probe < 40; probe++) {
      Task task = Probes.taskFor(model, random, "probe-" + probe);
      for (Node n : nodes) {
        NodeView view = engine.cluster().node(n.name());
        DeviceRules rules = view.deviceRules();
        var first = new DeviceChoice();
        boolean ok = rules.select(task, view, first);
        var second = new DeviceChoice();
        boolean again = rules.select(task, view, second);
        v.check(ok == again && first.toString().equals(second.toString()),
            who + ": select is not deterministic for task " + task.accelerators() + " on " + n.name());
        if (ok) {
          Probes.checkChoice(v, who, task, view, first, rules);
        }
      }
    }
  }

  private static void checkEngine(Violations v, String who, List<HardwareProvider> hardware, List<DeviceModel> models, long seed) {
    List<List<String>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      var random = new SplittableRandom(seed);
      var nodes = new ArrayList<Node>();
      for (DeviceModel m : models) {
        nodes.addAll(Probes.nodesOf(m, "e"));
      }
      PlacementEngine engine = Scheduler.builder().policy("fgd").seed(seed).hardware(hardware)
          .assertMode(true).nodes(nodes).buildEngine();
      var decisions = new ArrayList<String>();
      var placed = new ArrayList<String>();
      for (int i = 0; i < 200; i++) {
        if (!placed.isEmpty() && random.nextInt(4) == 0) {
          engine.release(placed.remove(random.nextInt(placed.size())));
          continue;
        }
        Task t = Probes.taskFor(models.get(random.nextInt(models.size())), random, "t" + i);
        try {
          Outcome d = engine.place(t);
          decisions.add(String.valueOf(d instanceof Outcome.Placed p ? p.assignment() : null));
          if (d.placed()) {
            placed.add(t.id());
          }
        } catch (RuntimeException e) {
          v.check(false, who + ": the engine failed placing " + t + ": " + e);
          return;
        }
      }
      for (Assignment a : engine.cluster().assignments()) {
        v.check(engine.cluster().task(a.task()).isPresent(), who + ": assignment without task " + a);
      }
      runs.add(decisions);
    }
    v.check(runs.get(0).equals(runs.get(1)), who + ": two runs with the same seed made different decisions");
  }
}
