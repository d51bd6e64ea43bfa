package io.flexsched.core;

import static io.flexsched.core.PassOutcomes.placedIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Node selectors, taints and tolerations through the scheduler: a task goes only to nodes it may
 * use, in every path that places it (a plain decision, the score index shared by equal node states,
 * preemption, gangs, backfill reservations, defragmentation); its pending outcome counts the nodes
 * it may not use under their own reasons; and the nearest miss is never such a node.
 */
class NodeConstraintsTest {
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");
  private static final Node.Taint GPU_ONLY = new Node.Taint("nvidia.com/gpu", "present", "NoSchedule");
  private static final Task.Toleration TOLERATES_GPU = Task.Toleration.exists("nvidia.com/gpu");

  private static Node node(String name, int npus, Node.Taint... taints) {
    return Node.builder(name).cpuMilli(32_000).memoryMiB(65_536).devices(NPU, npus).taints(List.of(taints)).build();
  }

  private static Node pooled(String name, String pool) {
    return Node.builder(name).cpuMilli(32_000).memoryMiB(65_536).devices(NPU, 2).labels(Map.of("pool", pool)).build();
  }

  private static Task npu(String id, int count) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(count)).build();
  }

  private static Scheduler.Builder builder(String policy, Node... nodes) {
    return Scheduler.builder().policy(policy).seed(7).assertMode(true).nodes(List.of(nodes)).noPreemption();
  }

  private static String nodeOf(Scheduler s, String task) {
    return s.cluster().assignment(task).map(Assignment::node).orElse("none");
  }

  @Test
  void aTaskGoesOnlyToNodesWhoseTaintsItTolerates() {
    // Two nodes in one state: the score index shares its answers between them, the taint must not.
    Scheduler s = builder("bestfit", node("tainted", 2, GPU_ONLY), node("plain", 2)).build();

    assertThat(s.place(npu("a", 2)).placed()).isTrue();
    assertThat(nodeOf(s, "a")).isEqualTo("plain");
    Outcome b = s.place(npu("b", 2));
    assertThat(b).isInstanceOf(Outcome.Pending.class);
    assertThat(((Outcome.Pending) b).reasons())
        .containsExactlyInAnyOrderEntriesOf(Map.of(RejectReason.TAINT, 1, RejectReason.INSUFFICIENT_DEVICE_SHARE, 1));

    Task tolerant = npu("c", 2).toBuilder().tolerations(List.of(TOLERATES_GPU)).build();
    assertThat(s.place(tolerant).placed()).isTrue();
    assertThat(nodeOf(s, "c")).isEqualTo("tainted");
    s.verifyAccounting();
  }

  @Test
  void aTolerationOfAnotherEffectOrValueDoesNotTolerate() {
    Scheduler s = builder("bestfit", node("tainted", 2, GPU_ONLY)).build();
    Task wrongEffect = npu("a", 1).toBuilder().tolerations(List.of(new Task.Toleration("nvidia.com/gpu", null, "NoExecute"))).build();
    Task wrongValue = npu("b", 1).toBuilder().tolerations(List.of(new Task.Toleration("nvidia.com/gpu", "absent", null))).build();
    Task everything = npu("c", 1).toBuilder().tolerations(List.of(new Task.Toleration(null, null, null))).build();

    assertThat(s.place(wrongEffect).placed()).isFalse();
    assertThat(s.place(wrongValue).placed()).isFalse();
    assertThat(s.place(everything).placed()).isTrue();
  }

  @Test
  void aNodeSelectorKeepsATaskInItsPoolAndNamesTheOthers() {
    Scheduler s = builder("bestfit", pooled("a1", "a"), pooled("b1", "b"), pooled("b2", "b")).build();
    Task inA = npu("x", 2).toBuilder().nodeSelector(Map.of("pool", "a")).build();

    assertThat(s.place(inA).placed()).isTrue();
    assertThat(nodeOf(s, "x")).isEqualTo("a1");
    Outcome second = s.place(inA.toBuilder().id("y").build());
    assertThat(((Outcome.Pending) second).reasons())
        .containsExactlyInAnyOrderEntriesOf(Map.of(RejectReason.NODE_SELECTOR, 2, RejectReason.INSUFFICIENT_DEVICE_SHARE, 1));
  }

  @Test
  void theNearestMissIsNeverANodeTheTaskMayNotUse() {
    // The tainted node is empty, the plain one lacks one NPU: the plain one is nearest.
    Scheduler s = builder("bestfit", node("tainted", 4, GPU_ONLY), node("plain", 4)).build();
    assertThat(s.place(npu("x", 2)).placed()).isTrue();

    Explanation why = s.explain(npu("y", 3));
    assertThat(why.nearest()).isNotNull();
    assertThat(why.nearest().node()).isEqualTo("plain");
    assertThat(why.reasons()).containsEntry(RejectReason.TAINT, 1);
  }

  @Test
  void preemptionEvictsOnlyWhereThePreemptorMayGo() {
    // Both nodes are full of low-priority work; only the pool-b node may take the preemptor, and the
    // fewest victims (one, on a1) would be on the other.
    Scheduler s = Scheduler.builder().policy("bestfit").seed(7).assertMode(true)
        .nodes(List.of(pooled("a1", "a"), pooled("b1", "b"))).preemption("exact").build();
    Map<String, String> inA = Map.of("pool", "a");
    Map<String, String> inB = Map.of("pool", "b");
    assertThat(s.place(npu("big", 2).toBuilder().nodeSelector(inA).build()).placed()).isTrue();
    assertThat(s.place(npu("s1", 1).toBuilder().nodeSelector(inB).build()).placed()).isTrue();
    assertThat(s.place(npu("s2", 1).toBuilder().nodeSelector(inB).build()).placed()).isTrue();

    Task urgent = npu("urgent", 2).toBuilder().priority(10).nodeSelector(Map.of("pool", "b")).build();
    s.submit(urgent);
    assertThat(placedIds(s.schedule())).containsExactly("urgent");
    assertThat(nodeOf(s, "urgent")).isEqualTo("b1");
    assertThat(s.cluster().task("big")).isPresent();
    assertThat(s.cluster().task("s1")).isEmpty();
    assertThat(s.cluster().task("s2")).isEmpty();
    s.verifyAccounting();
  }

  @Test
  void aGangsMembersEachGoWhereTheyMay() {
    Scheduler s = builder("bestfit", node("tainted", 2, GPU_ONLY), node("plain", 2)).build();
    var gang = new Gang("job", 2, null, false);
    Task picky = npu("job-0", 2).toBuilder().gang(gang).build();
    Task tolerant = npu("job-1", 2).toBuilder().gang(gang).tolerations(List.of(TOLERATES_GPU)).build();

    assertThat(s.place(List.of(tolerant, picky)).placed()).isTrue();
    assertThat(nodeOf(s, "job-0")).isEqualTo("plain");
    assertThat(nodeOf(s, "job-1")).isEqualTo("tainted");

    // Two members that both need the one untainted node: neither is placed.
    var other = new Gang("other", 2, null, false);
    Scheduler t = builder("bestfit", node("tainted", 2, GPU_ONLY), node("plain", 2)).build();
    Outcome both = t.place(List.of(npu("o-0", 1).toBuilder().gang(other).build(), npu("o-1", 2).toBuilder().gang(other).build()));
    assertThat(both.placed()).isFalse();
    assertThat(t.cluster().assignments()).isEmpty();
  }

  @Test
  void aReservationHoldsOnlyANodeTheTaskMayUse() {
    // The tainted node has the most free room, but the waiting task may not go there.
    Scheduler s = builder("bestfit", node("tainted", 4, GPU_ONLY), node("plain", 2)).backfill(1).build();
    s.submit(npu("x", 1));
    s.schedule();
    assertThat(nodeOf(s, "x")).isEqualTo("plain");
    s.submit(npu("wait", 2));
    s.submit(npu("small", 1).toBuilder().tolerations(List.of(TOLERATES_GPU)).build());
    s.schedule();
    s.schedule();

    assertThat(s.reservation()).hasValue("wait@plain");
  }

  @Test
  void aNodeThatJoinsWithATaintIsAvoidedAndOneThatLeavesIsForgotten() {
    Scheduler s = builder("bestfit", node("plain", 1)).build();
    assertThat(s.place(npu("a", 1)).placed()).isTrue();

    s.addNode(node("late", 2, GPU_ONLY));
    assertThat(s.place(npu("b", 1)).placed()).isFalse();
    Transaction tx = s.begin();
    s.removeNode("late");
    s.addNode(node("late", 2));
    assertThat(s.place(npu("c", 1)).placed()).isTrue();
    tx.rollback();

    // The rollback brings the tainted node back, and with it the taint.
    assertThat(s.cluster().task("c")).isEmpty();
    assertThat(s.place(npu("d", 1)).placed()).isFalse();
    assertThat(s.place(npu("e", 1).toBuilder().tolerations(List.of(TOLERATES_GPU)).build()).placed()).isTrue();
    assertThat(nodeOf(s, "e")).isEqualTo("late");
  }

  @Test
  void defragmentationMovesTasksOnlyWhereTheyMayGoAndFreesANodeTheWaitingTaskMayUse() {
    // n1 and n2 (pool a) each hold one NPU of two; n3 (pool b) is empty. The waiting task needs
    // two NPUs in pool a: one move within pool a. The movers may not go to pool b.
    Scheduler s = builder("bestfit", pooled("n1", "a"), pooled("n2", "a"), pooled("n3", "b")).build();
    Task one = npu("m1", 1).toBuilder().nodeSelector(Map.of("pool", "a")).build();
    Task two = npu("m2", 1).toBuilder().nodeSelector(Map.of("pool", "a")).build();
    Task blocker = npu("b", 2).toBuilder().nodeSelector(Map.of("pool", "b")).build();
    assertThat(s.place(blocker).placed()).isTrue();
    // Best fit puts the filler beside m1 and m2 on the other node; the filler's end fragments the pool.
    Task filler = npu("f", 1).toBuilder().nodeSelector(Map.of("pool", "a")).build();
    assertThat(s.place(one).placed()).isTrue();
    assertThat(s.place(filler).placed()).isTrue();
    assertThat(s.place(two).placed()).isTrue();
    s.release("f");
    assertThat(nodeOf(s, "m1")).isNotEqualTo(nodeOf(s, "m2"));

    Task wait = npu("w", 2).toBuilder().nodeSelector(Map.of("pool", "a")).build();
    PlacementEngine.Defragmentation d = s.defragment(List.of(wait), PlacementEngine.DisruptionBudget.moves(2));
    assertThat(d.outcome().placed()).isTrue();
    assertThat(d.migrations()).hasSize(1);
    assertThat(List.of(nodeOf(s, "m1"), nodeOf(s, "m2"), nodeOf(s, "w"))).allMatch(n -> n.equals("n1") || n.equals("n2"));
    s.verifyAccounting();
  }
}
