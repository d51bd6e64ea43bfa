package io.flexsched.model;

import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AcceleratorRequest#checkAgainst}: the rules between a request and a model it may land on. */
class AcceleratorRequestCheckTest {
  private static final DeviceModel ASCEND = DeviceModel.whole("huawei", "Ascend910", 32_768);
  private static final DeviceModel T4 = DeviceModel.fractional("nvidia", "T4", 16_384, 1, Integer.MAX_VALUE);
  private static final DeviceModel VGPU = DeviceModel.fractional("nvidia", "vgpu", 24_576, 50, 10);
  private static final DeviceModel MIG = DeviceModel.partitioned("nvidia", "A100-40GB", 40_960, 8, 7, List.of(
      Profile.of("1g.5gb", 1, 1, 5_120, 0, 1, 2, 3, 4, 5, 6),
      Profile.of("3g.20gb", 4, 3, 20_480, 0, 4)));
  private static final DeviceModel VNPU = DeviceModel.partitioned("huawei", "Ascend910B3", 65_536, 0, 20, List.of(
      Profile.template("vir05_1c_16g", 5, 16_384)));

  @Test
  void aProfileFitsAModelThatHasIt() {
    assertThatCode(() -> AcceleratorRequest.profile("3g.20gb").checkAgainst(MIG)).doesNotThrowAnyException();
    assertThatCode(() -> AcceleratorRequest.profile("vir05_1c_16g").checkAgainst(VNPU)).doesNotThrowAnyException();
  }

  @Test
  void rejectsAProfileOnAFractionalModel() {
    assertRejected(() -> AcceleratorRequest.profile("1g.5gb").checkAgainst(T4),
        "profile", "1g.5gb", "profile needs a profile-partitioned model, but T4 is fractional, was 1g.5gb");
  }

  @Test
  void rejectsAProfileOnAWholeModel() {
    assertRejected(() -> AcceleratorRequest.profile("1g.5gb").checkAgainst(ASCEND),
        "profile", "1g.5gb", "profile needs a profile-partitioned model, but Ascend910 is whole, was 1g.5gb");
  }

  @Test
  void rejectsAProfileTheModelDoesNotHave() {
    assertRejected(() -> AcceleratorRequest.profile("1g.10gb").checkAgainst(MIG),
        "profile", "1g.10gb", "profile is not a profile of A100-40GB, was 1g.10gb");
    assertRejected(() -> AcceleratorRequest.profile("3g.20gb").checkAgainst(VNPU),
        "profile", "3g.20gb", "profile is not a profile of Ascend910B3, was 3g.20gb");
  }

  @Test
  void wholeDevicesFitEveryKindOfModel() {
    for (DeviceModel m : List.of(ASCEND, T4, VGPU, MIG, VNPU)) {
      assertThatCode(() -> AcceleratorRequest.whole(2).checkAgainst(m)).as(m.name()).doesNotThrowAnyException();
    }
  }

  @Test
  void aCpuOnlyRequestFitsEveryKindOfModel() {
    for (DeviceModel m : List.of(ASCEND, T4, VGPU, MIG, VNPU)) {
      assertThatCode(() -> AcceleratorRequest.NONE.checkAgainst(m)).as(m.name()).doesNotThrowAnyException();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {50, 100, 150, 500, 950})
  void aShareInTheModelsGranularityFits(int milli) {
    assertThatCode(() -> AcceleratorRequest.share(1, milli, 1024).checkAgainst(VGPU)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 49, 125, 999})
  void rejectsAShareOutsideTheModelsGranularity(int milli) {
    assertRejected(() -> AcceleratorRequest.share(1, milli, 0).checkAgainst(VGPU),
        "gpuMilli", String.valueOf(milli), "gpuMilli must be a multiple of vgpu's granularity 50, was " + milli);
  }

  @Test
  void rejectsAShareOnAWholeModel() {
    // Regression: the javadoc promises "a fractional share only on a fractional model".
    assertRejected(() -> AcceleratorRequest.share(1, 500, 0).checkAgainst(ASCEND),
        "gpuMilli", "500", "gpuMilli needs a fractional model, but Ascend910 is whole, was 500");
  }

  @Test
  void rejectsAShareOnAProfileModel() {
    assertRejected(() -> AcceleratorRequest.share(1, 250, 1024).checkAgainst(MIG),
        "gpuMilli", "250", "gpuMilli needs a fractional model, but A100-40GB is profiles, was 250");
  }

  @Test
  void memoryUpToTheModelsFits() {
    assertThatCode(() -> AcceleratorRequest.share(1, 500, 16_384).checkAgainst(T4)).doesNotThrowAnyException();
  }

  @Test
  void rejectsMoreMemoryThanTheModelHas() {
    assertRejected(() -> AcceleratorRequest.share(1, 500, 16_385).checkAgainst(T4),
        "gpuMemoryMiB", "16385", "gpuMemoryMiB must be at most T4's 16384, was 16385");
  }

  @Test
  void rejectsMoreMemoryThanAWholeDeviceHas() {
    var r = new AcceleratorRequest(1, 1000, 40_000, Set.of(), null, 0);
    assertRejected(() -> r.checkAgainst(ASCEND),
        "gpuMemoryMiB", "40000", "gpuMemoryMiB must be at most Ascend910's 32768, was 40000");
  }
}
