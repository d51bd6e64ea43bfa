package io.flexsched.core;

import static io.flexsched.core.PassOutcomes.placed;
import static io.flexsched.core.PassOutcomes.placedIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Backfill with gangs: a gang passed {@code reserveAfter} times holds nodes for every member, so
 * smaller tasks that arrive later cannot take the room it waits for; its nodes follow the cluster
 * as nodes leave, are fenced or join; and a gang is placed around a node reserved for another
 * request rather than refused because one member would have landed there.
 */
class GangReservationTest {
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");

  private static Scheduler.Builder builder(ScoringPolicy policy, Node... nodes) {
    return Scheduler.builder().policy(policy).seed(7).assertMode(true).nodes(List.of(nodes)).noPreemption();
  }

  private static Scheduler.Builder builder(Node... nodes) {
    return Scheduler.builder().policy("bestfit").seed(7).assertMode(true).nodes(List.of(nodes)).noPreemption();
  }

  private static Node node(String name, int npus) {
    return Node.of(name, 32_000, 65_536, NPU, npus);
  }

  private static Node inRack(String name, String rack) {
    return Node.builder(name).cpuMilli(32_000).memoryMiB(65_536).devices(NPU, 2)
        .labels(Map.of("rack", rack)).topology(List.of("z1", rack)).build();
  }

