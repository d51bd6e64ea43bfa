package io.flexsched.core;

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

/** Gangs in a {@link SchedulingQueue}: submitted whole, placed whole, preempting across nodes. */
class SchedulingQueueGangTest {
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");

  private static PlacementEngine engine(int nodes) {
    var list = new ArrayList<Node>();
    for (int i = 1; i <= nodes; i++) {
      list.add(Node.of("n" + i, 32_000, 65_536, NPU, 2));
    }
    return PlacementEngine.builder().policy("bestfit").seed(7).assertMode(true).nodes(list).build();
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

  private static List<String> placedIds(SchedulingPass pass) {
    return pass.placed().stream().map(o -> o.decision().task().id()).toList();
  }

  private static List<String> state(PlacementEngine e) {
    return e.assignments().stream().map(Assignment::toString).sorted().toList();
  }

  @Test
  void aGangPreemptsAcrossNodesAndItsVictimsWaitAgain() {
    PlacementEngine e = engine(2);
    SchedulingQueue q = SchedulingQueue.builder(e).build();
    for (String id : List.of("x1", "x2", "y1", "y2")) {
      q.submit(task(id, 1, 0, true, null));
    }
    assertThat(q.schedulePending().placed()).hasSize(4);

    q.submitGang(gang("job", 2, 2, 5, null));
    SchedulingPass pass = q.schedulePending();

    assertThat(placedIds(pass)).containsExactly("job-0", "job-1");
    var victims = new ArrayList<String>();
    var nodes = new ArrayList<String>();
    for (PreemptionOutcome o : pass.placed()) {
      victims.addAll(o.preemptedIds());
      nodes.add(o.decision().assignment().node());
      // Each member names the victims on its own node.
      for (Assignment v : o.preempted()) {
        assertThat(v.node()).isEqualTo(o.decision().assignment().node());
      }
    }
    assertThat(victims).containsExactlyInAnyOrder("x1", "x2", "y1", "y2");
    assertThat(nodes).containsExactlyInAnyOrder("n1", "n2");
    assertThat(q.isRunning("job-0")).isTrue();
    assertThat(q.isRunning("job-1")).isTrue();
    assertThat(q.pending()).extracting(p -> p.task().id()).containsExactly("x1", "x2", "y1", "y2");
    assertThat(q.preemptions()).isEqualTo(4);
    assertThat(q.usage(SchedulingQueue.DEFAULT_QUEUE).gpuMilli()).isEqualTo(4_000);
    q.verify();

    // Members finish one by one; each frees its node for two victims.
    assertThat(q.cancel("job-0")).isPresent();
    assertThat(q.schedulePending().placed()).hasSize(2);
    assertThat(q.usage(SchedulingQueue.DEFAULT_QUEUE).gpuMilli()).isEqualTo(4_000);
    q.verify();
  }

  @Test
  void aGangThatCannotFitEvenAfterEvictionsEvictsNobodyAndEveryMemberIsPending() {
    PlacementEngine e = engine(2);
    SchedulingQueue q = SchedulingQueue.builder(e).build();
    q.submit(task("low", 2, 0, true, null));
    q.submit(task("pinned", 2, 0, false, null));
    q.schedulePending();
    List<String> before = state(e);

    q.submitGang(gang("job", 2, 2, 5, null));
    SchedulingPass pass = q.schedulePending();

    assertThat(pass.placed()).isEmpty();
    assertThat(state(e)).isEqualTo(before);
    assertThat(pass.pending()).extracting(p -> p.task().id()).containsExactly("job-0", "job-1");
    assertThat(pass.pending()).allSatisfy(p -> {
      assertThat(p.cause()).isEqualTo(PendingCause.NO_FIT);
      assertThat(p.nodes()).isNotEmpty();
    });
    assertThat(q.preemptions()).isZero();

    // Once the non-preemptible task ends, the gang preempts low and runs.
    q.cancel("pinned");
    SchedulingPass next = q.schedulePending();
    assertThat(placedIds(next)).containsExactly("job-0", "job-1");
    assertThat(next.preemptions()).isEqualTo(1);
    assertThat(q.isPending("low")).isTrue();
    q.verify();
  }

  @Test
  void placedGangMembersAreNeverVictims() {
    PlacementEngine e = engine(1);
    SchedulingQueue q = SchedulingQueue.builder(e).build();
    q.submitGang(gang("job", 2, 1, 0, null));
    assertThat(placedIds(q.schedulePending())).containsExactly("job-0", "job-1");

    q.submit(task("urgent", 1, 9, true, null));
    SchedulingPass pass = q.schedulePending();

    assertThat(pass.placed()).isEmpty();
    assertThat(q.isRunning("job-0")).isTrue();
    assertThat(q.isRunning("job-1")).isTrue();
    assertThat(q.pending()).extracting(p -> p.task().id()).containsExactly("urgent");
  }

  @Test
  void withdrawingAPendingMemberWithdrawsItsGang() {
    PlacementEngine e = engine(1);
    SchedulingQueue q = SchedulingQueue.builder(e).build();
    q.submitGang(gang("job", 2, 2, 0, null));
    q.schedulePending();
    assertThat(q.isPending("job-1")).isTrue();

    assertThat(q.cancel("job-1")).isEmpty();

    assertThat(q.isPending("job-0")).isFalse();
    assertThat(q.isPending("job-1")).isFalse();
    assertThat(q.pending()).isEmpty();
    assertThat(q.schedulePending().placed()).isEmpty();
  }

  @Test
  void badGangSubmissionsAreRefusedAndChangeNothing() {
    PlacementEngine e = engine(1);
    SchedulingQueue q = SchedulingQueue.builder(e).queue(QueueSpec.builder("a").limitGpuMilli(4_000).build()).build();
    List<Task> members = gang("job", 2, 1, 0, "a");

    assertThatThrownBy(() -> q.submit(members.get(0)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("submitGang");
    assertThatThrownBy(() -> q.submitGang(members.subList(0, 1)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("gang.size");
    List<Task> mixed = List.of(members.get(0), members.get(1).toBuilder().queue(null).build());
    assertThatThrownBy(() -> q.submitGang(mixed))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("must be the same on every member of gang job");
    q.submit(task("job-1", 1, 0, true, "a"));
    assertThatThrownBy(() -> q.submitGang(members))
        .isInstanceOf(InvalidSpecException.class).hasMessage("task.id must not repeat a task that is pending or placed, was 'job-1'");

    assertThat(q.pending()).extracting(p -> p.task().id()).containsExactly("job-1");
    assertThat(e.assignments()).isEmpty();
  }

  @Test
  void aGangKeepsItsQueueWithinItsLimit() {
    PlacementEngine e = engine(2);
    SchedulingQueue q = SchedulingQueue.builder(e).queue(QueueSpec.builder("a").limitGpuMilli(3_000).build()).build();

    q.submitGang(gang("job", 2, 2, 0, "a"));
    SchedulingPass pass = q.schedulePending();

    assertThat(pass.placed()).isEmpty();
    assertThat(pass.pending()).extracting(PendingTask::cause).containsOnly(PendingCause.QUEUE_LIMIT);
    assertThat(e.assignments()).isEmpty();
  }
}
