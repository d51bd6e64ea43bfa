package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.RejectReason;
import io.flexsched.model.Assignment;
import io.flexsched.model.Slice;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineTest {

  @Test
  void placedListsDevicesInOrderWithShareAndMemory() {
    var a = new Assignment("t1", "n1", List.of(Slice.share(0, 500, 10_000), Slice.share(3, 1000, 16_384)));
    assertThat(JsonLine.placed(a)).isEqualTo("{\"task\":\"t1\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":["
        + "{\"index\":0,\"milli\":500,\"memoryMiB\":10000},{\"index\":3,\"milli\":1000,\"memoryMiB\":16384}]}");
  }

  @Test
  void placedProfileSliceNamesProfileAndStart() {
    var a = new Assignment("t2", "n1", List.of(new Slice(1, 428, 20_480, "3g.20gb", 4)));
    assertThat(JsonLine.placed(a)).isEqualTo(
        "{\"task\":\"t2\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[{\"index\":1,\"profile\":\"3g.20gb\",\"start\":4}]}");
  }

  @Test
  void pendingReasonsFollowTheEnumOrderWhateverTheMapOrder() {
    Map<RejectReason, Integer> reasons = new LinkedHashMap<>();
    reasons.put(RejectReason.MODEL_MISMATCH, 3);
    reasons.put(RejectReason.INSUFFICIENT_DEVICE_SHARE, 7);
    reasons.put(RejectReason.INSUFFICIENT_CPU, 1);
    assertThat(JsonLine.pending("t3", reasons)).isEqualTo(
        "{\"task\":\"t3\",\"status\":\"pending\",\"reasons\":{\"insufficient-cpu\":1,\"model-mismatch\":3,\"insufficient-gpu\":7}}");
    assertThat(JsonLine.pending("t4", new EnumMap<>(RejectReason.class)))
        .isEqualTo("{\"task\":\"t4\",\"status\":\"pending\",\"reasons\":{}}");
  }

  @Test
  void aNearMissFollowsTheReasonsWithWhatTheNodeLacksInItsOrder() {
    var lacks = new LinkedHashMap<String, Long>();
    lacks.put("gpus", 1L);
    lacks.put("gpuMilli", 200L);
    var miss = new io.flexsched.core.Explanation.NearMiss("n\"1", RejectReason.INSUFFICIENT_DEVICE_SHARE, lacks, 0.4);
    assertThat(JsonLine.pending("t5", Map.of(RejectReason.INSUFFICIENT_DEVICE_SHARE, 2), null, miss)).isEqualTo(
        "{\"task\":\"t5\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":2},"
            + "\"nearest\":{\"node\":\"n\\\"1\",\"reason\":\"insufficient-gpu\",\"lacks\":{\"gpus\":1,\"gpuMilli\":200}}}");
    var rulesOnly = new io.flexsched.core.Explanation.NearMiss("n2", RejectReason.DEVICE_RULES, Map.of(), 0);
    assertThat(JsonLine.pending("t6", Map.of(RejectReason.DEVICE_RULES, 1), "blocked", rulesOnly)).endsWith(
        "\"cause\":\"blocked\",\"nearest\":{\"node\":\"n2\",\"reason\":\"device-rules\",\"lacks\":{}}}");
  }

  @Test
  void releasedAndEvicted() {
    assertThat(JsonLine.released("t1", "n1")).isEqualTo("{\"task\":\"t1\",\"status\":\"released\",\"node\":\"n1\"}");
    assertThat(JsonLine.released("t1", null)).isEqualTo("{\"task\":\"t1\",\"status\":\"released\"}");
    assertThat(JsonLine.evicted("t5", "n2-3", "node-removed"))
        .isEqualTo("{\"task\":\"t5\",\"status\":\"evicted\",\"node\":\"n2-3\",\"cause\":\"node-removed\"}");
  }

  @Test
  void stringsAreEscaped() {
    var b = new StringBuilder();
    JsonLine.string(b, "a\"b\\c\nd\te\u0001f\u2028é");
    assertThat(b).hasToString("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028é\"");
  }
}
