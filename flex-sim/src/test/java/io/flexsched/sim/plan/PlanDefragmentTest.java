package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code flex plan} with {@code defragment:}: migrated lines, and nothing new without the setting. */
class PlanDefragmentTest {

  @Test
  void oneMigrationMakesRoomAndIsReportedBeforeThePlacementItMadeRoomFor() {
    PlanLines out = PlanLines.of("defragment-one-move.yaml");
    List<Map<String, Object>> moved = out.withStatus("migrated");
    assertThat(moved).hasSize(1);
    Map<String, Object> m = moved.get(0);
    assertThat(m.get("task")).isIn("a", "c");
    assertThat(m.get("from")).isNotEqualTo(m.get("to"));
    assertThat(m.get("node")).isEqualTo(m.get("to"));
    // big goes where the moved task was, and its line comes right after the move's.
    assertThat(out.statuses("big")).containsExactly("placed");
    assertThat(out.lastNode("big")).isEqualTo(m.get("from"));
    List<Map<String, Object>> lines = out.lines();
    int move = lines.indexOf(m);
    assertThat(lines.get(move + 1)).containsEntry("task", "big").containsEntry("status", "placed");
    assertThat(out.peakMilliPerDevice()).allSatisfy((device, milli) -> assertThat(milli).isLessThanOrEqualTo(1000));
  }

  @Test
  void withoutTheSettingTheSameRequestWaitsAndNothingMoves() {
    PlanLines out = PlanLines.of("defragment-off.yaml");
    assertThat(out.withStatus("migrated")).isEmpty();
    assertThat(out.statuses("big")).containsExactly("pending");
  }

  @Test
  void aBadBudgetIsRejectedNamingTheField() {
    PlanRun bad = PlanRun.of(PlanRun.scenario("defragment-one-move.yaml").resolveSibling("defragment-bad.yaml"));
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("moves").contains("0");
    assertThat(bad.out()).isEmpty();
  }
}
