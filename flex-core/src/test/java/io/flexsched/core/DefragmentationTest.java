package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine.Defragmentation;
import io.flexsched.core.PlacementEngine.DisruptionBudget;
import io.flexsched.core.PlacementEngine.Migration;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.PreemptionPolicy.MigrationPolicy;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Defragmentation scenario by scenario (issue 17): clusters small enough that the plan is worked
 * out by hand. Each scenario first fragments the cluster: it fills every GPU with one-GPU tasks,
 * then releases some on chosen nodes, so the free GPUs are scattered whatever node each task went to.
 */
class DefragmentationTest {
  /** Tasks whose id starts with {@code web-} are disruption group {@code web}. */
  private static final MigrationPolicy WEB_GROUP = new MigrationPolicy() {
    @Override
    public @Nullable String group(Task task) {
      return task.id().startsWith("web-") ? "web" : null;
    }
  };

  static Task gpus(String id, int count, int priority) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(count))
        .priority(priority).build();
  }

  private static Scheduler.Builder builder(int nodes, int gpusPerNode) {
    var b = Scheduler.builder().policy("bestfit").seed(3).assertMode(true).noPreemption();
    for (int i = 0; i < nodes; i++) {
      b.node(Node.of("n" + i, 64_000, 262_144, "T4", gpusPerNode));
    }
    return b;
  }

  /**
   * Fills every GPU with one-GPU tasks named {@code prefix + i} (priority {@code priority}), then
   * releases {@code free[i]} of them on node {@code n<i>}; returns the tasks left per node.
   */
  private static List<List<String>> fragment(Scheduler s, String prefix, int priority, int... free) {
    int total = 0;
    for (Node n : s.cluster().nodes()) {
      total += n.devices().size();
    }
    for (int i = 0; i < total; i++) {
      assertThat(s.place(gpus(prefix + i, 1, priority)).placed()).isTrue();
    }
    var left = new ArrayList<List<String>>();
    for (int i = 0; i < free.length; i++) {
      var on = new ArrayList<String>();
      for (Assignment a : s.cluster().assignments()) {
        if (a.node().equals("n" + i)) {
          on.add(a.task());
        }
      }
      for (int k = 0; k < free[i]; k++) {
        s.release(on.remove(0));
      }
      left.add(on);
    }
    return left;
  }

  private static List<String> state(PlacementEngine s) {
    return s.cluster().assignments().stream().map(Assignment::toString).sorted().toList();
  }

  @Test
  void oneMoveSufficesAndOneIsMade() {
    Scheduler s = builder(2, 2).build();
    List<List<String>> left = fragment(s, "t", 0, 1, 1);
    Defragmentation d = s.defragment(List.of(gpus("big", 2, 0)), DisruptionBudget.moves(3));
    assertThat(d.outcome().placed()).isTrue();
    assertThat(d.migrations()).hasSize(1);
    Migration m = d.migrations().get(0);
    String target = ((Outcome.Placed) d.outcome()).assignment().node();
    assertThat(m.fromNode()).isEqualTo(target);
    assertThat(m.toNode()).isNotEqualTo(target);
    assertThat(s.cluster().assignment(m.task()).orElseThrow()).isEqualTo(m.to());
    assertThat(left.get(0).contains(m.task()) || left.get(1).contains(m.task())).isTrue();
    // The other task, and the moved one's queue entry, are as before.
    assertThat(s.cluster().assignments()).hasSize(3);
    assertThat(s.migrations()).containsExactly(java.util.Map.entry("big", List.of(m)));
    s.verifyAccounting();
  }

  @Test
  void twoMovesNeededButTheBudgetAllowsOneMovesNothing() {
    Scheduler s = builder(2, 4).build();
    fragment(s, "t", 0, 2, 2);
    List<String> before = state(s);
    Defragmentation d = s.defragment(List.of(gpus("big", 4, 0)), DisruptionBudget.moves(1));
    assertThat(d.outcome().placed()).isFalse();
    assertThat(d.migrations()).isEmpty();
    assertThat(state(s)).isEqualTo(before);
    s.verifyAccounting();
    // With two moves allowed the same request fits, by exactly two.
    Defragmentation two = s.defragment(List.of(gpus("big", 4, 0)), DisruptionBudget.moves(2));
    assertThat(two.outcome().placed()).isTrue();
    assertThat(two.migrations()).hasSize(2);
    s.verifyAccounting();
  }

  @Test
  void aGroupsMinimumAvailableIsNeverViolated() {
    Scheduler strict = builder(2, 2).migration(WEB_GROUP).build();
    fragment(strict, "web-", 0, 1, 1);
    List<String> before = state(strict);
    DisruptionBudget budget = DisruptionBudget.moves(3).minAvailable("web", 2);
    Defragmentation d = strict.defragment(List.of(gpus("big", 2, 0)), budget);
    assertThat(d.outcome().placed()).isFalse();
    assertThat(state(strict)).isEqualTo(before);

    Scheduler loose = builder(2, 2).migration(WEB_GROUP).build();
    fragment(loose, "web-", 0, 1, 1);
    Defragmentation one = loose.defragment(List.of(gpus("big", 2, 0)), DisruptionBudget.moves(3).minAvailable("web", 1));
    assertThat(one.outcome().placed()).isTrue();
    assertThat(one.migrations()).hasSize(1);
  }

  @Test
  void aHigherPriorityTaskIsNeverMovedForALowerOne() {
    Scheduler high = builder(2, 2).build();
    fragment(high, "t", 5, 1, 1);
    List<String> before = state(high);
    Defragmentation d = high.defragment(List.of(gpus("big", 2, 0)), DisruptionBudget.moves(3));
    assertThat(d.outcome().placed()).isFalse();
    assertThat(state(high)).isEqualTo(before);

    // One node's remaining task is of low priority, the other's high (vip): only the low one moves.
    Scheduler mixed = builder(2, 2).build();
    List<List<String>> left = fragment(mixed, "t", 0, 0, 2);
    assertThat(mixed.place(gpus("vip", 1, 5)).placed()).isTrue();
    assertThat(mixed.cluster().assignment("vip").orElseThrow().node()).isEqualTo("n1");
    mixed.release(left.get(0).remove(0));
    Defragmentation ok = mixed.defragment(List.of(gpus("big", 2, 1)), DisruptionBudget.moves(3));
    assertThat(ok.outcome().placed()).isTrue();
    assertThat(ok.migrations()).extracting(Migration::task).containsExactly(left.get(0).get(0));
  }

  @Test
  void aGangsPlanMovesNothingUnlessEveryMemberFits() {
    Scheduler s = builder(3, 2).build();
    fragment(s, "t", 0, 1, 1, 0);
    List<String> before = state(s);
    Gang gang = new Gang("job", 2, null, false);
    var members = List.of(
        Task.builder("m0").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).gang(gang).build(),
        Task.builder("m1").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).gang(gang).build());
    // Two free GPUs in all: one move makes room for one member, never for both.
    Defragmentation d = s.defragment(members, DisruptionBudget.moves(3));
    assertThat(d.outcome().placed()).isFalse();
    assertThat(d.migrations()).isEmpty();
    assertThat(state(s)).isEqualTo(before);
    s.verifyAccounting();

    // With two more GPUs free elsewhere, the gang fits after moves, every member placed.
    Scheduler room = builder(3, 2).build();
    fragment(room, "t", 0, 1, 1, 2);
    Defragmentation ok = room.defragment(members, DisruptionBudget.moves(3));
    assertThat(ok.outcome().placed()).isTrue();
    assertThat(ok.outcome().tasks()).hasSize(2);
    room.verifyAccounting();
  }

  @Test
  void theRateLimitKeepsATaskFromMovingTwiceInAnHour() {
    var now = new AtomicLong(1_000_000);
    InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    Scheduler s = builder(2, 2).clock(clock).build();
    fragment(s, "t", 0, 1, 1);
    DisruptionBudget budget = DisruptionBudget.moves(1).perTaskPerHour(1);
    Defragmentation first = s.defragment(List.of(gpus("big", 2, 0)), budget);
    assertThat(first.migrations()).hasSize(1);
    Migration m = first.migrations().get(0);
    // Back to one free GPU per node, the moved task the only one a priority-0 request may move:
    // a priority-5 task holds the other node.
    s.release("big");
    assertThat(s.place(gpus("hold", 1, 5)).placed()).isTrue();
    assertThat(s.cluster().assignment("hold").orElseThrow().node()).isEqualTo(m.fromNode());
    for (Assignment a : s.cluster().assignments()) {
      if (a.node().equals(m.toNode()) && !a.task().equals(m.task())) {
        s.release(a.task());
      }
    }
    List<String> before = state(s);
    now.addAndGet(60_000);
    Defragmentation again = s.defragment(List.of(gpus("big2", 2, 0)), budget);
    assertThat(again.outcome().placed()).isFalse();
    assertThat(state(s)).isEqualTo(before);
    // An hour after its move it may move again.
    now.addAndGet(3_600_000);
    Defragmentation later = s.defragment(List.of(gpus("big2", 2, 0)), budget);
    assertThat(later.outcome().placed()).isTrue();
    assertThat(later.migrations()).extracting(Migration::task).containsExactly(m.task());
  }

  @Test
  void consolidationReportsMovesThatFreeALargerShapeAndChangesNothing() {
    Scheduler s = builder(2, 4).build();
    fragment(s, "t", 0, 2, 2);
    List<String> before = state(s);
    var report = s.consolidate(DisruptionBudget.moves(2));
    assertThat(report.largestBefore()).isEqualTo(2);
    assertThat(report.largestAfter()).isEqualTo(4);
    assertThat(report.migrations()).hasSize(2);
    assertThat(state(s)).isEqualTo(before);
    s.verifyAccounting();
  }

  @Test
  void theQueueMigratesAfterPreemptionIsRuledOut() {
    Scheduler s = builder(2, 2).defragment(DisruptionBudget.moves(2)).build();
    fragment(s, "t", 0, 1, 1);
    s.submit(gpus("big", 2, 0));
    List<Outcome> out = s.schedule();
    assertThat(out.get(0).placed()).isTrue();
    assertThat(s.migrations().get("big")).hasSize(1);
    assertThat(s.isPending("big")).isFalse();
    s.verifyAccounting();
    // Without the setting the same request waits.
    Scheduler off = builder(2, 2).build();
    fragment(off, "t", 0, 1, 1);
    off.submit(gpus("big", 2, 0));
    off.schedule();
    assertThat(off.isPending("big")).isTrue();
    assertThat(off.migrations()).isEmpty();
  }

  @Test
  void badBudgetsAreRejectedNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DisruptionBudget.moves(-1))
        .hasMessageContaining("budget.movesPerPlan").hasMessageContaining("-1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DisruptionBudget.moves(1).perTaskPerHour(0))
        .hasMessageContaining("budget.movesPerTaskPerHour");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DisruptionBudget.moves(1).minAvailable("web", -2))
        .hasMessageContaining("budget.minAvailable.web");
  }
}
