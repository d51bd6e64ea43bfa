package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Accounting a task exactly where it already runs: state rebuilt from a source of truth outside the engine. */
class RestoreTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Scheduler scheduler() {
    var t4 = DeviceCatalogue.builtIn().require("T4");
    return Scheduler.builder().policy("bestfit").seed(1).metrics(registry, "test", "restore")
        .queue(QueueSpec.builder("research").build())
        .node(Node.builder("a").cpuMilli(8_000).memoryMiB(16_384).devices(t4, 4).build())
        .node(Node.builder("b").cpuMilli(8_000).memoryMiB(16_384).devices(t4, 4).build())
        .build();
  }

  private static Task half(String id) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, 500, 1_024)).build();
  }

  private static Assignment on(String task, String node, int... devices) {
    var slices = new java.util.ArrayList<Slice>();
    for (int d : devices) {
      slices.add(Slice.share(d, 500, 1_024));
    }
    return new Assignment(task, node, slices);
  }

  @Test
  void aRestoredTaskHoldsExactlyTheNodeAndDevicesItWasGivenEvenOnAFencedNode() {
    Scheduler s = scheduler();
    s.fence("b");
    Assignment a = s.restore(half("t1"), on("t1", "b", 3));
    assertThat(a.node()).isEqualTo("b");
    assertThat(a.slices()).extracting(Slice::device).containsExactly(3);
    assertThat(s.cluster().node("b").freeMilli(3)).isEqualTo(500);
    assertThat(s.cluster().isFenced("b")).isTrue();
    // The policy would have packed it elsewhere; a second one on the same device fills it.
    s.restore(half("t2"), on("t2", "b", 3));
    assertThat(s.cluster().node("b").freeMilli(3)).isZero();
    assertThat(s.release("t1")).isEqualTo(a);
    s.verifyAccounting();
  }

  @Test
  void aRestoredTaskCountsInItsQueue() {
    Scheduler s = scheduler();
    s.restore(half("q1").toBuilder().queue("research").build(), on("q1", "a", 0));
    assertThat(s.usage("research").gpuMilli()).isEqualTo(500);
    s.release("q1");
    assertThat(s.usage("research").gpuMilli()).isZero();
  }

  @Test
  void whatCannotBeRestoredIsRefusedByNameAndChangesNothing() {
    Scheduler s = scheduler();
    s.restore(half("t1"), on("t1", "a", 0));
    s.restore(half("t2"), on("t2", "a", 0));
    String before = FailureAtomicityTest.state(s, registry);
    record Case(Task task, Assignment where, String field, String words) {}
    var gang = new Gang("g", 2, null, false);
    for (Case c : List.of(
        new Case(half("t3"), on("t3", "zz", 1), "node", "zz"),
        new Case(half("t3"), on("other", "a", 1), "assignment.task", "other"),
        new Case(half("t1"), on("t1", "a", 1), "t1", "placed"),
        new Case(half("t3"), on("t3", "a", 0), "assignment of t3", "cannot host"),
        new Case(half("t3"), on("t3", "a", 9), "assignment of t3", "out of range"),
        new Case(half("t3"), on("t3", "a", 1, 2), "assignment of t3", "asks for 1"),
        new Case(half("t3").toBuilder().cpuMilli(9_000).build(), on("t3", "a", 1), "assignment of t3", "CPU"),
        new Case(half("t3").toBuilder().queue("nope").build(), on("t3", "a", 1), "queue", "nope"),
        new Case(half("t3").toBuilder().gang(gang).build(), on("t3", "a", 1), "gang", "g"))) {
      assertThatThrownBy(() -> s.restore(c.task(), c.where())).as(c.toString())
          .isInstanceOf(InvalidSpecException.class).hasMessageContaining(c.field()).hasMessageContaining(c.words());
      assertThat(FailureAtomicityTest.state(s, registry)).as(c.toString()).isEqualTo(before);
    }
  }

  @Test
  void aRestoreInsideARolledBackTransactionLeavesNothing() {
    Scheduler s = scheduler();
    String before = FailureAtomicityTest.state(s, registry);
    try (Transaction tx = s.begin()) {
      s.restore(half("t1").toBuilder().queue("research").build(), on("t1", "b", 2));
      assertThat(s.cluster().assignment("t1")).isPresent();
    }
    assertThat(FailureAtomicityTest.state(s, registry)).isEqualTo(before);
    s.verifyAccounting();
  }

  @Test
  void thePlainEngineRestoresToo() {
    var t4 = DeviceCatalogue.builtIn().require("T4");
    PlacementEngine e = Scheduler.builder().policy("fgd").node(Node.builder("a").cpuMilli(8_000).memoryMiB(16_384)
        .devices(t4, 2).build()).buildEngine();
    e.restore(half("t1"), on("t1", "a", 1));
    assertThat(e.cluster().node("a").freeMilli(1)).isEqualTo(500);
    assertThat(e.cluster().node("a").freeMilli(0)).isEqualTo(1_000);
    e.verifyAccounting();
  }
}
