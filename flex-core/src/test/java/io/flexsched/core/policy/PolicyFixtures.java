package io.flexsched.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.core.providers.Providers;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.model.WorkloadDistribution;
import java.util.ArrayList;
import java.util.List;

/** Small builders shared by the policy tests: nodes, tasks, engines and verified setup placements. */
final class PolicyFixtures {
  static final DeviceCatalogue CATALOGUE = DeviceCatalogue.builtIn();
  /** A fractional trace GPU (granularity 1 milli, no sharer limit). */
  static final DeviceModel G2 = CATALOGUE.require("G2");
  static final DeviceModel T4 = CATALOGUE.require("T4");

  private PolicyFixtures() {}

  /** A node of {@code count} G2 GPUs with {@code cpuMilli} CPU and plenty of memory. */
  static Node g2Node(String name, long cpuMilli, int count) {
    return Node.of(name, cpuMilli, 1_048_576, G2, count);
  }

  /** A one-node engine whose setup placements use best-fit devices. */
  static PlacementEngine engine(Node node) {
    return Scheduler.builder().policy("bestfit").seed(1).nodes(List.of(node)).buildEngine();
  }

  /** An engine over several nodes (no placements are steered on it). */
  static PlacementEngine engine(List<Node> nodes) {
    return Scheduler.builder().policy("bestfit").seed(1).nodes(nodes).buildEngine();
  }

  static Task share(String id, long cpuMilli, int milli) {
    return Task.builder(id).cpuMilli(cpuMilli).memoryMiB(1).accelerators(AcceleratorRequest.share(1, milli, 0)).build();
  }

  static Task shares(String id, long cpuMilli, int count, int milli) {
    return Task.builder(id).cpuMilli(cpuMilli).memoryMiB(1).accelerators(AcceleratorRequest.share(count, milli, 0)).build();
  }

  static Task whole(String id, long cpuMilli, int count) {
    return Task.builder(id).cpuMilli(cpuMilli).memoryMiB(1).accelerators(AcceleratorRequest.whole(count)).build();
  }

  static Task cpuOnly(String id, long cpuMilli) {
    return Task.builder(id).cpuMilli(cpuMilli).memoryMiB(1).build();
  }

  /**
   * Places a setup task and checks that it landed on {@code node} with exactly the slices
   * {@code device -> milli} given as pairs {@code d0, m0, d1, m1, ...}.
   */
  static Assignment place(PlacementEngine engine, Task task, String node, int... deviceMilliPairs) {
    Outcome d = engine.place(task);
    assertThat(d.placed()).as("setup task %s placed", task.id()).isTrue();
    Assignment a = ((Outcome.Placed) d).assignment();
    assertThat(a.node()).as("setup task %s node", task.id()).isEqualTo(node);
    var expected = new ArrayList<List<Integer>>();
    for (int i = 0; i < deviceMilliPairs.length; i += 2) {
      expected.add(List.of(deviceMilliPairs[i], deviceMilliPairs[i + 1]));
    }
    var actual = new ArrayList<List<Integer>>();
    for (Slice s : a.slices()) {
      actual.add(List.of(s.device(), s.milli()));
    }
    assertThat(actual).as("setup task %s slices (device, milli)", task.id()).isEqualTo(expected);
    return a;
  }

  /** Checks the free milli of every device of the view, in index order. */
  static void assertFree(NodeView view, int... freeMilli) {
    var actual = new ArrayList<Integer>();
    for (int d = 0; d < view.deviceCount(); d++) {
      actual.add(view.freeMilli(d));
    }
    var expected = new ArrayList<Integer>();
    for (int f : freeMilli) {
      expected.add(f);
    }
    assertThat(actual).as("free milli per device of %s", view.spec().name()).isEqualTo(expected);
  }

  static ScoringPolicy policy(String name) {
    return policy(name, WorkloadDistribution.EMPTY);
  }

  static ScoringPolicy policy(String name, WorkloadDistribution workload) {
    return Providers.scoring().named(name).create(new PolicyContext(42, workload, CATALOGUE));
  }

  /** The devices of a choice, in order. */
  static List<Integer> devices(DeviceChoice choice) {
    var out = new ArrayList<Integer>();
    for (int i = 0; i < choice.size(); i++) {
      out.add(choice.device(i));
    }
    return out;
  }

  /** A scored call: the policy's score and the devices it chose. */
  record Scored(double score, List<Integer> devices) {}

  static Scored score(ScoringPolicy policy, Task task, NodeView view) {
    return score(policy, task, view, DecisionContext.of(7, 0));
  }

  static Scored score(ScoringPolicy policy, Task task, NodeView view, DecisionContext context) {
    var choice = new DeviceChoice();
    double s = policy.score(task, view, choice, context);
    return new Scored(s, devices(choice));
  }

  /** n1: 4×G2 with free [300, 100, 600, 1000], 29 cores free: shares of 700, 900 and 400 placed. */
  static NodeView fragmentedNode() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 700), "n1", 0, 700);
    place(e, share("s2", 1000, 900), "n1", 1, 900);
    place(e, share("s3", 1000, 400), "n1", 2, 400);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 300, 100, 600, 1000);
    return v;
  }
}
