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
    return PlacementEngine.builder().policy("bestfit").seed(3).nodes(nodes).build();
  }

  private static List<String> nodesOf(GangDecision d) {
    return d.assignments().stream().map(Assignment::node).toList();
  }

  @Test
  void aRequiredRackGangOfThreeEightGpuMembersStaysInOneRack() {
    PlacementEngine e = cluster();
    GangDecision d = e.placeGang(gang("job", 3, 8, "rack", true));
    assertThat(d.placed()).isTrue();
    // r1 cannot hold three; r3 (3 nodes, 24,000 free milli) is tighter than r2 (32,000): r3.
    assertThat(d.domain()).isEqualTo("z2/r3");
    assertThat(nodesOf(d)).containsExactlyInAnyOrder("c0", "c1", "c2");
    OverCommit.check(e);
  }

  @Test
  void aGangThatFitsInNoRackLeavesNothingPlaced() {
    PlacementEngine e = cluster();
    e.place(Task.builder("busy").cpuMilli(1_000).accelerators(AcceleratorRequest.whole(1)).build());
    String where = e.assignment("busy").orElseThrow().node();
    List<Assignment> before = e.assignments();
    long allocated = e.allocatedMilli();
    // Five 8-GPU members: no rack has five nodes.
    GangDecision d = e.placeGang(gang("huge", 5, 8, "rack", true));
    assertThat(d.placed()).isFalse();
    assertThat(d.assignments()).isEmpty();
    assertThat(d.blocking()).isNotNull();
    assertThat(d.reasons()).containsKey(RejectReason.TOPOLOGY);
    assertThat(e.assignments()).isEqualTo(before);
    assertThat(e.allocatedMilli()).isEqualTo(allocated);
    assertThat(e.assignment("busy").orElseThrow().node()).isEqualTo(where);
    e.verifyAccounting();
  }

  @Test
  void aPreferredLevelFallsBackToTheWholeCluster() {
    PlacementEngine e = cluster();
    GangDecision d = e.placeGang(gang("wide", 5, 8, "rack", false));
    assertThat(d.placed()).isTrue();
    assertThat(d.domain()).isNull();
    assertThat(d.assignments()).hasSize(5);
    OverCommit.check(e);
  }

  @Test
  void aGangWithoutLevelIsAllOrNothing() {
    PlacementEngine e = cluster();
    assertThat(e.placeGang(gang("nine", 9, 8, null, false)).placed()).isTrue();
    GangDecision more = e.placeGang(gang("one-more", 2, 1, null, false));
    assertThat(more.placed()).isFalse();
    assertThat(more.reasons()).containsEntry(RejectReason.INSUFFICIENT_DEVICE_SHARE, 9);
    assertThat(e.assignments()).hasSize(9);
  }

  @Test
  void malformedGangsAreRejected() {
    PlacementEngine e = cluster();
    assertThatThrownBy(() -> e.placeGang(gang("g", 3, 1, "rack", true).subList(0, 2)))
        .isInstanceOf(InvalidSpecException.class).hasMessage("gang g members must number gang.size 3, was 2");
    assertThatThrownBy(() -> e.place(gang("g", 1, 1, null, false).get(0)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("placed together with placeGang");
    assertThatThrownBy(() -> e.placeGang(List.of()))
        .isInstanceOf(InvalidSpecException.class).hasMessage("gang members must not be empty, was []");
  }
}
