package io.flexsched.core;

import static io.flexsched.core.PassOutcomes.placedIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The queue orders on one node with one GPU, where exactly one waiting request can start whenever
 * the GPU frees: which one each order starts first, with the expected durations and times chosen
 * so that the orders disagree.
 */
class QueueOrderTest {
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
  /** The expected durations the orders read; a task not in it has an unknown duration. */
  private final Map<String, Duration> expected = new HashMap<>();
  private final Function<Task, Duration> estimate = t -> expected.get(t.id());

  private Scheduler scheduler(Scheduler.QueueOrder order) {
    Node node = Node.builder("n1").cpuMilli(64_000).memoryMiB(65_536)
        .devices(DeviceCatalogue.builtIn().require("T4"), 1).build();
    return Scheduler.builder().policy("bestfit").seed(1).node(node).assertMode(true).clock(clock).order(order).build();
  }

  private Task gpu(String id, int priority, Duration duration) {
    if (duration != null) {
      expected.put(id, duration);
    }
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1))
        .priority(priority).build();
  }

  private static Duration hours(double h) {
    return Duration.ofMinutes(Math.round(h * 60));
  }

  /**
   * The order in which {@code s}'s waiting requests start, one at a time on the single GPU: each
   * pass starts one, which the next step releases.
   */
  private static List<String> startOrder(Scheduler s, Clock clock, Duration step) {
    var started = new ArrayList<String>();
    while (!s.pending().isEmpty()) {
      List<String> placed = placedIds(s.schedule());
      assertThat(placed).as("one GPU: one start a pass").hasSize(1);
      started.add(placed.get(0));
      clock.millis += step.toMillis();
      s.release(placed.get(0));
    }
    return started;
  }

  /** Long, short and medium jobs wait behind a running one, in that arrival order. */
  private Scheduler threeJobs(Scheduler.QueueOrder order) {
    Scheduler s = scheduler(order);
    s.place(gpu("running", 0, null));
    s.submit(gpu("long", 0, hours(10)));
    s.submit(gpu("short", 0, hours(1)));
    s.submit(gpu("medium", 0, hours(5)));
    assertThat(placedIds(s.schedule())).isEmpty();
    s.release("running");
    return s;
  }

  @Test
  void fifoStartsTheEarliestArrivalWhateverTheDurations() {
    Scheduler s = threeJobs(Scheduler.QueueOrder.FIFO);
    assertThat(startOrder(s, clock, Duration.ZERO)).containsExactly("long", "short", "medium");
  }

  @Test
  void shortestJobFirstStartsTheShortestExpectedDuration() {
    Scheduler s = threeJobs(Scheduler.QueueOrder.shortestJobFirst(estimate));
    assertThat(startOrder(s, clock, Duration.ZERO)).containsExactly("short", "medium", "long");
  }

  @Test
  void unknownDurationsGoAfterKnownOnesAndFifoAmongThemselves() {
    Scheduler s = scheduler(Scheduler.QueueOrder.shortestJobFirst(estimate));
    s.place(gpu("running", 0, null));
    s.submit(gpu("unknown-1", 0, null));
    s.submit(gpu("long", 0, hours(100)));
    s.submit(gpu("unknown-2", 0, null));
    s.submit(gpu("short", 0, hours(1)));
    s.schedule();
    s.release("running");
    assertThat(startOrder(s, clock, Duration.ZERO)).containsExactly("short", "long", "unknown-1", "unknown-2");
  }

  @Test
  void priorityStillComesBeforeTheOrder() {
    Scheduler s = scheduler(Scheduler.QueueOrder.shortestJobFirst(estimate));
    s.place(gpu("running", 9, null));
    s.submit(gpu("short-low", 0, hours(1)));
    s.submit(gpu("long-high", 1, hours(10)));
    s.schedule();
    s.release("running");
    assertThat(startOrder(s, clock, Duration.ZERO)).containsExactly("long-high", "short-low");
  }

  /**
   * A 10-hour job runs 8 hours and is preempted: 2 hours remain. A 5-hour job arrived meanwhile.
   * SJF starts the 5-hour job (5 < 10); SRTF the preempted one (2 < 5).
   */
  private List<String> afterPreemption(Scheduler.QueueOrder order) {
    Scheduler s = scheduler(order);
    assertThat(s.place(gpu("ten-hours", 0, hours(10))).placed()).isTrue();
    clock.at(hours(8));
    s.submit(gpu("five-hours", 0, hours(5)));
    s.submit(gpu("urgent", 5, hours(1)));
    List<Outcome> pass = s.schedule();
    assertThat(placedIds(pass)).containsExactly("urgent");
    assertThat(s.isPending("ten-hours")).isTrue();
    clock.at(hours(9));
    s.release("urgent");
    return startOrder(s, clock, Duration.ZERO);
  }

  @Test
  void shortestRemainingTimeFirstCountsTheTimeAPreemptedRequestAlreadyRan() {
    assertThat(afterPreemption(Scheduler.QueueOrder.shortestRemainingTimeFirst(estimate)))
        .containsExactly("ten-hours", "five-hours");
  }

  @Test
  void shortestJobFirstIgnoresTheTimeAlreadyRun() {
    assertThat(afterPreemption(Scheduler.QueueOrder.shortestJobFirst(estimate))).containsExactly("five-hours", "ten-hours");
  }

  /**
   * At 6 hours: a 100-hour job waited 6 hours (rho 1.06), a 2-hour job 5 hours (rho 3.5), a 1-hour
   * job 1 hour (rho 2). Themis starts the most starved relative to its length, the 2-hour job,
   * where FIFO starts the 100-hour job and SJF the 1-hour one.
   */
  private Scheduler starved(Scheduler.QueueOrder order) {
    Scheduler s = scheduler(order);
    s.place(gpu("running", 0, null));
    s.submit(gpu("hundred-hours", 0, hours(100)));
    clock.at(hours(1));
    s.submit(gpu("two-hours", 0, hours(2)));
    clock.at(hours(5));
    s.submit(gpu("one-hour", 0, hours(1)));
    s.schedule();
    clock.at(hours(6));
    s.release("running");
    return s;
  }

  @Test
  void finishTimeFairnessStartsTheMostStarvedRelativeToItsLength() {
    assertThat(placedIds(starved(Scheduler.QueueOrder.finishTimeFairness(estimate)).schedule()))
        .containsExactly("two-hours");
    assertThat(placedIds(starved(Scheduler.QueueOrder.FIFO).schedule())).containsExactly("hundred-hours");
    assertThat(placedIds(starved(Scheduler.QueueOrder.shortestJobFirst(estimate)).schedule())).containsExactly("one-hour");
  }

  /**
   * A 2-hour job arrives at 0, a 1-hour job at 1 hour: rho is (t + 2) / 2 against (t - 1 + 1) / 1,
   * equal at t = 2 hours. Before, the 2-hour job goes first; after, the 1-hour one.
   */
  @Test
  void finishTimeFairnessFollowsItsFormulaOverTime() {
    assertThat(twoThenOne(hours(1.5))).isEqualTo("two-hours");
    assertThat(twoThenOne(hours(3))).isEqualTo("one-hour");
  }

  private String twoThenOne(Duration decideAt) {
    clock.at(Duration.ZERO);
    Scheduler s = scheduler(Scheduler.QueueOrder.finishTimeFairness(estimate));
    s.place(gpu("running", 0, null));
    s.submit(gpu("two-hours", 0, hours(2)));
    clock.at(hours(1));
    s.submit(gpu("one-hour", 0, hours(1)));
    s.schedule();
    clock.at(decideAt);
    s.release("running");
    List<String> placed = placedIds(s.schedule());
    assertThat(placed).hasSize(1);
    return placed.get(0);
  }

  /**
   * On a 4-GPU node, a gang of two 2-GPU members of 3 hours each (duration 3 h, work 6 h) and a
   * 4-GPU task of 4 hours wait; only one fits. SJF takes the gang (3 h &lt; 4 h), SRTF the task
   * (4 h &lt; 6 h of work).
   */
  private String gangOrSingle(Scheduler.QueueOrder order) {
    Node node = Node.builder("n4").cpuMilli(64_000).memoryMiB(65_536)
        .devices(DeviceCatalogue.builtIn().require("T4"), 4).build();
    Scheduler s = Scheduler.builder().policy("bestfit").seed(1).node(node).assertMode(true).clock(clock).order(order).build();
    s.place(List.of(Task.builder("running").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(4)).build()));
    var gang = new io.flexsched.model.Gang("g", 2, null, false);
    var members = new ArrayList<Task>();
    for (String id : List.of("g-0", "g-1")) {
      expected.put(id, hours(3));
      members.add(Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).gang(gang).build());
    }
    s.submit(members);
    expected.put("four-gpus", hours(4));
    s.submit(Task.builder("four-gpus").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(4)).build());
    s.schedule();
    s.release("running");
    List<String> placed = placedIds(s.schedule());
    assertThat(placed).isNotEmpty();
    return placed.get(0);
  }

  @Test
  void aGangIsAsLongAsItsLongestMemberAndHoldsTheSumOfItsMembersWork() {
    assertThat(gangOrSingle(Scheduler.QueueOrder.shortestJobFirst(estimate))).isEqualTo("g-0");
    assertThat(gangOrSingle(Scheduler.QueueOrder.shortestRemainingTimeFirst(estimate))).isEqualTo("four-gpus");
  }

  @Test
  void fifoAndShortestJobFirstNeverReadTheClock() {
    InstantSource unreadable = () -> {
      throw new AssertionError("the clock was read");
    };
    for (Scheduler.QueueOrder order : List.of(Scheduler.QueueOrder.FIFO, Scheduler.QueueOrder.shortestJobFirst(estimate))) {
      Node node = Node.builder("n1").cpuMilli(64_000).memoryMiB(65_536)
          .devices(DeviceCatalogue.builtIn().require("T4"), 1).build();
      Scheduler s = Scheduler.builder().node(node).clock(unreadable).order(order).build();
      s.submit(gpu("a-" + order, 0, hours(1)));
      s.submit(gpu("b-" + order, 0, hours(2)));
      assertThat(placedIds(s.schedule())).hasSize(1);
    }
  }

  @Test
  void anEstimateThatFailsRejectsTheSubmissionAndChangesNothing() {
    Function<Task, Duration> faulty = t -> {
      if (t.id().startsWith("bad")) {
        throw new IllegalStateException("no history for " + t.id());
      }
      return t.id().startsWith("negative") ? Duration.ofSeconds(-1) : Duration.ofHours(1);
    };
    Scheduler s = scheduler(Scheduler.QueueOrder.shortestJobFirst(faulty));
    s.place(gpu("running", 0, null));
    s.submit(gpu("good", 0, null));
    assertThatThrownBy(() -> s.submit(gpu("bad", 0, null)))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("queue order 'sjf'").hasMessageContaining("bad").hasMessageContaining("no history");
    assertThatThrownBy(() -> s.submit(gpu("negative", 0, null)))
        .isInstanceOf(PolicyException.class).hasMessageContaining("negative duration");
    assertThat(s.pending()).extracting(p -> p.tasks().get(0).id()).containsExactly("good");
    assertThat(s.isPending("bad")).isFalse();
    s.release("running");
    assertThat(placedIds(s.schedule())).containsExactly("good");
  }

  @Test
  void theOrderIsSetOnceAndOnlyForAScheduler() {
    Scheduler.Builder b = Scheduler.builder().order(Scheduler.QueueOrder.shortestJobFirst(estimate));
    assertThatThrownBy(() -> b.order(Scheduler.QueueOrder.FIFO))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set to sjf");
    assertThatThrownBy(() -> Scheduler.builder().order(Scheduler.QueueOrder.FIFO).buildEngine())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("order");
    assertThatThrownBy(() -> Scheduler.QueueOrder.finishTimeFairness(null)).isInstanceOf(NullPointerException.class);
  }
}
