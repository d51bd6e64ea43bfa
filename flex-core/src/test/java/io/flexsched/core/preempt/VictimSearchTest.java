package io.flexsched.core.preempt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.Scheduler;
import io.flexsched.core.Transaction;
import io.flexsched.core.engine.Engine;
import io.flexsched.core.policy.ExactPreemption;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.PreemptionPolicy;
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
 * never cheaper than the optimum and minimal (no victim can be spared). The searches run through
 * {@link Preemption#search} on a plain engine, with the plain rule (preemptible, strictly lower
 * priority, on any node).
 */
class VictimSearchTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");
  private static final DeviceModel ASCEND = DeviceCatalogue.builtIn().require("Ascend910");
  private static final int INSTANCES = 150;

  /** One random instance: a cluster filled with low-priority work, and a preemptor. */
  private record Instance(long seed, Engine engine, Task preemptor, List<Victim> candidates) {}

  private static Instance instance(long seed) {
    var random = new SplittableRandom(seed);
    var nodes = new ArrayList<Node>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      nodes.add(random.nextBoolean()
          ? Node.of("n" + i, 16_000L * (1 + random.nextInt(2)), 65_536, T4, 2)
          : Node.of("n" + i, 16_000L * (1 + random.nextInt(2)), 65_536, ASCEND, 4));
    }
    Engine engine = engine(seed, nodes);
    for (int i = 0; i < 14; i++) {
      engine.place(task("v" + i, random, random.nextInt(4)));
    }
    Task preemptor = task("p", random, 4);
    var candidates = new ArrayList<Victim>();
    for (Assignment a : engine.cluster().assignments()) {
      Task t = engine.cluster().task(a.task()).orElseThrow();
      if (t.preemptible() && t.priority() < preemptor.priority()) {
        candidates.add(new Victim(t, a));
      }
    }
    return new Instance(seed, engine, preemptor, candidates);
  }

  private static Engine engine(long seed, List<Node> nodes) {
    return (Engine) Scheduler.builder().policy("bestfit").seed(seed).nodes(nodes).buildEngine();
  }

  /** What the victim search chooses for {@code preemptor}, run as one engine operation (as a scheduler runs it). */
  private static Optional<List<Victim>> search(Engine e, PreemptionPolicy policy, Task preemptor) {
    var preemption = new Preemption(e, policy);
    return e.atomically(() ->
        preemption.search(List.of(preemptor), Preemption.lowerPriority(List.of(preemptor)), victims -> true, null));
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

  private static boolean fits(Engine e, Task preemptor, List<Victim> set) {
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
      Optional<List<Victim>> exact = search(in.engine(), Preemption.policy("exact"), in.preemptor());
      Optional<List<Victim>> greedy = search(in.engine(), Preemption.policy("greedy"), in.preemptor());
      String where = "seed " + seed + ": " + in.engine().cluster().assignments() + " preemptor " + in.preemptor();
      if (optimum == null) {
        assertThat(exact).as(where).isEmpty();
        assertThat(greedy).as(where).isEmpty();
        continue;
      }
      assertThat(exact).as(where).isPresent();
      assertThat(VictimCost.of(exact.get())).as(where).isEqualTo(optimum);
      assertThat(greedy).as(where).isPresent();
      assertThat(VictimCost.of(greedy.get()).compareTo(optimum)).as(where).isGreaterThanOrEqualTo(0);
      List<Victim> g = greedy.get();
      assertThat(fits(in.engine(), in.preemptor(), g)).as(where).isTrue();
      for (Victim spared : g) {
        var fewer = new ArrayList<>(g);
        fewer.remove(spared);
        assertThat(fits(in.engine(), in.preemptor(), fewer)).as(where + ": greedy could spare " + spared.id()).isFalse();
      }
      if (VictimCost.of(g).compareTo(optimum) > 0) {
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
    Engine e = fourNpus();
    Task p = Task.builder("p").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).priority(5).build();

    List<Victim> exact = search(e, Preemption.policy("exact"), p).orElseThrow();
    List<Victim> greedy = search(e, Preemption.policy("greedy"), p).orElseThrow();

    assertThat(exact).extracting(Victim::id).containsExactlyInAnyOrder("a", "b");
    assertThat(VictimCost.of(exact)).isEqualTo(new VictimCost(2, 2_000, 3_000, 2_048, 3, 5));
    assertThat(greedy).extracting(Victim::id).containsExactlyInAnyOrder("c", "d");
    assertThat(VictimCost.of(greedy).compareTo(VictimCost.of(exact))).isPositive();
  }

  @Test
  void exactStoppedByItsBoundsReturnsGreedysAnswerAndSaysSo() {
    Engine e = fourNpus();
    Task p = Task.builder("p").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).priority(5).build();

    var bounded = new ExactPreemption(16, 1, 1_000, Duration.ofSeconds(10));
    assertThat(search(e, bounded, p).orElseThrow()).extracting(Victim::id).containsExactlyInAnyOrder("c", "d");
    assertThat(bounded.stats()).containsExactly(1, 1, 0);

    var unbounded = new ExactPreemption();
    assertThat(search(e, unbounded, p).orElseThrow()).extracting(Victim::id).containsExactlyInAnyOrder("a", "b");
    assertThat(unbounded.stats()).containsExactly(1, 0, 0);
    assertThatThrownBy(() -> new ExactPreemption(0, 1, 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
  }

  /** One node of four NPUs, each held by a one-NPU task: a (1 CPU, priority 3) to d (4 CPUs, priority 0). */
  private static Engine fourNpus() {
    Engine e = engine(1, List.of(Node.of("n1", 32_000, 65_536, ASCEND, 4)));
    for (Task t : List.of(npu("a", 1_000, 3), npu("b", 2_000, 2), npu("c", 3_000, 1), npu("d", 4_000, 0))) {
      assertThat(e.place(t).placed()).as("setup placement of %s", t.id()).isTrue();
    }
    return e;
  }

  private static Task npu(String id, long cpu, int priority) {
    return Task.builder(id).cpuMilli(cpu).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1)).priority(priority).build();
  }
}
