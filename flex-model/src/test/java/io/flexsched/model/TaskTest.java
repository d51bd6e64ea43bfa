package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTest {
  private static final Gang GANG = new Gang("train", 4, "rack", true);

  @Test
  void builderDefaultsToACpuOnlyPreemptibleTask() {
    var t = Task.builder("t1").build();

    assertThat(t.id()).isEqualTo("t1");
    assertThat(t.cpuMilli()).isZero();
    assertThat(t.memoryMiB()).isZero();
    assertThat(t.accelerators()).isSameAs(AcceleratorRequest.NONE);
    assertThat(t.priority()).isZero();
    assertThat(t.preemptible()).isTrue();
    assertThat(t.queue()).isNull();
    assertThat(t.gang()).isNull();
  }

  @Test
  void builderSetsEveryField() {
    var t = Task.builder("t1").id("t2").cpuMilli(4000).memoryMiB(8192)
        .accelerators(AcceleratorRequest.whole(2)).priority(-5).preemptible(false)
        .queue("research").gang(GANG).nodeSelector(Map.of("pool", "a"))
        .tolerations(List.of(Task.Toleration.exists("gpu"))).build();

    assertThat(t).isEqualTo(new Task("t2", 4000, 8192, AcceleratorRequest.whole(2), -5, false, "research", GANG,
        Map.of("pool", "a"), List.of(new Task.Toleration("gpu", null, null))));
  }

  @Test
  void toBuilderCopiesAndLeavesTheOriginal() {
    var t = new Task("t1", 1000, 2048, AcceleratorRequest.share(1, 500, 1024), 3, false, "q", GANG,
        Map.of("pool", "a"), List.of(Task.Toleration.exists("gpu")));
    var copy = t.toBuilder().build();
    var changed = t.toBuilder().priority(9).queue(null).build();

    assertThat(copy).isEqualTo(t);
    assertThat(changed.priority()).isEqualTo(9);
    assertThat(changed.queue()).isNull();
    assertThat(t.priority()).isEqualTo(3);
    assertThat(t.queue()).isEqualTo("q");
  }

  @Test
  void rejectsABadId() {
    assertRejected(() -> Task.builder("task 1").build(), "task.id", "'task 1'", "task.id " + NAME_RULE + ", was 'task 1'");
    assertRejected(() -> Task.builder(null).build(), "task.id", "null", "task.id " + NAME_RULE + ", was null");
  }

  @Test
  void rejectsNegativeCpu() {
    assertRejected(() -> Task.builder("t").cpuMilli(-1).build(),
        "cpuMilli", "-1", "cpuMilli must be at least 0, was -1");
  }

  @Test
  void rejectsNegativeMemory() {
    assertRejected(() -> Task.builder("t").memoryMiB(-1).build(),
        "memoryMiB", "-1", "memoryMiB must be at least 0, was -1");
  }

  @Test
  void rejectsANullAcceleratorRequest() {
    assertRejected(() -> Task.builder("t").accelerators(null).build(),
        "task t accelerators", "null", "task t accelerators must not be null (use AcceleratorRequest.NONE), was null");
  }

  @Test
  void rejectsABadQueue() {
    assertRejected(() -> Task.builder("t").queue("").build(), "queue", "''", "queue " + NAME_RULE + ", was ''");
  }
}
