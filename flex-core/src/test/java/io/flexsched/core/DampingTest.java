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

  @Test
  void offChangesNothingAndTheStandardSettingsAreValid() {
    assertThat(Damping.OFF.off()).isTrue();
    assertThat(Damping.standard().off()).isFalse();
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
