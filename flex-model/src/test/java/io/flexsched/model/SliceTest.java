package io.flexsched.model;

import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SliceTest {
  @Test
  void shareHasNoProfileAndNoPosition() {
    var s = Slice.share(3, 250, 4096);

    assertThat(s.device()).isEqualTo(3);
    assertThat(s.milli()).isEqualTo(250);
    assertThat(s.memoryMiB()).isEqualTo(4096);
    assertThat(s.profile()).isNull();
    assertThat(s.start()).isEqualTo(-1);
  }

  @Test
  void aProfileMayHaveAPosition() {
    assertThat(new Slice(0, 428, 20_480, "3g.20gb", 4).start()).isEqualTo(4);
  }

  @Test
  void aTemplateHasNoPosition() {
    assertThat(new Slice(0, 250, 16_384, "vir05_1c_16g", -1).start()).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000})
  void acceptsComputeFrom0To1000(int milli) {
    assertThat(Slice.share(0, milli, 0).milli()).isEqualTo(milli);
  }

  @Test
  void rejectsANegativeDevice() {
    assertRejected(() -> Slice.share(-1, 1000, 0), "slice.device", "-1", "slice.device must be at least 0, was -1");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 1001})
  void rejectsComputeOutside0To1000(int milli) {
    assertRejected(() -> Slice.share(0, milli, 0),
        "slice.milli", String.valueOf(milli), "slice.milli must be in 0..1000, was " + milli);
  }

  @Test
  void rejectsNegativeMemory() {
    assertRejected(() -> Slice.share(0, 1000, -1), "slice.memoryMiB", "-1", "slice.memoryMiB must be at least 0, was -1");
  }

  @Test
  void rejectsAStartBelowMinusOne() {
    assertRejected(() -> new Slice(0, 428, 20_480, "3g.20gb", -2),
        "slice.start", "-2", "slice.start must be at least -1, was -2");
  }

  @Test
  void rejectsAPositionWithoutAProfile() {
    assertRejected(() -> new Slice(0, 500, 0, null, 0),
        "slice.start", "0", "slice.start must be -1 without a profile, was 0");
  }
}
