package io.flexsched.core;

import static io.flexsched.core.PassOutcomes.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Churn damping, rule by rule, on one node with one GPU: who may be a victim as the scheduler's
 * clock moves, with nothing else changing in between (so a failed attempt remembered earlier must
 * not stand in for a new one).
 */
class DampingTest {
  /** A clock the test moves by hand. */
  private static final class Clock implements InstantSource {
    long millis;

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    void at(Duration d) {
      millis = d.toMillis();
    }
  }

  private final Clock clock = new Clock();

  private Scheduler scheduler(Damping damping) {
    Node node = Node.builder("n1").cpuMilli(64_000).memoryMiB(65_536)
        .devices(DeviceCatalogue.builtIn().require("T4"), 1).build();
    return Scheduler.builder().policy("bestfit").seed(1).node(node).damping(damping).clock(clock).build();
  }

  private static Task gpu(String id, int priority) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1))
        .priority(priority).build();
  }

  private static Damping only(Duration minRunTime, int maxPreemptions, Duration window, Duration cooling,
      Duration waitBudget, int gap) {
    return new Damping(minRunTime, maxPreemptions, window, cooling, waitBudget, gap);
  }

  @Test
  void aTaskWithinItsMinimumRunTimeIsNeverAVictim() {
    Scheduler s = scheduler(only(Duration.ofMinutes(10), Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1));
    assertThat(s.place(gpu("low", 0)).placed()).isTrue();
    clock.at(Duration.ofMinutes(9).plusSeconds(59));
    s.submit(gpu("high", 5));
    assertThat(placed(s.schedule())).isEmpty();
    assertThat(s.cluster().task("low")).isPresent();

    clock.at(Duration.ofMinutes(10));
    List<Outcome> pass = s.schedule();
    assertThat(placed(pass)).hasSize(1);
    assertThat(placed(pass).get(0).tasks()).extracting(Task::id).containsExactly("high");
    assertThat(placed(pass).get(0).preemptedIds()).containsExactly("low");
  }

  @Test
  void aRequestWaitsItsBudgetUnlessItOutranksTheVictimByTheGap() {
    Scheduler s = scheduler(only(Duration.ZERO, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5), 2));
    s.place(gpu("low", 0));
    s.submit(gpu("mid", 1));
    assertThat(placed(s.schedule())).isEmpty();
    clock.at(Duration.ofMinutes(4));
    assertThat(placed(s.schedule())).isEmpty();
    clock.at(Duration.ofMinutes(5));
    assertThat(placed(s.schedule())).singleElement().satisfies(p -> assertThat(p.preemptedIds()).containsExactly("low"));

    // Two levels above its victim, a request preempts at once.
    Scheduler t = scheduler(only(Duration.ZERO, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5), 2));
    t.place(gpu("low", 0));
    Outcome top = t.place(gpu("top", 2));
    assertThat(top).isInstanceOfSatisfying(Outcome.Placed.class, p -> assertThat(p.preemptedIds()).containsExactly("low"));
  }

  @Test
  void aTaskPreemptedTooOftenIsProtectedForTheCoolingPeriod() {
    Scheduler s = scheduler(only(Duration.ZERO, 2, Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO, 1));
    s.place(gpu("low", 0));
    for (int round = 1; round <= 2; round++) {
      clock.at(Duration.ofMinutes(10L * round));
      Outcome o = s.place(gpu("high" + round, 5));
      assertThat(o).as("preemption %d", round)
          .isInstanceOfSatisfying(Outcome.Placed.class, p -> assertThat(p.preemptedIds()).containsExactly("low"));
      s.release("high" + round);
      assertThat(placed(s.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("low");
    }
    // Preempted at 10 and 20 minutes: protected until 20 minutes + 1 hour.
    clock.at(Duration.ofMinutes(79));
    s.submit(gpu("high3", 5));
    assertThat(placed(s.schedule())).isEmpty();
    clock.at(Duration.ofMinutes(80));
    assertThat(placed(s.schedule())).singleElement().satisfies(p -> assertThat(p.preemptedIds()).containsExactly("low"));
  }

  @Test
  void preemptionsFurtherApartThanTheWindowDoNotProtect() {
    Scheduler s = scheduler(only(Duration.ZERO, 2, Duration.ofMinutes(30), Duration.ofHours(1), Duration.ZERO, 1));
    s.place(gpu("low", 0));
    for (int round = 1; round <= 3; round++) {
      clock.at(Duration.ofMinutes(40L * round));
      Outcome o = s.place(gpu("high" + round, 5));
      assertThat(o.placed()).as("preemption %d, 40 minutes after the last", round).isTrue();
      s.release("high" + round);
      s.schedule();
    }
  }

  /** Protected after 2 preemptions within an hour, for an hour; victims go at once; yields as asked. */
  private static Damping capTwo(boolean yield) {
    return new Damping(Duration.ZERO, 2, Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO, 1, yield);
  }

  /** Preempts {@code low} twice (at 10 and 20 minutes), leaving it pending, protected, and the GPU to high2. */
  private void preemptTwice(Scheduler s) {
    clock.at(Duration.ZERO);
    s.place(gpu("low", 0));
    for (int round = 1; round <= 2; round++) {
      clock.at(Duration.ofMinutes(10L * round));
      assertThat(s.place(gpu("high" + round, 5))).as("preemption %d", round)
          .isInstanceOfSatisfying(Outcome.Placed.class, p -> assertThat(p.preemptedIds()).containsExactly("low"));
      if (round == 1) {
        s.release("high1");
        assertThat(placed(s.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("low");
      }
    }
  }

  private static Task twoGpus(String id, int priority) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2))
        .priority(priority).build();
  }

  @Test
  void aProtectedTaskGivesWayWhileAHigherPriorityRequestWaits() {
    Scheduler s = scheduler(capTwo(true));
    preemptTwice(s);
    // Two GPUs never fit this one-GPU node: "wide" waits for room the whole pass.
    s.submit(twoGpus("wide", 3));
    clock.at(Duration.ofMinutes(30));
    s.release("high2");
    List<Outcome> pass = s.schedule();
    assertThat(placed(pass)).isEmpty();
    assertThat(s.cluster().task("low")).isEmpty();
    assertThat(s.pending()).filteredOn(p -> p.tasks().get(0).id().equals("low")).singleElement().satisfies(p -> {
      assertThat(p.cause()).isEqualTo(Outcome.Cause.BLOCKED);
      assertThat(p.detail()).contains("gives way while wide (priority 3) waits");
    });

    // Once no higher-priority request waits, it is placed (and stays protected).
    s.cancel("wide");
    assertThat(placed(s.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("low");
    s.submit(gpu("high3", 5));
    assertThat(placed(s.schedule())).isEmpty();
  }

  @Test
  void withoutYieldingTheProtectedTaskTakesTheRoomAndATaskNotProtectedNeverYields() {
    Scheduler s = scheduler(capTwo(false));
    preemptTwice(s);
    s.submit(twoGpus("wide", 3));
    clock.at(Duration.ofMinutes(30));
    s.release("high2");
    assertThat(placed(s.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("low");

    // Yielding, but preempted once only: not protected, so it does not give way.
    Scheduler t = scheduler(capTwo(true));
    clock.at(Duration.ZERO);
    t.place(gpu("low", 0));
    clock.at(Duration.ofMinutes(10));
    assertThat(t.place(gpu("high1", 5)).placed()).isTrue();
    t.submit(twoGpus("wide", 3));
    t.release("high1");
    assertThat(placed(t.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("low");

    // Protected, but the one waiting is not of higher priority: no reason to give way.
    Scheduler u = scheduler(capTwo(true));
    preemptTwice(u);
    u.submit(twoGpus("wide", 0));
    clock.at(Duration.ofMinutes(30));
    u.release("high2");
    assertThat(placed(u.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("low");
  }

  /**
   * Two nodes of two GPUs, one GPU busy on each, then one on the first as well, and "wide" (two
   * GPUs, priority 0) holding a reservation on the second.
   */
  private Scheduler reservedForWide(boolean yield) {
    var nodes = new java.util.ArrayList<Node>();
    for (String name : List.of("n1", "n2")) {
      nodes.add(Node.builder(name).cpuMilli(64_000).memoryMiB(65_536)
          .devices(DeviceCatalogue.builtIn().require("T4"), 2).build());
    }
    Damping d = new Damping(Duration.ZERO, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1, yield);
    Scheduler s = Scheduler.builder().policy("bestfit").seed(1).nodes(nodes).noPreemption().backfill(1).damping(d)
        .clock(clock).build();
    // Each takes most of a node's CPU, so they go to different nodes.
    for (String id : List.of("f1", "f2")) {
      assertThat(s.place(Task.builder(id).cpuMilli(40_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1))
          .build()).placed()).isTrue();
    }
    s.submit(twoGpus("wide", 0));
    s.submit(gpu("small", 0));
    // wide fails, small is placed past it: wide, passed once, gets a reservation on the node with a GPU free.
    assertThat(placed(s.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("small");
    assertThat(s.reservation()).get().asString().startsWith("wide@");
    return s;
  }

  @Test
  void aReservationDoesNotHoldOffARequestOfHigherPriorityWhenYielding() {
    Scheduler s = reservedForWide(true);
    String reserved = s.reservation().orElseThrow().substring("wide@".length());
    s.submit(gpu("urgent", 5));
    assertThat(placed(s.schedule())).singleElement().satisfies(p -> {
      assertThat(p.tasks().get(0).id()).isEqualTo("urgent");
      assertThat(p.assignments().get(0).node()).isEqualTo(reserved);
    });
    // Of the holder's priority, a request is still held off.
    s.submit(gpu("peer", 0));
    s.release("urgent");
    assertThat(placed(s.schedule())).extracting(p -> p.tasks().get(0).id()).doesNotContain("peer");
  }

  @Test
  void withoutYieldingAReservationHoldsOffEveryOtherRequest() {
    Scheduler s = reservedForWide(false);
    s.submit(gpu("urgent", 5));
    assertThat(placed(s.schedule())).isEmpty();
    assertThat(s.pending()).filteredOn(p -> p.tasks().get(0).id().equals("urgent")).singleElement()
        .satisfies(p -> assertThat(p.cause()).isEqualTo(Outcome.Cause.RESERVED));
  }

  @Test
  void offChangesNothingAndTheStandardSettingsAreValid() {
    assertThat(Damping.OFF.off()).isTrue();
    assertThat(Damping.standard().off()).isFalse();
    assertThat(Damping.OFF.yieldToHigherPriority()).isFalse();
    assertThat(Damping.standard().yieldToHigherPriority()).isFalse();
    assertThat(Damping.yielding().off()).isFalse();
    assertThat(Damping.yielding().yieldToHigherPriority()).isTrue();
    assertThat(Damping.yielding().maxPreemptions()).isEqualTo(2);
    Scheduler s = scheduler(Damping.OFF);
    s.place(gpu("low", 0));
    assertThat(s.place(gpu("high", 1))).isInstanceOfSatisfying(Outcome.Placed.class,
        p -> assertThat(p.preemptedIds()).containsExactly("low"));
  }

  @Test
  void badSettingsNameTheFieldAndAPlainEngineRefusesThem() {
    assertThatThrownBy(() -> only(Duration.ofSeconds(-1), 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1))
        .isInstanceOf(InvalidSpecException.class).hasMessage("damping.minRunTime must be a duration of zero or more, was PT-1S");
    assertThatThrownBy(() -> only(Duration.ZERO, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1))
        .isInstanceOf(InvalidSpecException.class).hasMessage("damping.maxPreemptions must be at least 1, was 0");
    assertThatThrownBy(() -> only(Duration.ZERO, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0))
        .isInstanceOf(InvalidSpecException.class).hasMessage("damping.priorityGap must be at least 1, was 0");
    assertThatThrownBy(() -> Scheduler.builder().damping(Damping.standard()).buildEngine())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("damping given");
  }
}
