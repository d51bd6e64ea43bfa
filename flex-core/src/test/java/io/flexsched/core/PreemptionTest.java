package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.Victim;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Single-task preemption through {@link Scheduler#place} (a scheduler with no queues: every task in
 * the default queue, so victims are preemptible tasks of strictly lower priority), scenario by
 * scenario: the failures users report in other schedulers, each run with both built-in victim
 * searches. Every cluster is small enough that the expected victims are worked out by hand. The
 * victim search's own what-if and commit are tested in {@code preempt.PreemptionSearchTest}.
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

  private static Scheduler scheduler(String preemption, Node... nodes) {
    return Scheduler.builder().policy("bestfit").seed(3).nodes(List.of(nodes)).preemption(preemption).build();
  }

  private static Scheduler scheduler(PreemptionPolicy preemption, Node... nodes) {
    return Scheduler.builder().policy("bestfit").seed(3).nodes(List.of(nodes)).preemption(preemption).build();
  }

  /** Places the setup tasks through the scheduler, so that it knows them as running (victims must be). */
  private static void placeAll(Scheduler s, Task... tasks) {
    for (Task t : tasks) {
      Outcome o = s.place(t);
      assertThat(o.placed()).as("setup placement of %s", t.id()).isTrue();
      assertThat(((Outcome.Placed) o).preempted()).as("setup placement of %s preempts nobody", t.id()).isEmpty();
    }
  }

  private static List<String> placed(Scheduler s) {
    return s.cluster().assignments().stream().map(Assignment::task).toList();
  }

  /** The assignments as a sorted text, to compare states whatever order the tasks were placed in. */
  private static List<String> state(Scheduler s) {
    return s.cluster().assignments().stream().map(Assignment::toString).sorted().toList();
  }

  private static String nodeOf(Scheduler s, String task) {
    return s.cluster().assignment(task).orElseThrow().node();
  }

  /** The placement, failing the test when the request is pending. */
  private static Outcome.Placed placed(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Placed.class);
    return (Outcome.Placed) o;
  }

  /** Why the request waits, failing the test when it was placed. */
  private static Outcome.Pending pending(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Pending.class);
    return (Outcome.Pending) o;
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aPreemptorThatCannotFitEvenAfterEvictionsEvictsNobody(String policy) {
    // n1 has 4 GPUs: three low-priority tasks hold one each, a non-preemptible one holds the fourth.
    // The preemptor needs all four, so no eviction the rules allow can make room.
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 4));
    placeAll(e, gpus("low1", 1, 0), gpus("low2", 1, 0), gpus("low3", 1, 0), gpus("pinned", 1, 0, false));
    List<String> before = state(e);

    Outcome.Pending out = pending(e.place(gpus("big", 4, 10)));

    assertThat(out.cause()).isEqualTo(Outcome.Cause.NO_FIT);
    assertThat(out.reasons()).containsEntry(RejectReason.INSUFFICIENT_DEVICE_SHARE, 1);
    assertThat(state(e)).isEqualTo(before);
    assertThat(e.preemptions()).isZero();
    assertThat(e.isPending("big")).as("place() keeps nothing it did not place").isFalse();
    OverCommit.check(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void whereOneVictimSufficesExactlyOneIsEvictedTheLowestPriority(String policy) {
    // Two full nodes of equal-sized tasks; the lowest priority is 1.
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("a", 1, 4), gpus("b", 1, 3), gpus("c", 1, 1), gpus("d", 1, 2));
    String home = nodeOf(e, "c");

    Outcome.Placed out = placed(e.place(gpus("p", 1, 9)));

    assertThat(out.preemptedIds()).containsExactly("c");
    assertThat(out.assignment().node()).isEqualTo(home);
    assertThat(e.isPending("c")).as("the victim waits again").isTrue();
    assertThat(placed(e)).containsExactlyInAnyOrder("a", "b", "d", "p");
    OverCommit.check(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void oneLargeVictimRatherThanTwoSmallOnes(String policy) {
    // One node holds a 2-GPU task of priority 1, the other two 1-GPU tasks of priority 0: the
    // fewest victims win over the lower priorities.
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("wide", 2, 1), gpus("s1", 1, 0), gpus("s2", 1, 0));
    String home = nodeOf(e, "wide");
    assertThat(nodeOf(e, "s1")).isNotEqualTo(home).isEqualTo(nodeOf(e, "s2"));

    Outcome.Placed out = placed(e.place(gpus("p", 2, 5)));

    assertThat(out.preemptedIds()).containsExactly("wide");
    assertThat(out.assignment().node()).isEqualTo(home);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void anEmptyNodeIsUsedBeforeAnyoneIsPreempted(String policy) {
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("low", 2, 0));
    String busy = nodeOf(e, "low");

    Outcome.Placed out = placed(e.place(gpus("p", 2, 9)));

    assertThat(out.preempted()).isEmpty();
    assertThat(out.assignment().node()).isNotEqualTo(busy);
    assertThat(placed(e)).containsExactly("low", "p");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void equalPriorityAndNonPreemptibleTasksAreNeverVictims(String policy) {
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("same", 1, 5), gpus("pinned", 1, 0, false));

    Outcome.Pending out = pending(e.place(gpus("p2", 1, 5)));

    assertThat(out.cause()).isEqualTo(Outcome.Cause.NO_FIT);
    assertThat(placed(e)).containsExactly("same", "pinned");
    assertThat(e.preemptions()).isZero();
    // One priority higher, only "same" may go.
    assertThat(placed(e.place(gpus("p3", 1, 6))).preemptedIds()).containsExactly("same");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aPreemptorThatFitsPreemptsNobody(String policy) {
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 2));

    Outcome.Placed out = placed(e.place(gpus("p", 1, 0)));

    assertThat(out.preempted()).isEmpty();
    assertThat(placed(e)).containsExactly("p");
    assertThat(e.preemptions()).isZero();
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
      public Optional<List<Victim>> selectVictims(PreemptionRequest request, PreemptionPolicy.FitProbe probe) {
        return Optional.of(request.victims());
      }
    };
    Scheduler e = scheduler(careless, Node.of("n1", 32_000, 65_536, ASCEND, 4));
    placeAll(e, gpus("low1", 1, 0), gpus("low2", 1, 0), gpus("pinned", 2, 0, false));
    List<String> before = state(e);

    Outcome.Pending out = pending(e.place(gpus("big", 4, 10)));

    assertThat(out.cause()).isEqualTo(Outcome.Cause.NO_FIT);
    assertThat(state(e)).isEqualTo(before);
    assertThat(e.preemptions()).isZero();
    assertThat(e.isPending("low1") || e.isPending("low2")).as("no victim was sent back to pending").isFalse();
  }

  @org.junit.jupiter.api.Test
  void aPolicyThatNamesANonCandidateIsRefused() {
    PreemptionPolicy rogue = new PreemptionPolicy() {
      @Override
      public String name() {
        return "rogue";
      }

      @Override
      public Optional<List<Victim>> selectVictims(PreemptionRequest request, PreemptionPolicy.FitProbe probe) {
        var all = new ArrayList<>(request.victims());
        all.add(new Victim(gpus("pinned", 1, 0, false), new Assignment("pinned", "n1", List.of(Slice.share(1, 1000, 32_768)))));
        return Optional.of(all);
      }
    };
    Scheduler e = scheduler(rogue, Node.of("n1", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("low", 1, 0), gpus("pinned", 1, 0, false));
    List<String> before = state(e);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.place(gpus("p", 2, 10)))
        .isInstanceOf(PolicyException.class)
        .hasMessage("preemption policy 'rogue' for task p on node n1: it chose victim pinned, which is not a candidate or is chosen twice");
    assertThat(state(e)).isEqualTo(before);
    assertThat(e.isPending("p")).isFalse();
    e.verifyAccounting();
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void sharesOnOneDeviceAreFreedByTheFewestVictims(String policy) {
    // One T4 shared 300 + 300 + 400 (priorities 0, 0, 1): a 600 share needs two victims at least;
    // the cheapest pair frees 600 with the least compute: the two 300s.
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, T4, 1));
    placeAll(e, share("x", 300, 0), share("y", 300, 0), share("z", 400, 1));

    Outcome.Placed out = placed(e.place(share("p", 600, 5)));

    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("x", "y");
    assertThat(placed(e)).containsExactlyInAnyOrder("z", "p");
    OverCommit.check(e);
  }

  /**
   * Several preemptors evicting across nodes, now a gang (a request of several tasks must be one):
   * two members that each need a whole node, against two full nodes. Victims span both nodes, and
   * only if both then fit; with one node pinned, nobody is evicted.
   */
  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void severalPreemptorsEvictAcrossNodesOnlyIfEveryOneThenFits(String policy) {
    Gang gang = new Gang("m", 2, null, false);
    List<Task> members = List.of(gpus("m1", 2, 5).toBuilder().gang(gang).build(), gpus("m2", 2, 5).toBuilder().gang(gang).build());
    Scheduler e = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("x1", 1, 0), gpus("x2", 1, 0), gpus("y1", 1, 0), gpus("y2", 1, 0));

    Outcome.Placed out = placed(e.place(members));

    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("x1", "x2", "y1", "y2");
    assertThat(placed(e)).containsExactlyInAnyOrder("m1", "m2");

    Scheduler pinned = scheduler(policy, Node.of("n1", 32_000, 65_536, ASCEND, 2), Node.of("n2", 32_000, 65_536, ASCEND, 2));
    placeAll(pinned, gpus("x1", 1, 0), gpus("x2", 1, 0), gpus("y1", 1, 0), gpus("keep", 1, 0, false));
    List<String> before = state(pinned);
    assertThat(pending(pinned.place(members)).cause()).isEqualTo(Outcome.Cause.NO_FIT);
    assertThat(state(pinned)).isEqualTo(before);
    assertThat(pinned.preemptions()).isZero();
  }

  static Task share(String id, int milli, int priority) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, milli, 0))
        .priority(priority).build();
  }
}
