package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.core.policy.ExactPreemption;
import io.flexsched.spi.Victim;
import io.flexsched.spi.VictimCost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The victim searches against brute force: on small random clusters, every subset of the
 * candidate victims is tried in a rolled-back transaction, and the cheapest that makes room is
 * the optimum. {@code exact} must find it; {@code greedy} must find a set whenever one exists,
 * never cheaper than the optimum and minimal (no victim can be spared).
 */
class VictimSearchTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");
  private static final DeviceModel ASCEND = DeviceCatalogue.builtIn().require("Ascend910");
  private static final int INSTANCES = 150;

  /** One random instance: a cluster filled with low-priority work, and a preemptor. */
  private record Instance(long seed, PlacementEngine engine, Task preemptor, List<Victim> candidates) {}

  private static Instance instance(long seed) {
    var random = new SplittableRandom(seed);
    var nodes = new ArrayList<Node>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      nodes.add(random.nextBoolean()
          ? Node.of("n" + i, 16_000L * (1 + random.nextInt(2)), 65_536, T4, 2)
          : Node.of("n" + i, 16_000L * (1 + random.nextInt(2)), 65_536, ASCEND, 4));
    }
    PlacementEngine engine = PlacementEngine.builder().policy("bestfit").seed(seed).nodes(nodes).build();
    for (int i = 0; i < 14; i++) {
      engine.place(task("v" + i, random, random.nextInt(4)));
    }
    Task preemptor = task("p", random, 4);
    var candidates = new ArrayList<Victim>();
    for (Assignment a : engine.assignments()) {
      Task t = engine.task(a.task()).orElseThrow();
      if (t.preemptible() && t.priority() < preemptor.priority()) {
        candidates.add(new Victim(t, a));
      }
    }
    return new Instance(seed, engine, preemptor, candidates);
  }

  private static Task task(String id, SplittableRandom random, int priority) {
    AcceleratorRequest r = switch (random.nextInt(3)) {
      case 0 -> AcceleratorRequest.share(1, 100 * (1 + random.nextInt(9)), 0);
      case 1 -> AcceleratorRequest.whole(1 + random.nextInt(2));
      default -> AcceleratorRequest.NONE;
    };
    if (r.count() > 0 && r.milliPerDevice() == 1000 && random.nextBoolean()) {
      r = r.onModels(java.util.Set.of("Ascend910"));
    } else if (r.count() > 0 && r.milliPerDevice() < 1000) {
      r = r.onModels(java.util.Set.of("T4"));
    }
    return Task.builder(id).cpuMilli(1_000L * (1 + random.nextInt(6))).memoryMiB(4_096).accelerators(r)
        .priority(priority).preemptible(random.nextInt(5) != 0).build();
  }

  /** The cheapest subset of the candidates that makes room, by brute force; null when none does. */
  private static VictimCost optimum(Instance in) {
    List<Victim> c = in.candidates();
    VictimCost best = null;
    for (long mask = 1; mask < 1L << c.size(); mask++) {
      var set = new ArrayList<Victim>();
      for (int i = 0; i < c.size(); i++) {
        if ((mask & 1L << i) != 0) {
          set.add(c.get(i));
        }
      }
      VictimCost cost = VictimCost.of(set);
      if ((best == null || cost.isBelow(best)) && fits(in.engine(), in.preemptor(), set)) {
        best = cost;
      }
    }
    return best;
  }

  private static boolean fits(PlacementEngine e, Task preemptor, List<Victim> set) {
    Transaction tx = e.begin();
    try {
      for (Victim v : set) {
        e.release(v.id());
      }
      return e.place(preemptor).placed();
    } finally {
      tx.rollback();
    }
  }

  @Test
  void exactFindsTheOptimumAndGreedyAMinimalSetWheneverOneExists() {
    int searched = 0;
    int greedyWorse = 0;
    for (long seed = 1; searched < INSTANCES; seed++) {
      Instance in = instance(seed);
      if (in.candidates().size() > 10 || in.engine().place(in.preemptor()).placed()) {
        continue;
      }
      searched++;
      VictimCost optimum = optimum(in);
      Optional<PreemptionPlan> exact = new Preemption(in.engine(), Preemption.policy("exact")).plan(in.preemptor());
      Optional<PreemptionPlan> greedy = new Preemption(in.engine(), Preemption.policy("greedy")).plan(in.preemptor());
      String where = "seed " + seed + ": " + in.engine().assignments() + " preemptor " + in.preemptor();
      if (optimum == null) {
        assertThat(exact).as(where).isEmpty();
        assertThat(greedy).as(where).isEmpty();
        continue;
      }
      assertThat(exact).as(where).isPresent();
      assertThat(exact.get().cost()).as(where).isEqualTo(optimum);
      assertThat(greedy).as(where).isPresent();
      assertThat(greedy.get().cost().compareTo(optimum)).as(where).isGreaterThanOrEqualTo(0);
      List<Victim> g = greedy.get().victims();
      assertThat(fits(in.engine(), in.preemptor(), g)).as(where).isTrue();
      for (Victim spared : g) {
        var fewer = new ArrayList<>(g);
        fewer.remove(spared);
        assertThat(fits(in.engine(), in.preemptor(), fewer)).as(where + ": greedy could spare " + spared.id()).isFalse();
      }
      if (greedy.get().cost().compareTo(optimum) > 0) {
        greedyWorse++;
      }
    }
    System.out.println("VictimSearchTest: greedy was above the optimum on " + greedyWorse + " of " + searched + " instances");
    assertThat(searched).isEqualTo(INSTANCES);
  }

  @Test
  void exactBeatsGreedyWhereBothReprieveOrdersMissTheCheapestPair() {
    // Four 1-GPU tasks fill four NPUs; the preemptor needs two. Every pair frees 2000 milli, so
    // the cheapest pair holds the least CPU: a + b. Greedy protects higher priorities first (and,
    // in its other order, smaller tasks first: a, then b), so both of its orders evict c + d.
    PlacementEngine e = PlacementEngine.builder().policy("bestfit").seed(1)
        .node(Node.of("n1", 32_000, 65_536, ASCEND, 4)).build();
    e.place(npu("a", 1_000, 3));
    e.place(npu("b", 2_000, 2));
    e.place(npu("c", 3_000, 1));
    e.place(npu("d", 4_000, 0));
    Task p = Task.builder("p").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).priority(5).build();

    PreemptionPlan exact = new Preemption(e, Preemption.policy("exact")).plan(p).orElseThrow();
    PreemptionPlan greedy = new Preemption(e, Preemption.policy("greedy")).plan(p).orElseThrow();

    assertThat(exact.victimIds()).containsExactlyInAnyOrder("a", "b");
    assertThat(exact.cost()).isEqualTo(new VictimCost(2, 2_000, 3_000, 2_048, 3, 5));
    assertThat(greedy.victimIds()).containsExactlyInAnyOrder("c", "d");
    assertThat(greedy.cost().compareTo(exact.cost())).isPositive();
  }

  @Test
  void exactStoppedByItsBoundsReturnsGreedysAnswerAndSaysSo() {
    PlacementEngine e = PlacementEngine.builder().policy("bestfit").seed(1)
        .node(Node.of("n1", 32_000, 65_536, ASCEND, 4)).build();
    e.place(npu("a", 1_000, 3));
    e.place(npu("b", 2_000, 2));
    e.place(npu("c", 3_000, 1));
    e.place(npu("d", 4_000, 0));
    Task p = Task.builder("p").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).priority(5).build();

    var bounded = new ExactPreemption(16, 1, 1_000, Duration.ofSeconds(10));
    assertThat(new Preemption(e, bounded).plan(p).orElseThrow().victimIds()).containsExactlyInAnyOrder("c", "d");
    assertThat(bounded.stats()).containsExactly(1, 1, 0);

    var unbounded = new ExactPreemption();
    assertThat(new Preemption(e, unbounded).plan(p).orElseThrow().victimIds()).containsExactlyInAnyOrder("a", "b");
    assertThat(unbounded.stats()).containsExactly(1, 0, 0);
    assertThatThrownBy(() -> new ExactPreemption(0, 1, 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
  }

  private static Task npu(String id, long cpu, int priority) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1)).priority(priority).build();
  }
}
