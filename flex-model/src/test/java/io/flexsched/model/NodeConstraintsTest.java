package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which nodes a task may go to at all: node selectors, taints and tolerations. */
class NodeConstraintsTest {
  private static final Node.Taint GPU_NO_SCHEDULE = new Node.Taint("nvidia.com/gpu", "present", "NoSchedule");
  private static final Node.Taint SPOT_NO_EXECUTE = new Node.Taint("spot", "", "NoExecute");

  private static Node node(Map<String, String> labels, Node.Taint... taints) {
    return Node.builder("n").labels(labels).taints(List.of(taints)).build();
  }

  private static Task task(Map<String, String> selector, Task.Toleration... tolerations) {
    return Task.builder("t").nodeSelector(selector).tolerations(List.of(tolerations)).build();
  }

  @Test
  void aTaskWithoutConstraintsRunsOnAnyUntaintedNode() {
    assertThat(task(Map.of()).mayRunOn(node(Map.of("pool", "a")))).isTrue();
    assertThat(task(Map.of()).mayRunOn(node(Map.of(), GPU_NO_SCHEDULE))).isFalse();
  }

  @Test
  void aSelectorNeedsEveryLabelWithItsValue() {
    Task t = task(Map.of("pool", "a", "zone", "z1"));

    assertThat(t.mayRunOn(node(Map.of("pool", "a", "zone", "z1", "extra", "x")))).isTrue();
    assertThat(t.mayRunOn(node(Map.of("pool", "a")))).isFalse();
    assertThat(t.mayRunOn(node(Map.of("pool", "b", "zone", "z1")))).isFalse();
    assertThat(t.selects(node(Map.of("pool", "a", "zone", "z1"), GPU_NO_SCHEDULE))).isTrue();
  }

  @Test
  void everyTaintMustBeTolerated() {
    Node both = node(Map.of(), GPU_NO_SCHEDULE, SPOT_NO_EXECUTE);

    assertThat(task(Map.of(), Task.Toleration.exists("nvidia.com/gpu")).mayRunOn(both)).isFalse();
    assertThat(task(Map.of(), Task.Toleration.exists("nvidia.com/gpu"), Task.Toleration.exists("spot")).mayRunOn(both))
        .isTrue();
    assertThat(task(Map.of(), new Task.Toleration(null, null, null)).mayRunOn(both)).isTrue();
  }

  @Test
  void aTolerationMatchesByKeyValueAndEffect() {
    assertThat(new Task.Toleration("nvidia.com/gpu", "present", "NoSchedule").tolerates(GPU_NO_SCHEDULE)).isTrue();
    assertThat(new Task.Toleration("nvidia.com/gpu", "absent", null).tolerates(GPU_NO_SCHEDULE)).isFalse();
    assertThat(new Task.Toleration("nvidia.com/gpu", null, "NoExecute").tolerates(GPU_NO_SCHEDULE)).isFalse();
    assertThat(new Task.Toleration("other", null, null).tolerates(GPU_NO_SCHEDULE)).isFalse();
    assertThat(new Task.Toleration(null, null, "NoExecute").tolerates(SPOT_NO_EXECUTE)).isTrue();
    assertThat(new Task.Toleration(null, null, "NoExecute").tolerates(GPU_NO_SCHEDULE)).isFalse();
  }

  @Test
  void rejectsMalformedConstraints() {
    assertRejected(() -> new Node.Taint("bad key", "", "NoSchedule"),
        "taint.key", "'bad key'", "taint.key " + NAME_RULE + ", was 'bad key'");
    assertRejected(() -> new Node.Taint("k", null, "NoSchedule"),
        "taint k value", "null", "taint k value must not be null (use \"\"), was null");
    assertRejected(() -> new Task.Toleration(null, "v", null),
        "toleration.value", "'v'", "toleration.value must be null when the key is (a toleration of every taint), was 'v'");
    assertRejected(() -> Task.builder("t").nodeSelector(Map.of("bad key", "v")).build(),
        "task t nodeSelector key", "'bad key'", "task t nodeSelector key " + NAME_RULE + ", was 'bad key'");
  }
}