  private static Task npu(String id, int count) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(count)).build();
  }

  private static List<Task> gang(String name, int size, int npus, @Nullable String level) {
    var out = new ArrayList<Task>();
    for (int i = 0; i < size; i++) {
      out.add(npu(name + "-" + i, npus).toBuilder().gang(new Gang(name, size, level, level != null)).build());
    }
    return out;
  }

  /** The reserved nodes, or none. */
  private static List<String> reservedNodes(Scheduler q) {
    return q.reservation().map(r -> Arrays.asList(r.substring(r.indexOf('@') + 1).split(","))).orElse(List.of());
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

  /**
   * Four one-NPU tasks fill two nodes; the gang (two members of two NPUs) arrives; then small
   * tasks keep arriving, one running task ending before each. Returns the pass at which the gang
   * was placed, or -1.
   */
  private static int stream(Scheduler q) {
    for (int i = 1; i <= 4; i++) {
      q.submit(npu("x" + i, 1));
    }
    q.schedule();
    q.submit(gang("job", 2, 2, null));
    var running = new ArrayList<>(List.of("x1", "x2", "x3", "x4"));
    for (int i = 0; i < 5; i++) {
      q.submit(npu("s" + i, 1));
      q.cancel(running.remove(0));
      List<Outcome> pass = q.schedule();
      if (placedIds(pass).contains("job-0")) {
        return i;
      }
      running.addAll(placedIds(pass));
      if (q.reservation().isPresent() && i > 0) {
        // The gang holds both nodes: a later task waits for the reservation, not for room.
        assertThat(pendingById(q).get("s" + i).cause()).isEqualTo(Outcome.Cause.RESERVED);
        assertThat(pendingById(q).get("s" + i).detail())
            .isEqualTo("only nodes n1, n2 could take it, and they are reserved for gang job");
      }
    }
    return -1;
  }

  @Test
  void aWaitingGangWithAReservationIsNotDelayedBySmallerTasksThatArriveLater() {
    Scheduler q = builder(node("n1", 2), node("n2", 2)).backfill(1).build();
    int placedAt = stream(q);
    assertThat(q.preemptions()).isZero();

    // s0 passed it before the reservation; after that no later task took room: the gang runs as
    // soon as the four tasks before it and s0 end.
    assertThat(placedAt).isEqualTo(4);
    assertThat(q.cluster().task("s1")).isEmpty();
    assertThat(q.reservation()).isEmpty();
    q.verifyAccounting();

    // Without a reservation, every freed NPU goes to the next small task: the gang starves.
    Scheduler starving = builder(node("n1", 2), node("n2", 2)).backfill(1_000).build();
    assertThat(stream(starving)).isEqualTo(-1);
    assertThat(starving.isPending("job-0")).isTrue();
  }

  @Test
  void aGangReservationHoldsANodePerMemberUnderItsTopologyLevel() {
    // r1 has the most free room, but only r2's two nodes can hold both members: a rack-bound gang
    // holds r2, whole.
    Scheduler q = builder(inRack("a1", "r1"), inRack("b1", "r2"), inRack("b2", "r2")).backfill(1).build();
    q.submit(npu("x1", 1));
    q.submit(npu("x2", 1));
    q.schedule();
    assertThat(q.cluster().assignments()).extracting(Assignment::node).doesNotContain("a1");
    q.submit(gang("job", 2, 2, "rack"));
    q.submit(npu("s0", 1));
    assertThat(placedIds(q.schedule())).containsExactly("s0");

    assertThat(q.reservation()).hasValueSatisfying(r -> assertThat(r).startsWith("job@"));
    assertThat(reservedNodes(q)).containsExactlyInAnyOrder("b1", "b2");
    q.submit(npu("s1", 1));
    // s1 goes where the gang does not wait: a1.
    List<Outcome> pass = q.schedule();
    assertThat(placedIds(pass)).containsExactly("s1");
    assertThat(placed(pass).get(0).assignment().node()).isEqualTo("a1");
  }

  @Test
  void aGangReservationIsPlannedAgainWhenNodesChange() {
    Scheduler q = builder(node("n1", 2), node("n2", 2), node("n3", 2)).backfill(1).build();
    for (int i = 1; i <= 3; i++) {
      q.submit(npu("x" + i, 1));
    }
    q.schedule();
    // Each node runs one x: no node has room for a member of two NPUs.
    q.submit(gang("job", 2, 2, null));
    q.submit(npu("s0", 1));
    assertThat(placedIds(q.schedule())).containsExactly("s0");
    List<String> held = reservedNodes(q);
    assertThat(held).hasSize(2);

    // A held node is fenced: the gang holds the other free node instead.
    String fenced = held.get(0);
    q.fence(fenced);
    List<String> afterFence = reservedNodes(q);
    assertThat(afterFence).hasSize(2).doesNotContain(fenced);

    // A held node leaves: only one unfenced node is left, which cannot hold both: no reservation.
    q.removeNode(afterFence.get(0));
    assertThat(q.reservation()).isEmpty();
    q.unfence(fenced);

    // Passed again, it holds the two nodes left; a new empty node then draws it there.
    q.submit(npu("s1", 1));
    q.schedule();
    assertThat(reservedNodes(q)).hasSize(2);
    q.addNode(node("n4", 2));
    assertThat(reservedNodes(q)).contains("n4").hasSize(2);
    q.verifyAccounting();

    // Each pass plans again: once n4 and another node empty, the gang runs there.
    for (Assignment a : new ArrayList<>(q.cluster().assignments())) {
      if (reservedNodes(q).contains(a.node())) {
        q.cancel(a.task());
      }
    }
    assertThat(placedIds(q.schedule())).contains("job-0", "job-1");
    assertThat(q.reservation()).isEmpty();
    q.verifyAccounting();
  }

  @Test
  void aGangIsPlacedAroundANodeReservedForAnotherRequest() {
    // Every task goes to n1 while it fits there: the gang's first member would land on n1, which
    // is reserved for big. The gang goes to n2 and n3 instead of waiting.
    ScoringPolicy preferN1 = SchedulerTest.preferring("n1");
    Scheduler q = builder(preferN1, node("n1", 4), node("n2", 2), node("n3", 2)).backfill(1).build();
    q.submit(npu("x1", 1));
    q.schedule();
    q.submit(npu("big", 4));
    q.submit(npu("s1", 1));
    assertThat(placedIds(q.schedule())).containsExactly("s1");
    assertThat(q.reservation()).contains("big@n1");

    q.submit(gang("job", 2, 2, null));
    List<Outcome> pass = q.schedule();

    assertThat(placedIds(pass)).containsExactlyInAnyOrder("job-0", "job-1");
    assertThat(placed(pass).get(0).assignments()).extracting(Assignment::node).containsExactlyInAnyOrder("n2", "n3");
    assertThat(q.reservation()).contains("big@n1");
    q.verifyAccounting();
  }
}
