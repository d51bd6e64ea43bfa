package io.flexsched.core;

import static io.flexsched.core.PassOutcomes.pending;
import static io.flexsched.core.PassOutcomes.placed;
import static io.flexsched.core.PassOutcomes.placedIds;
import static io.flexsched.core.PassOutcomes.preemptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's queues ({@link Scheduler#submit} and {@link Scheduler#schedule} passes), rule by
 * rule, on clusters small enough to work every outcome out by hand.
 */
class SchedulerTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");

  /** A builder with the engine settings of every test here; each test adds its queue settings. */
  private static Scheduler.Builder builder(Node... nodes) {
    return Scheduler.builder().policy("bestfit").seed(7).nodes(List.of(nodes));
  }

  private static Task npu(String id, int count, String queue, int priority, boolean preemptible) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(count))
        .queue(queue).priority(priority).preemptible(preemptible).build();
  }

  private static Task npu(String id, String queue) {
    return npu(id, 1, queue, 0, true);
  }

  private static QueueSpec queue(String name, int guaranteed, int limit, double weight) {
    return QueueSpec.builder(name).guaranteedGpuMilli(guaranteed * 1000L).limitGpuMilli(limit * 1000L).weight(weight).build();
  }

  private static Map<String, Outcome.Pending> pendingById(Scheduler q) {
    var out = new HashMap<String, Outcome.Pending>();
    for (Outcome.Pending p : q.pending()) {
      for (Task t : p.tasks()) {
        out.put(t.id(), p);
      }
    }
    return out;
  }

  @Test
  void sixteenHalfSharesSubmittedAtOnceNeverPutMoreThanOneDeviceOnADevice() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, T4, 2), Node.of("n2", 64_000, 131_072, T4, 2)).build();
    for (int i = 0; i < 16; i++) {
      q.submit(Task.builder("half" + i).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, 500, 0)).build());
    }

    List<Outcome> pass = q.schedule();

    assertThat(placed(pass)).hasSize(8);
    assertThat(pending(pass)).hasSize(8).allSatisfy(p -> {
      assertThat(p.cause()).isEqualTo(Outcome.Cause.NO_FIT);
      assertThat(p.reasons()).containsExactly(Map.entry(RejectReason.INSUFFICIENT_DEVICE_SHARE, 2));
    });
    var perDevice = new HashMap<String, Integer>();
    for (Assignment a : q.cluster().assignments()) {
      for (Slice s : a.slices()) {
        perDevice.merge(a.node() + "/" + s.device(), s.milli(), Integer::sum);
      }
    }
    assertThat(perDevice).hasSize(4).allSatisfy((device, milli) -> assertThat(milli).as(device).isEqualTo(1000));
    OverCommit.check(q);
  }

  @Test
  void equalSharesAlternateBetweenQueuesAndWeightsSkewThem() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).queue(queue("a", 0, 4, 1)).queue(queue("b", 0, 4, 1)).build();
    for (int i = 1; i <= 4; i++) {
      q.submit(npu("a" + i, "a"));
    }
    for (int i = 1; i <= 4; i++) {
      q.submit(npu("b" + i, "b"));
    }
    // Shares tie at 0, then a leads by one task after each of its placements: a1 b1 a2 b2.
    assertThat(placedIds(q.schedule())).containsExactly("a1", "b1", "a2", "b2");

    Scheduler weighted = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).queue(queue("a", 0, 4, 3)).queue(queue("b", 0, 4, 1)).build();
    for (int i = 1; i <= 4; i++) {
      weighted.submit(npu("a" + i, "a"));
      weighted.submit(npu("b" + i, "b"));
    }
    // Share / weight: a's grows by 1/12 per task, b's by 1/4: a1 b1 a2 a3 (a at 3/12 = b's 1/4, a2 arrived first).
    assertThat(placedIds(weighted.schedule())).containsExactly("a1", "b1", "a2", "a3");
  }

  @Test
  void withinAQueueHigherPriorityGoesFirstThenEarlierArrival() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 2)).noPreemption().build();
    q.submit(npu("first", 1, null, 0, true));
    q.submit(npu("urgent", 1, null, 5, true));
    q.submit(npu("second", 1, null, 0, true));
    assertThat(placedIds(q.schedule())).containsExactly("urgent", "first");
    assertThat(pendingById(q)).containsOnlyKeys("second");
  }

  @Test
  void aQueueNeverGoesAboveItsLimitEvenWithRoomToSpare() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).queue(queue("a", 1, 2, 1)).build();
    q.submit(npu("a1", "a"));
    q.submit(npu("a2", "a"));
    q.submit(npu("a3", "a"));
    assertThat(placedIds(q.schedule())).containsExactly("a1", "a2");
    Outcome.Pending why = pendingById(q).get("a3");
    assertThat(why.cause()).isEqualTo(Outcome.Cause.QUEUE_LIMIT);
    assertThat(why.reasons()).containsExactly(Map.entry(RejectReason.QUOTA, 1));
    assertThat(why.detail()).contains("queue a would hold {gpuMilli=3000").contains("above its limit {gpuMilli=2000");
    assertThat(q.usage("a").gpuMilli()).isEqualTo(2000);
  }

  @Test
  void aNonPreemptibleTaskDoesNotBorrow() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).queue(queue("a", 1, 4, 1)).build();
    q.submit(npu("pinned1", 1, "a", 0, false));
    q.submit(npu("pinned2", 1, "a", 0, false));
    q.submit(npu("loose", 1, "a", 0, true));
    assertThat(placedIds(q.schedule())).containsExactly("pinned1", "loose");
    assertThat(pendingById(q).get("pinned2").cause()).isEqualTo(Outcome.Cause.QUEUE_GUARANTEE);
  }

  @Test
  void aQueueTakesBackItsGuaranteeFromABorrowerWhateverThePriorities() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).queue(queue("a", 2, 4, 1)).queue(queue("b", 2, 4, 1)).build();
    for (int i = 1; i <= 4; i++) {
      q.submit(npu("b" + i, 1, "b", 10, true));
    }
    assertThat(placed(q.schedule())).hasSize(4);
    q.submit(npu("a1", 1, "a", 0, true));
    q.submit(npu("a2", 1, "a", 0, true));
    q.submit(npu("a3", 1, "a", 0, true));

    List<Outcome> pass = q.schedule();

    // a1 and a2 reclaim one borrowed NPU each; a3 would take a above its guarantee, so it may not.
    assertThat(placedIds(pass)).containsExactly("a1", "a2");
    assertThat(preemptions(pass)).isEqualTo(2);
    assertThat(placed(pass)).allSatisfy(o -> assertThat(o.preempted()).hasSize(1));
    assertThat(q.usage("a").gpuMilli()).isEqualTo(2000);
    assertThat(q.usage("b").gpuMilli()).isEqualTo(2000);
    assertThat(pendingById(q)).containsOnlyKeys("a3", placed(pass).get(0).preemptedIds().get(0),
        placed(pass).get(1).preemptedIds().get(0));
    assertThat(q.preemptions()).isEqualTo(2);
  }

  @Test
  void aQueueWithinItsGuaranteeIsNotReclaimedFrom() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).queue(queue("a", 2, 4, 1)).queue(queue("b", 2, 4, 1)).build();
    q.submit(npu("a1", "a"));
    q.submit(npu("a2", "a"));
    q.submit(npu("a3", "a"));
    q.submit(npu("a4", "a"));
    assertThat(placed(q.schedule())).hasSize(4);
    // b wants 2 (its guarantee); a borrows 2 beyond its own, so exactly 2 of a's come back.
    q.submit(npu("b1", "b"));
    q.submit(npu("b2", "b"));
    q.submit(npu("b3", "b"));
    List<Outcome> pass = q.schedule();
    assertThat(placedIds(pass)).containsExactly("b1", "b2");
    assertThat(q.usage("a").gpuMilli()).isEqualTo(2000);
    // a now holds exactly its guarantee: b3 (beyond b's guarantee) may not take more from it.
    assertThat(pendingById(q).get("b3").cause()).isEqualTo(Outcome.Cause.NO_FIT);
  }

  @Test
  void priorityPreemptionInsideAFullQueueMakesRoomInItsQuota() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).queue(queue("a", 2, 2, 1)).build();
    q.submit(npu("low1", 1, "a", 0, true));
    q.submit(npu("low2", 1, "a", 1, true));
    q.schedule();
    q.submit(npu("high", 1, "a", 5, true));

    List<Outcome> pass = q.schedule();

    // The cluster has room, the queue has not: the lowest priority of the queue goes.
    assertThat(placedIds(pass)).containsExactly("high");
    assertThat(placed(pass).get(0).preemptedIds()).containsExactly("low1");
    assertThat(pendingById(q).get("low1").cause()).isEqualTo(Outcome.Cause.QUEUE_LIMIT);
  }

  @Test
  void aPreemptedTaskReturnsToPendingAndRunsAgainWhenRoomFrees() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 1)).build();
    q.submit(npu("low", 1, null, 0, true));
    q.schedule();
    q.submit(npu("high", 1, null, 1, true));
    List<Outcome> pass = q.schedule();
    assertThat(placed(pass).get(0).preemptedIds()).containsExactly("low");
    assertThat(q.isPending("low")).isTrue();
    assertThat(pendingById(q).get("low").cause()).isEqualTo(Outcome.Cause.NO_FIT);

    assertThat(q.cancel("high")).isPresent();
    assertThat(placedIds(q.schedule())).containsExactly("low");
  }

  @Test
  void strictFifoBlocksTheQueueBehindItsHead() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 2)).strictFifo().noPreemption().build();
    q.submit(npu("hold", 1, null, 0, true));
    q.schedule();
    q.submit(npu("big", 2, null, 0, true));
    q.submit(npu("small", 1, null, 0, true));
    assertThat(placed(q.schedule())).isEmpty();
    Outcome.Pending small = pendingById(q).get("small");
    assertThat(small.cause()).isEqualTo(Outcome.Cause.BLOCKED);
    assertThat(small.detail()).isEqualTo("strict FIFO: waits behind big in queue default");
  }

  @Test
  void backfillLetsSmallTasksPassUntilTheLargeOneGetsAReservation() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).backfill(2).noPreemption().build();
    q.submit(npu("x1", "default"));
    q.submit(npu("x2", "default"));
    q.schedule();
    q.submit(npu("big", 4, null, 0, true));
    q.submit(npu("s1", "default"));
    q.submit(npu("s2", "default"));

    // s1 and s2 pass big (two passes): big now holds n1.
    assertThat(placedIds(q.schedule())).containsExactly("s1", "s2");
    assertThat(q.reservation()).contains("big@n1");

    q.cancel("x1");
    q.submit(npu("s3", "default"));
    assertThat(placed(q.schedule())).isEmpty();
    Outcome.Pending s3 = pendingById(q).get("s3");
    assertThat(s3.cause()).isEqualTo(Outcome.Cause.RESERVED);
    assertThat(s3.detail()).isEqualTo("only node n1 could take it, and it is reserved for big");

    q.cancel("x2");
    q.cancel("s1");
    q.cancel("s2");
    assertThat(placedIds(q.schedule())).containsExactly("big");
    assertThat(q.reservation()).isEmpty();
  }

  @Test
  void aReservationHoldsOnlyItsNodeOthersStillTakeTheRest() {
    // A policy that sends every task to n1 while it fits, so small tasks would take the reserved node.
    ScoringPolicy preferN1 = SchedulerTest.preferring("n1");
    Scheduler q = Scheduler.builder().policy(preferN1).seed(7)
        .node(Node.of("n1", 64_000, 131_072, NPU, 4)).node(Node.of("n2", 64_000, 131_072, NPU, 2))
        .backfill(1).noPreemption().build();
    q.submit(npu("x1", "default"));
    q.submit(npu("x2", "default"));
    q.schedule();
    q.submit(npu("big", 4, null, 0, true));
    q.submit(npu("s1", "default"));
    // s1 passes big once: big, which only n1 can ever hold, gets n1.
    assertThat(placedIds(q.schedule())).containsExactly("s1");
    assertThat(q.reservation()).contains("big@n1");

    q.submit(npu("s2", "default"));
    List<Outcome> pass = q.schedule();
    // The policy would pick n1, which still has a free NPU, but n1 is held for big: s2 goes to n2.
    assertThat(placedIds(pass)).containsExactly("s2");
    assertThat(placed(pass).get(0).assignment().node()).isEqualTo("n2");
    assertThat(q.cluster().node("n1").idleDevices()).isEqualTo(1);
  }

  @Test
  void withoutAReservationTheLargeTaskStarves() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 4)).backfill(1_000).noPreemption().build();
    q.submit(npu("x1", "default"));
    q.schedule();
    q.submit(npu("big", 4, null, 0, true));
    // Small tasks keep arriving, and one finishes before each new one once the node is full:
    // every freed NPU goes to the next small task before big can have four.
    var running = new ArrayList<>(List.of("x1"));
    for (int i = 0; i < 8; i++) {
      q.submit(npu("s" + i, "default"));
      if (i >= 3) {
        q.cancel(running.remove(0));
      }
      assertThat(placedIds(q.schedule())).containsExactly("s" + i);
      running.add("s" + i);
    }
    assertThat(q.reservation()).isEmpty();
    assertThat(q.isPending("big")).isTrue();
  }

  @Test
  void cancelWithdrawsPendingAndReleasesPlacedTasks() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 1)).build();
    q.submit(npu("a", "default"));
    q.submit(npu("b", "default"));
    q.schedule();
    assertThat(q.cancel("b")).isEmpty();
    assertThat(q.cancel("a")).map(Assignment::node).contains("n1");
    assertThat(q.cluster().assignments()).isEmpty();
    assertThat(q.pending()).isEmpty();
    assertThatThrownBy(() -> q.cancel("a")).isInstanceOf(InvalidSpecException.class)
        .hasMessage("task must be a task pending or placed on this cluster, was 'a'")
        .extracting(x -> ((InvalidSpecException) x).field()).isEqualTo("task");
  }

  @Test
  void badSubmissionsAreRefusedAndChangeNothing() {
    Scheduler q = builder(Node.of("n1", 64_000, 131_072, NPU, 1)).queue(queue("a", 0, 1, 1)).build();
    q.submit(npu("a1", "a"));
    assertThatThrownBy(() -> q.submit(npu("a1", "a")))
        .isInstanceOf(InvalidSpecException.class).hasMessage("task.id must not repeat a task that is pending or placed, was 'a1'");
    assertThatThrownBy(() -> q.submit(npu("z", "nowhere")))
        .isInstanceOf(InvalidSpecException.class).hasMessage("queue must be one of the queues [a, default], was 'nowhere'");
    Task gang = npu("g", "a").toBuilder().gang(new Gang("job", 2, null, false)).build();
    assertThatThrownBy(() -> q.submit(gang)).isInstanceOf(InvalidSpecException.class)
        .hasMessage("gang job members must number gang.size 2, was 1");
    assertThat(q.pending()).extracting(p -> p.tasks().get(0).id()).containsExactly("a1");
    assertThat(q.cluster().assignments()).isEmpty();
  }

  @Test
  void settingsAreGivenOnce() {
    assertThatThrownBy(() -> builder(Node.of("n1", 64_000, 131_072, NPU, 1)).strictFifo().backfill(3))
        .isInstanceOf(IllegalStateException.class).hasMessage("ordering was already set to strict FIFO");
    assertThatThrownBy(() -> Scheduler.builder().preemption("exact").noPreemption())
        .isInstanceOf(IllegalStateException.class).hasMessage("preemption was already set to exact");
    assertThatThrownBy(() -> Scheduler.builder().preemption("optimal"))
        .isInstanceOf(InvalidSpecException.class).hasMessage("preemption must be one of [exact, greedy], was 'optimal'");
    assertThatThrownBy(() -> Scheduler.builder().strictFifo().buildEngine())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ordering given, but a plain engine has no queue: use build() for a Scheduler");
    assertThatThrownBy(() -> QueueSpec.builder("q").guaranteedGpuMilli(3000).limitGpuMilli(2000).build())
        .isInstanceOf(InvalidSpecException.class).hasMessage("queue q guaranteedGpus must be at most limitGpus 2.0, was 3.0");
  }

  /** A policy that sends every task to {@code node} while it fits there, anywhere else otherwise. */
  static ScoringPolicy preferring(String node) {
    return new ScoringPolicy() {
      @Override
      public String name() {
        return "prefer-" + node;
      }

      @Override
      public double score(Task task, NodeView view, DeviceChoice choice, DecisionContext context) {
        selectDevices(task, view, choice);
        return view.spec().name().equals(node) ? 1 : 0;
      }

      @Override
      public boolean dependsOnlyOnNodeState() {
        return false;
      }
    };
  }
}
