package io.flexsched.testkit;

import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded nodes, tasks and checks shared by the conformance kits. */
final class Probes {
  private Probes() {}

  /** Nodes of {@code model} with 1, 2, 4 and 8 devices. */
  static List<Node> nodesOf(DeviceModel model, String prefix) {
    var out = new ArrayList<Node>();
    for (int count : new int[] {1, 2, 4, 8}) {
      out.add(Node.of(prefix + "-" + model.name() + "-" + count, 128_000, 1_048_576, model, count));
    }
    return out;
  }

  /** A random task that {@code model} could in principle serve. */
  static Task taskFor(DeviceModel model, SplittableRandom random, String id) {
    AcceleratorRequest r;
    int kind = random.nextInt(10);
    if (kind == 0) {
      r = AcceleratorRequest.NONE;
    } else if (model.sharing() == SharingMode.PROFILES && kind < 6) {
      Profile p = model.profiles().get(random.nextInt(model.profiles().size()));
      r = AcceleratorRequest.profile(p.name());
    } else if (model.sharing() == SharingMode.FRACTIONAL && kind < 6) {
      int steps = DeviceModel.WHOLE_MILLI / model.granularityMilli();
      r = AcceleratorRequest.share(1, model.granularityMilli() * (1 + random.nextInt(steps)), 0);
    } else if (model.sharing() == SharingMode.TIME_SLICED && kind < 6) {
      int steps = DeviceModel.WHOLE_MILLI / model.granularityMilli();
      int quota = model.granularityMilli() * (1 + random.nextInt(steps));
      r = AcceleratorRequest.timeSlice(1, quota, 1 + random.nextInt(8), 0);
    } else {
      r = AcceleratorRequest.whole(1 + random.nextInt(8));
    }
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(r).build();
  }

  /** Checks a device choice against the SPI's rules for one task on one node. */
  static void checkChoice(Violations v, String who, Task task, NodeView node, DeviceChoice choice, DeviceRules rules) {
    AcceleratorRequest r = task.accelerators();
    v.check(choice.size() == r.count(), who + ": chose " + choice + " for " + r.count() + " devices (task " + task.id() + ")");
    long seen = 0;
    for (int i = 0; i < choice.size(); i++) {
      int d = choice.device(i);
      boolean inRange = d >= 0 && d < node.deviceCount();
      v.check(inRange && (seen & (1L << d)) == 0, who + ": device " + d + " out of range or repeated in " + choice);
      if (inRange) {
        seen |= 1L << d;
        v.check(node.canHost(d, r), who + ": chose device " + d + " of " + node.spec().name()
            + ", which cannot host task " + task.id() + " " + r);
      }
    }
    v.check(rules.admits(task, node, choice), who + ": the node's own rules do not admit " + choice + " for task " + task.id());
  }

  /** Fills an engine to a random level with tasks for its models; returns how many were placed. */
  static int fill(PlacementEngine engine, List<DeviceModel> models, SplittableRandom random, int attempts) {
    int placed = 0;
    for (int i = 0; i < attempts; i++) {
      DeviceModel m = models.get(random.nextInt(models.size()));
      if (engine.place(taskFor(m, random, "fill-" + i)).placed()) {
        placed++;
      }
    }
    return placed;
  }
}
