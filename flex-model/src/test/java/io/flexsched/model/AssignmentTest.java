package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentTest {
  @Test
  void totalsTheComputeGiven() {
    var a = new Assignment("t", "n", List.of(Slice.share(0, 1000, 0), Slice.share(1, 250, 0), new Slice(2, 428, 20_480, "3g.20gb", 0)));

    assertThat(a.totalMilli()).isEqualTo(1678);
  }

  @Test
  void aCpuOnlyTaskHasNoSlices() {
    var a = new Assignment("t", "n", List.of());

    assertThat(a.slices()).isEmpty();
    assertThat(a.totalMilli()).isZero();
  }

  @Test
  void slicesAreCopiedAndImmutable() {
    var slices = new ArrayList<>(List.of(Slice.share(0, 500, 0)));
    var a = new Assignment("t", "n", slices);
    slices.add(Slice.share(1, 500, 0));

    assertThat(a.slices()).hasSize(1);
    assertThatThrownBy(() -> a.slices().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void slicesAreInIncreasingDeviceOrder() {
    // Regression: the javadoc promises increasing device order, but the given order was kept.
    var a = new Assignment("t", "n", List.of(Slice.share(3, 1000, 0), Slice.share(0, 1000, 0), Slice.share(1, 1000, 0)));

    assertThat(a.slices()).extracting(Slice::device).containsExactly(0, 1, 3);
    assertThat(a).isEqualTo(new Assignment("t", "n", List.of(Slice.share(0, 1000, 0), Slice.share(1, 1000, 0), Slice.share(3, 1000, 0))));
  }

  @Test
  void rejectsABadTask() {
    assertRejected(() -> new Assignment("", "n", List.of()), "assignment.task", "''", "assignment.task " + NAME_RULE + ", was ''");
    assertRejected(() -> new Assignment(null, "n", List.of()), "assignment.task", "null", "assignment.task " + NAME_RULE + ", was null");
  }

  @Test
  void rejectsABadNode() {
    assertRejected(() -> new Assignment("t", "node 1", List.of()),
        "assignment.node", "'node 1'", "assignment.node " + NAME_RULE + ", was 'node 1'");
  }

  @Test
  void rejectsNullSlices() {
    assertRejected(() -> new Assignment("t", "n", null), "assignment.slices", "null", "assignment.slices must not be null, was null");
  }

  @Test
  void rejectsANullSlice() {
    assertRejected(() -> new Assignment("t", "n", Arrays.asList((Slice) null)),
        "assignment.slices", "[null]", "assignment.slices must not contain null, was [null]");
  }

  @Test
  void rejectsTwoSlicesOfOneDevice() {
    assertRejected(() -> new Assignment("t", "n", List.of(Slice.share(1, 250, 0), Slice.share(0, 250, 0), Slice.share(1, 250, 0))),
        "assignment t slice device", "1", "assignment t slice device must not repeat, was 1");
  }
}
