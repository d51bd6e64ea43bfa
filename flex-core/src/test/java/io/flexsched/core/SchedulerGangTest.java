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
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Gangs in a {@link Scheduler}'s queues: submitted whole, placed whole (one outcome with every
 * member), preempting across nodes.
 */
class SchedulerGangTest {
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");

  /** A builder with {@code nodes} nodes of two NPUs and the engine settings of every test here. */
  private static Scheduler.Builder builder(int nodes) {
    var list = new ArrayList<Node>();
    for (int i = 1; i <= nodes; i++) {
      list.add(Node.of("n" + i, 32_000, 65_536, NPU, 2));
    }
    return Scheduler.builder().policy("bestfit").seed(7).assertMode(true).nodes(list);
  }

  private static Task task(String id, int gpus, int priority, boolean preemptible, @Nullable String queue) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(gpus))
        .priority(priority).preemptible(preemptible).queue(queue).build();
  }

  private static List<Task> gang(String name, int size, int gpus, int priority, @Nullable String queue) {
    var out = new ArrayList<Task>();
    for (int i = 0; i < size; i++) {
      out.add(task(name + "-" + i, gpus, priority, true, queue).toBuilder().gang(new Gang(name, size, null, false)).build());
    }
    return out;
  }

  private static List<String> state(Scheduler q) {
    return q.cluster().assignments().stream().map(Assignment::toString).sorted().toList();
  }

  private static boolean isRunning(Scheduler q, String id) {
    return q.cluster().task(id).isPresent();
  }

  private static List<String> pendingIds(Scheduler q) {
    return q.pending().stream().flatMap(p -> p.tasks().stream()).map(Task::id).toList();
  }

  @Test
  void aGangPreemptsAcrossNodesAndItsVictimsWaitAgain() {
    Scheduler q = builder(2).build();
    for (String id : List.of("x1", "x2", "y1", "y2")) {
      q.submit(task(id, 1, 0, true, null));
    }
    assertThat(placed(q.schedule())).hasSize(4);

    List<Task> members = gang("job", 2, 2, 5, null);
    q.submit(members);
    List<Outcome> pass = q.schedule();

    assertThat(placedIds(pass)).containsExactly("job-0", "job-1");
    assertThat(placed(pass)).hasSize(1);
    Outcome.Placed out = placed(pass).get(0);
    assertThat(out.tasks()).as("one outcome, members in order").isEqualTo(members);
    var victims = new ArrayList<String>();
    var nodes = new ArrayList<String>();
    for (Task m : out.tasks()) {
      String node = out.assignment(m.id()).node();
      nodes.add(node);
      // Each member is charged with the victims on its own node.
      for (Assignment v : out.preemptedFor(m.id())) {
        victims.add(v.task());
        assertThat(v.node()).isEqualTo(node);
      }
    }
    assertThat(victims).containsExactlyInAnyOrder("x1", "x2", "y1", "y2");
    assertThat(out.preemptedIds()).containsExactlyInAnyOrderElementsOf(victims);
    assertThat(nodes).containsExactlyInAnyOrder("n1", "n2");
    assertThat(isRunning(q, "job-0")).isTrue();
    assertThat(isRunning(q, "job-1")).isTrue();
    assertThat(pendingIds(q)).containsExactly("x1", "x2", "y1", "y2");
    assertThat(q.preemptions()).isEqualTo(4);
    assertThat(q.usage(Scheduler.DEFAULT_QUEUE).gpuMilli()).isEqualTo(4_000);
    q.verifyAccounting();

    // Members finish one by one; each frees its node for two victims.
    assertThat(q.cancel("job-0")).isPresent();
    assertThat(placed(q.schedule())).hasSize(2);
    assertThat(q.usage(Scheduler.DEFAULT_QUEUE).gpuMilli()).isEqualTo(4_000);
    q.verifyAccounting();
  }

  @Test
  void aGangThatCannotFitEvenAfterEvictionsEvictsNobodyAndEveryMemberIsPending() {
    Scheduler q = builder(2).build();
    q.submit(task("low", 2, 0, true, null));
    q.submit(task("pinned", 2, 0, false, null));
    q.schedule();
    List<String> before = state(q);

    List<Task> members = gang("job", 2, 2, 5, null);
    q.submit(members);
    List<Outcome> pass = q.schedule();

    assertThat(placed(pass)).isEmpty();
    assertThat(state(q)).isEqualTo(before);
    // One pending outcome for the gang, with every member.
    assertThat(pending(pass)).hasSize(1);
    assertThat(pending(pass).get(0).tasks()).isEqualTo(members);
    assertThat(pending(pass)).allSatisfy(p -> {
      assertThat(p.cause()).isEqualTo(Outcome.Cause.NO_FIT);
      assertThat(p.reasons()).isNotEmpty();
    });
    assertThat(q.preemptions()).isZero();

    // Once the non-preemptible task ends, the gang preempts low and runs.
    q.cancel("pinned");
    List<Outcome> next = q.schedule();
    assertThat(placedIds(next)).containsExactly("job-0", "job-1");
    assertThat(preemptions(next)).isEqualTo(1);
    assertThat(q.isPending("low")).isTrue();
    q.verifyAccounting();
  }

  @Test
  void aPlacedGangIsEvictedWholeNeverOneMember() {
    Scheduler q = builder(1).build();
    List<Task> job = gang("job", 2, 1, 0, null);
    q.submit(job);
    assertThat(placedIds(q.schedule())).containsExactly("job-0", "job-1");

    // One NPU would do, but a gang is one victim: both members go, and it waits again whole.
    q.submit(task("urgent", 1, 9, true, null));
    List<Outcome> pass = q.schedule();

    assertThat(placedIds(pass)).containsExactly("urgent");
    assertThat(placed(pass).get(0).preemptedIds()).containsExactlyInAnyOrder("job-0", "job-1");
    assertThat(isRunning(q, "job-0") || isRunning(q, "job-1")).isFalse();
    assertThat(q.pending()).hasSize(1);
    assertThat(q.pending().get(0).tasks()).isEqualTo(job);
    q.verifyAccounting();
  }

  @Test
  void withdrawingAPendingMemberWithdrawsItsGang() {
    Scheduler q = builder(1).build();
    q.submit(gang("job", 2, 2, 0, null));
    q.schedule();
    assertThat(q.isPending("job-1")).isTrue();

    assertThat(q.cancel("job-1")).isEmpty();

    assertThat(q.isPending("job-0")).isFalse();
    assertThat(q.isPending("job-1")).isFalse();
    assertThat(q.pending()).isEmpty();
    assertThat(q.schedule()).isEmpty();
  }

  @Test
  void badGangSubmissionsAreRefusedAndChangeNothing() {
    Scheduler q = builder(1).queue(QueueSpec.builder("a").limitGpuMilli(4_000).build()).build();
    List<Task> members = gang("job", 2, 1, 0, "a");

    // A member alone is a request of one: an incomplete gang (the old API said "use submitGang").
    assertThatThrownBy(() -> q.submit(members.get(0)))
        .isInstanceOf(InvalidSpecException.class).hasMessage("gang job members must number gang.size 2, was 1");
    assertThatThrownBy(() -> q.submit(members.subList(0, 1)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("gang.size");
    List<Task> mixed = List.of(members.get(0), members.get(1).toBuilder().queue(null).build());
    assertThatThrownBy(() -> q.submit(mixed))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("must be the same on every member of gang job");
    q.submit(task("job-1", 1, 0, true, "a"));
    assertThatThrownBy(() -> q.submit(members))
        .isInstanceOf(InvalidSpecException.class).hasMessage("task.id must not repeat a task that is pending or placed, was 'job-1'");

    assertThat(pendingIds(q)).containsExactly("job-1");
    assertThat(q.cluster().assignments()).isEmpty();
  }

  @Test
  void aGangKeepsItsQueueWithinItsLimit() {
    Scheduler q = builder(2).queue(QueueSpec.builder("a").limitGpuMilli(3_000).build()).build();

    q.submit(gang("job", 2, 2, 0, "a"));
    List<Outcome> pass = q.schedule();

    assertThat(placed(pass)).isEmpty();
    assertThat(pending(pass)).extracting(Outcome.Pending::cause).containsExactly(Outcome.Cause.QUEUE_LIMIT);
    assertThat(q.cluster().assignments()).isEmpty();
  }
}
