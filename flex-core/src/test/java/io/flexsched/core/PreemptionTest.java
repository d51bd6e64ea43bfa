package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.Victim;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Single-task preemption, scenario by scenario: the failures users report in other schedulers,
 * each run with both built-in victim searches. Every cluster is small enough that the expected
 * victims are worked out by hand.
 */
class PreemptionTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");
  private static final DeviceModel ASCEND = DeviceCatalogue.builtIn().require("Ascend910");

  static Task gpus(String id, int count, int priority, boolean preemptible) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(count))
        .priority(priority).preemptible(preemptible).build();
  }

  static Task gpus(String id, int count, int priority) {
    return gpus(id, count, priority, true);
  }

  private static PlacementEngine engine(Node... nodes) {
    return PlacementEngine.builder().policy("bestfit").seed(3).nodes(List.of(nodes)).build();
  }

  private static void placeAll(PlacementEngine e, Task... tasks) {
    for (Task t : tasks) {
      assertThat(e.place(t).placed()).as("setup placement of %s", t.id()).isTrue();
    }
  }

  private static List<String> placed(PlacementEngine e) {
    return e.assignments().stream().map(Assignment::task).toList();
  }

  /** The assignments as a sorted text, to compare states whatever order the tasks were placed in. */
  private static List<String> state(PlacementEngine e) {
    return e.assignments().stream().map(Assignment::toString).sorted().toList();
  }

  private static String nodeOf(PlacementEngine e, String task) {
    return e.assignment(task).orElseThrow().node();
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aPreemptorThatCannotFitEvenAfterEvictionsEvictsNobody(String policy) {
    // n1 has 4 GPUs: three low-priority tasks hold one each, a non-preemptible one holds the fourth.
    // The preemptor needs all four, so no eviction the rules allow can make room.
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 4));
    placeAll(e, gpus("low1", 1, 0), gpus("low2", 1, 0), gpus("low3", 1, 0), gpus("pinned", 1, 0, false));
    List<String> before = state(e);

    PreemptionOutcome out = new Preemption(e, Preemption.policy(policy)).place(gpus("big", 4, 10));

    assertThat(out.placed()).isFalse();
    assertThat(out.preempted()).isEmpty();
    assertThat(out.decision().reasons()).containsEntry(RejectReason.INSUFFICIENT_DEVICE_SHARE, 1);
    assertThat(state(e)).isEqualTo(before);
    OverCommit.check(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void whereOneVictimSufficesExactlyOneIsEvictedTheLowestPriority(String policy) {
    // Two full nodes of equal-sized tasks; the lowest priority is 1.
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("a", 1, 4), gpus("b", 1, 3), gpus("c", 1, 1), gpus("d", 1, 2));
    String home = nodeOf(e, "c");

    PreemptionOutcome out = new Preemption(e, Preemption.policy(policy)).place(gpus("p", 1, 9));

    assertThat(out.placed()).isTrue();
    assertThat(out.preemptedIds()).containsExactly("c");
    assertThat(out.decision().assignment().node()).isEqualTo(home);
    assertThat(placed(e)).containsExactlyInAnyOrder("a", "b", "d", "p");
    OverCommit.check(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void oneLargeVictimRatherThanTwoSmallOnes(String policy) {
    // One node holds a 2-GPU task of priority 1, the other two 1-GPU tasks of priority 0: the
    // fewest victims win over the lower priorities.
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("wide", 2, 1), gpus("s1", 1, 0), gpus("s2", 1, 0));
    String home = nodeOf(e, "wide");
    assertThat(nodeOf(e, "s1")).isNotEqualTo(home).isEqualTo(nodeOf(e, "s2"));

    PreemptionOutcome out = new Preemption(e, Preemption.policy(policy)).place(gpus("p", 2, 5));

    assertThat(out.preemptedIds()).containsExactly("wide");
    assertThat(out.decision().assignment().node()).isEqualTo(home);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void anEmptyNodeIsUsedBeforeAnyoneIsPreempted(String policy) {
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("low", 2, 0));
    String busy = nodeOf(e, "low");

    PreemptionOutcome out = new Preemption(e, Preemption.policy(policy)).place(gpus("p", 2, 9));

    assertThat(out.placed()).isTrue();
    assertThat(out.preempted()).isEmpty();
    assertThat(out.decision().assignment().node()).isNotEqualTo(busy);
    assertThat(placed(e)).containsExactly("low", "p");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void equalPriorityAndNonPreemptibleTasksAreNeverVictims(String policy) {
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("same", 1, 5), gpus("pinned", 1, 0, false));
    Preemption preemption = new Preemption(e, Preemption.policy(policy));

    assertThat(preemption.plan(gpus("p1", 1, 5))).isEmpty();
    PreemptionOutcome out = preemption.place(gpus("p2", 1, 5));

    assertThat(out.placed()).isFalse();
    assertThat(placed(e)).containsExactly("same", "pinned");
    // One priority higher, only "same" may go.
    assertThat(preemption.place(gpus("p3", 1, 6)).preemptedIds()).containsExactly("same");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aPlanIsAWhatIfThatChangesNothingUntilCommitted(String policy) {
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("a", 1, 0), gpus("b", 1, 1));
    List<String> before = state(e);
    Preemption preemption = new Preemption(e, Preemption.policy(policy));

    Optional<PreemptionPlan> plan = preemption.plan(gpus("p", 1, 2));

    assertThat(plan).isPresent();
    assertThat(plan.get().victimIds()).containsExactly("a");
    assertThat(plan.get().cost().victims()).isEqualTo(1);
    assertThat(state(e)).isEqualTo(before);
    assertThat(preemption.probes()).isPositive();
    PreemptionOutcome out = preemption.commit(plan.get());
    assertThat(out.preemptedIds()).containsExactly("a");
    assertThat(placed(e)).containsExactly("b", "p");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aPreemptorThatFitsGetsAnEmptyPlan(String policy) {
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2));
    Optional<PreemptionPlan> plan = new Preemption(e, Preemption.policy(policy)).plan(gpus("p", 1, 0));
    assertThat(plan).isPresent();
    assertThat(plan.get().victims()).isEmpty();
    assertThat(e.assignments()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aPlanThatDoesNotMakeRoomIsRolledBackWholeAtCommit() {
    // A careless policy that evicts every candidate without asking: the commit must not keep the evictions.
    PreemptionPolicy careless = new PreemptionPolicy() {
      @Override
      public String name() {
        return "careless";
      }

      @Override
      public Optional<List<Victim>> selectVictims(io.flexsched.spi.PreemptionRequest request, io.flexsched.spi.FitProbe probe) {
        return Optional.of(request.victims());
      }
    };
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 4));
    placeAll(e, gpus("low1", 1, 0), gpus("low2", 1, 0), gpus("pinned", 2, 0, false));
    List<String> before = state(e);

    PreemptionOutcome out = new Preemption(e, careless).place(gpus("big", 4, 10));

    assertThat(out.placed()).isFalse();
    assertThat(out.preempted()).isEmpty();
    assertThat(state(e)).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  void aPolicyThatNamesANonCandidateIsRefused() {
    PreemptionPolicy rogue = new PreemptionPolicy() {
      @Override
      public String name() {
        return "rogue";
      }

      @Override
      public Optional<List<Victim>> selectVictims(io.flexsched.spi.PreemptionRequest request, io.flexsched.spi.FitProbe probe) {
        var all = new ArrayList<>(request.victims());
        all.add(new Victim(gpus("pinned", 1, 0, false), new Assignment("pinned", "n1", List.of(Slice.share(1, 1000, 32_768)))));
        return Optional.of(all);
      }
    };
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("low", 1, 0), gpus("pinned", 1, 0, false));
    List<String> before = state(e);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Preemption(e, rogue).place(gpus("p", 2, 10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rogue chose victim pinned on n1, which is not a candidate");
    assertThat(state(e)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void sharesOnOneDeviceAreFreedByTheFewestVictims(String policy) {
    // One T4 shared 300 + 300 + 400 (priorities 0, 0, 1): a 600 share needs two victims at least;
    // the cheapest pair frees 600 with the least compute: the two 300s.
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, T4, 1));
    placeAll(e, share("x", 300, 0), share("y", 300, 0), share("z", 400, 1));

    PreemptionOutcome out = new Preemption(e, Preemption.policy(policy)).place(share("p", 600, 5));

    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("x", "y");
    assertThat(placed(e)).containsExactlyInAnyOrder("z", "p");
    OverCommit.check(e);
  }

  /**
   * The multi-preemptor path a gang will use once the engine places gangs: two tasks that each
   * need a whole node, against two full nodes. Victims span both nodes, and only if both then fit;
   * with one node pinned, nobody is evicted. (The gang scenario itself waits for gang placement.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void severalPreemptorsEvictAcrossNodesOnlyIfEveryOneThenFits(String policy) {
    PlacementEngine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("x1", 1, 0), gpus("x2", 1, 0), gpus("y1", 1, 0), gpus("y2", 1, 0));
    Preemption preemption = new Preemption(e, Preemption.policy(policy));
    List<Task> members = List.of(gpus("m1", 2, 5), gpus("m2", 2, 5));

    Optional<PreemptionPlan> plan = preemption.search(members, v -> v.priority() < 5, s -> true, null);

    assertThat(plan).isPresent();
    assertThat(plan.get().victimIds()).containsExactlyInAnyOrder("x1", "x2", "y1", "y2");
    PreemptionOutcome out = preemption.commit(plan.get(), null);
    assertThat(out.placed()).isTrue();
    assertThat(placed(e)).containsExactlyInAnyOrder("m1", "m2");

    PlacementEngine pinned = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(pinned, gpus("x1", 1, 0), gpus("x2", 1, 0), gpus("y1", 1, 0), gpus("keep", 1, 0, false));
    List<String> before = state(pinned);
    Optional<PreemptionPlan> none = new Preemption(pinned, Preemption.policy(policy))
        .search(members, v -> v.preemptible() && v.priority() < 5, s -> true, null);
    assertThat(none).isEmpty();
    assertThat(state(pinned)).isEqualTo(before);
  }

  static Task share(String id, int milli, int priority) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, milli, 0))
        .priority(priority).build();
  }
}
