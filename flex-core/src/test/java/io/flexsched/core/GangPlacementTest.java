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
import java.util.Map;
import org.junit.jupiter.api.Test;

class GangPlacementTest {
  private static final DeviceModel G2 = DeviceCatalogue.builtIn().require("G2");

  private static Node node(String name, String zone, String rack) {
    return Node.builder(name).cpuMilli(96_000).memoryMiB(393_216).devices(G2, 8)
        .labels(Map.of("zone", zone, "rack", rack)).topology(List.of(zone, rack)).build();
  }

  private static List<Task> gang(String name, int size, int gpus, String level, boolean required) {
    var out = new ArrayList<Task>();
    for (int i = 0; i < size; i++) {
      out.add(Task.builder(name + "-" + i).cpuMilli(8_000).memoryMiB(16_384)
          .accelerators(AcceleratorRequest.whole(gpus)).gang(new Gang(name, size, level, required)).build());
    }
    return out;
  }

  private static PlacementEngine cluster() {
    // Rack r1: two nodes; rack r2: four nodes; rack r3: three nodes, one of them partly used below.
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < 2; i++) {
      nodes.add(node("a" + i, "z1", "r1"));
    }
    for (int i = 0; i < 4; i++) {
      nodes.add(node("b" + i, "z1", "r2"));
    }
    for (int i = 0; i < 3; i++) {
      nodes.add(node("c" + i, "z2", "r3"));
    }
    return Scheduler.builder().policy("bestfit").seed(3).nodes(nodes).buildEngine();
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

  private static List<String> nodesOf(Outcome.Placed d) {
    return d.assignments().stream().map(Assignment::node).toList();
  }

  @Test
  void aRequiredRackGangOfThreeEightGpuMembersStaysInOneRack() {
    PlacementEngine e = cluster();
    List<Task> members = gang("job", 3, 8, "rack", true);
    Outcome.Placed d = placed(e.place(members));
    assertThat(d.tasks()).isEqualTo(members);
    // r1 cannot hold three; r3 (3 nodes, 24,000 free milli) is tighter than r2 (32,000): r3.
    assertThat(d.domain()).isEqualTo("z2/r3");
    assertThat(nodesOf(d)).containsExactlyInAnyOrder("c0", "c1", "c2");
    OverCommit.check(e);
  }

  @Test
  void aGangThatFitsInNoRackLeavesNothingPlaced() {
    PlacementEngine e = cluster();
    e.place(Task.builder("busy").cpuMilli(1_000).accelerators(AcceleratorRequest.whole(1)).build());
    String where = e.cluster().assignment("busy").orElseThrow().node();
    List<Assignment> before = e.cluster().assignments();
    long allocated = e.cluster().allocatedMilli();
    // Five 8-GPU members: no rack has five nodes.
    List<Task> members = gang("huge", 5, 8, "rack", true);
    Outcome.Pending d = pending(e.place(members));
    assertThat(d.tasks()).isEqualTo(members);
    assertThat(d.cause()).isEqualTo(Outcome.Cause.NO_FIT);
    // The blocking member is named in the detail (the old GangDecision's blocking()).
    assertThat(d.detail()).matches("member huge-[0-4] fits nowhere.*");
    assertThat(d.reasons()).containsKey(RejectReason.TOPOLOGY);
    assertThat(e.cluster().assignments()).isEqualTo(before);
    assertThat(e.cluster().allocatedMilli()).isEqualTo(allocated);
    assertThat(e.cluster().assignment("busy").orElseThrow().node()).isEqualTo(where);
    e.verifyAccounting();
  }

  @Test
  void aPreferredLevelFallsBackToTheWholeCluster() {
    PlacementEngine e = cluster();
    Outcome.Placed d = placed(e.place(gang("wide", 5, 8, "rack", false)));
    assertThat(d.domain()).isNull();
    assertThat(d.assignments()).hasSize(5);
    OverCommit.check(e);
  }

  @Test
  void aGangWithoutLevelIsAllOrNothing() {
    PlacementEngine e = cluster();
    assertThat(e.place(gang("nine", 9, 8, null, false)).placed()).isTrue();
    Outcome.Pending more = pending(e.place(gang("one-more", 2, 1, null, false)));
    assertThat(more.reasons()).containsEntry(RejectReason.INSUFFICIENT_DEVICE_SHARE, 9);
    assertThat(e.cluster().assignments()).hasSize(9);
  }

  @Test
  void malformedGangsAreRejected() {
    PlacementEngine e = cluster();
    assertThatThrownBy(() -> e.place(gang("g", 3, 1, "rack", true).subList(0, 2)))
        .isInstanceOf(InvalidSpecException.class).hasMessage("gang g members must number gang.size 3, was 2");
    // A member alone is a request of one: an incomplete gang (the old API said "use placeGang").
    assertThatThrownBy(() -> e.place(gang("g", 3, 1, null, false).get(0)))
        .isInstanceOf(InvalidSpecException.class).hasMessage("gang g members must number gang.size 3, was 1");
    assertThatThrownBy(() -> e.place(List.of()))
        .isInstanceOf(InvalidSpecException.class).hasMessage("request must name at least one task, was []");
    assertThat(e.cluster().assignments()).isEmpty();
  }
}
