package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTest {
  @Test
  void ofKeepsGeometry() {
    var p = Profile.of("3g.20gb", 4, 3, 20_480, 0, 4);

    assertThat(p.name()).isEqualTo("3g.20gb");
    assertThat(p.slots()).isEqualTo(4);
    assertThat(p.computeUnits()).isEqualTo(3);
    assertThat(p.memoryMiB()).isEqualTo(20_480);
    assertThat(p.starts()).containsExactly(0, 4);
  }

  @Test
  void templateHasNoSlotsAndNoStarts() {
    var p = Profile.template("vir05_1c_16g", 5, 16_384);

    assertThat(p.slots()).isZero();
    assertThat(p.starts()).isEmpty();
    assertThat(p.computeUnits()).isEqualTo(5);
    assertThat(p.memoryMiB()).isEqualTo(16_384);
  }

  @Test
  void startsAreCopiedAndImmutable() {
    var starts = new ArrayList<>(List.of(0, 2));
    var p = new Profile("1g.10gb", 2, 1, 10_240, starts);
    starts.add(4);

    assertThat(p.starts()).containsExactly(0, 2);
    assertThatThrownBy(() -> p.starts().add(6)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void slotMaskCoversTheRunFromItsStart() {
    assertThat(Profile.of("1g.5gb", 1, 1, 5_120, 3).slotMask(3)).isEqualTo(0b1000L);
    assertThat(Profile.of("3g.20gb", 4, 3, 20_480, 0, 4).slotMask(0)).isEqualTo(0x0FL);
    assertThat(Profile.of("3g.20gb", 4, 3, 20_480, 0, 4).slotMask(4)).isEqualTo(0xF0L);
    assertThat(Profile.of("7g.40gb", 8, 7, 40_960, 0).slotMask(0)).isEqualTo(0xFFL);
  }

  @Test
  void slotMaskOfATemplateIsEmpty() {
    assertThat(Profile.template("vir10_3c_32g", 10, 32_768).slotMask(0)).isZero();
  }

  @Test
  void slotMaskOfAProfileTakingAllSixtyFourSlotsIsFull() {
    // Regression: 1L << 64 is 1L in Java, so the mask used to come out empty.
    assertThat(Profile.of("all", DeviceModel.MAX_SLOTS, 1, 1, 0).slotMask(0)).isEqualTo(-1L);
    assertThat(Profile.of("top", 63, 1, 1, 1).slotMask(1)).isEqualTo(-2L);
  }

  @Test
  void rejectsANullName() {
    assertRejected(() -> Profile.template(null, 1, 1),
        "profile.name", "null", "profile.name " + NAME_RULE + ", was null");
  }

  @Test
  void rejectsABadName() {
    assertRejected(() -> Profile.template("3g 20gb", 1, 1),
        "profile.name", "'3g 20gb'", "profile.name " + NAME_RULE + ", was '3g 20gb'");
  }

  @Test
  void rejectsNegativeSlots() {
    assertRejected(() -> new Profile("p", -1, 1, 1, List.of()),
        "profile p slots", "-1", "profile p slots must be at least 0, was -1");
  }

  @Test
  void rejectsZeroComputeUnits() {
    assertRejected(() -> Profile.template("p", 0, 1),
        "profile p computeUnits", "0", "profile p computeUnits must be at least 1, was 0");
  }

  @Test
  void rejectsZeroMemory() {
    assertRejected(() -> Profile.template("p", 1, 0),
        "profile p memoryMiB", "0", "profile p memoryMiB must be at least 1, was 0");
  }

  @Test
  void rejectsNullStarts() {
    assertRejected(() -> new Profile("p", 1, 1, 1, null),
        "profile p starts", "null", "profile p starts must not be null, was null");
  }

  @Test
  void rejectsANullStart() {
    assertRejected(() -> new Profile("p", 1, 1, 1, Arrays.asList(0, null)),
        "profile p starts", "[0, null]", "profile p starts must not contain null, was [0, null]");
  }

  @Test
  void rejectsARepeatedStart() {
    assertRejected(() -> Profile.of("p", 1, 1, 1, 0, 2, 2),
        "profile p starts", "2", "profile p starts must not repeat, was 2");
  }

  @Test
  void rejectsStartsOnAProfileWithoutSlots() {
    assertRejected(() -> Profile.of("p", 0, 1, 1, 0),
        "profile p starts", "[0]", "profile p starts must be empty for a profile without slots, was [0]");
  }

  @Test
  void rejectsAProfileWithSlotsButNoStart() {
    assertRejected(() -> Profile.of("p", 2, 1, 1),
        "profile p starts", "[]", "profile p starts must list at least one start for a profile with slots, was []");
  }

  @Test
  void rejectsANegativeStart() {
    assertRejected(() -> Profile.of("p", 1, 1, 1, 0, -1),
        "profile p starts", "-1", "profile p starts must be at least 0, was -1");
  }
}
