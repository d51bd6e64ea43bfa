package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Construction of {@link AcceleratorRequest}; its fit to a model is in {@link AcceleratorRequestCheckTest}. */
class AcceleratorRequestTest {
  private static AcceleratorRequest request(int count, int milli, long memoryMiB, Set<String> models, String profile, int minLinkScore) {
    return new AcceleratorRequest(count, milli, memoryMiB, models, profile, minLinkScore);
  }

  @Test
  void noneAsksForNothing() {
    var none = AcceleratorRequest.NONE;

    assertThat(none.count()).isZero();
    assertThat(none.milliPerDevice()).isZero();
    assertThat(none.memoryMiBPerDevice()).isZero();
    assertThat(none.models()).isEmpty();
    assertThat(none.profile()).isNull();
    assertThat(none.minLinkScore()).isZero();
    assertThat(none.wantsDevices()).isFalse();
    assertThat(none.isWhole()).isFalse();
    assertThat(none.totalMilli()).isZero();
  }

  @Test
  void wholeAsksForWholeDevicesOfAnyModel() {
    var r = AcceleratorRequest.whole(4);

    assertThat(r.count()).isEqualTo(4);
    assertThat(r.milliPerDevice()).isEqualTo(1000);
    assertThat(r.memoryMiBPerDevice()).isZero();
    assertThat(r.wantsDevices()).isTrue();
    assertThat(r.isWhole()).isTrue();
    assertThat(r.totalMilli()).isEqualTo(4000);
    assertThat(r.allows(DeviceModel.whole("huawei", "Ascend910", 32_768))).isTrue();
  }

  @Test
  void shareAsksForPartOfEachDevice() {
    var r = AcceleratorRequest.share(2, 250, 4096);

    assertThat(r.milliPerDevice()).isEqualTo(250);
    assertThat(r.memoryMiBPerDevice()).isEqualTo(4096);
    assertThat(r.isWhole()).isFalse();
    assertThat(r.totalMilli()).isEqualTo(500);
  }

  @Test
  void profileAsksForOnePartition() {
    var r = AcceleratorRequest.profile("3g.20gb");

    assertThat(r.count()).isEqualTo(1);
    assertThat(r.milliPerDevice()).isEqualTo(1000);
    assertThat(r.memoryMiBPerDevice()).isZero();
    assertThat(r.profile()).isEqualTo("3g.20gb");
    assertThat(r.isWhole()).isFalse();
  }

  @Test
  void onModelsRestrictsWhichModelsServe() {
    var r = AcceleratorRequest.whole(1).onModels(Set.of("T4", "A10"));

    assertThat(r.models()).containsExactlyInAnyOrder("A10", "T4");
    assertThat(r.allows(DeviceModel.fractional("nvidia", "T4", 16_384, 1, 1))).isTrue();
    assertThat(r.allows(DeviceModel.fractional("nvidia", "P100", 16_384, 1, 1))).isFalse();
  }

  @Test
  void modelsAreCopiedAndImmutable() {
    var allowed = new HashSet<>(Set.of("T4"));
    var r = AcceleratorRequest.whole(1).onModels(allowed);
    allowed.add("A10");

    assertThat(r.models()).containsExactly("T4");
    assertThatThrownBy(() -> r.models().add("P100")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withMinLinkScoreKeepsTheRest() {
    var r = AcceleratorRequest.share(2, 500, 1024).withMinLinkScore(100);

    assertThat(r).isEqualTo(request(2, 500, 1024, Set.of(), null, 100));
  }

  @Test
  void acceptsTheBoundaries() {
    assertThat(AcceleratorRequest.whole(64).count()).isEqualTo(64);
    assertThat(AcceleratorRequest.share(1, 1, 0).milliPerDevice()).isEqualTo(1);
    assertThat(AcceleratorRequest.whole(2).withMinLinkScore(1).minLinkScore()).isEqualTo(1);
    assertThat(request(2, 1000, 0, Set.of(), "1g.5gb", 0).count()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65})
  void rejectsADeviceCountOutside0To64(int count) {
    assertRejected(() -> AcceleratorRequest.whole(count),
        "gpus", String.valueOf(count), "gpus must be in 0..64, was " + count);
  }

  @Test
  void rejectsNullModels() {
    assertRejected(() -> request(1, 1000, 0, null, null, 0), "models", "null", "models must not be null, was null");
  }

  @Test
  void rejectsANullModel() {
    var models = new HashSet<>(Arrays.asList((String) null));
    assertRejected(() -> AcceleratorRequest.whole(1).onModels(models),
        "models", "[null]", "models must not contain null, was [null]");
  }

  @Test
  void rejectsABadModelName() {
    assertRejected(() -> AcceleratorRequest.whole(1).onModels(Set.of("A100 40GB")),
        "models", "'A100 40GB'", "models " + NAME_RULE + ", was 'A100 40GB'");
  }

  @Test
  void rejectsNegativeMemory() {
    assertRejected(() -> AcceleratorRequest.share(1, 500, -1),
        "gpuMemoryMiB", "-1", "gpuMemoryMiB must be at least 0, was -1");
  }

  @Test
  void rejectsANegativeLinkScore() {
    assertRejected(() -> AcceleratorRequest.whole(2).withMinLinkScore(-1),
        "minLinkScore", "-1", "minLinkScore must be at least 0, was -1");
  }

  @Test
  void rejectsComputeWithoutDevices() {
    assertRejected(() -> request(0, 500, 0, Set.of(), null, 0),
        "gpuMilli", "500", "gpuMilli must be 0 when gpus is 0, was 500");
  }

  @Test
  void rejectsMemoryWithoutDevices() {
    assertRejected(() -> request(0, 0, 1024, Set.of(), null, 0),
        "gpuMemoryMiB", "1024", "gpuMemoryMiB must be 0 when gpus is 0, was 1024");
  }

  @Test
  void rejectsAProfileWithoutDevices() {
    assertRejected(() -> request(0, 0, 0, Set.of(), "1g.5gb", 0),
        "profile", "1g.5gb", "profile needs gpus of at least 1, was 1g.5gb");
  }

  @Test
  void rejectsModelsWithoutDevices() {
    assertRejected(() -> AcceleratorRequest.NONE.onModels(Set.of("T4")),
        "models", "[T4]", "models needs gpus of at least 1, was [T4]");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1001, 1200})
  void rejectsComputeOutside1To1000PerDevice(int milli) {
    assertRejected(() -> AcceleratorRequest.share(1, milli, 0),
        "gpuMilli", String.valueOf(milli), "gpuMilli must be in 1..1000, was " + milli);
  }

  @Test
  void rejectsABadProfileName() {
    assertRejected(() -> AcceleratorRequest.profile("3g 20gb"),
        "profile", "'3g 20gb'", "profile " + NAME_RULE + ", was '3g 20gb'");
  }

  @Test
  void rejectsAProfileWithAComputeShare() {
    assertRejected(() -> request(1, 500, 0, Set.of(), "3g.20gb", 0),
        "gpuMilli", "500", "gpuMilli must be left at 1000 when a profile is given, was 500");
  }

  @Test
  void rejectsAProfileWithAMemoryQuota() {
    assertRejected(() -> request(1, 1000, 20_480, Set.of(), "3g.20gb", 0),
        "gpuMemoryMiB", "20480", "gpuMemoryMiB must be left out when a profile is given (the profile sets it), was 20480");
  }

  @Test
  void rejectsALinkScoreForOneDevice() {
    assertRejected(() -> AcceleratorRequest.whole(1).withMinLinkScore(50),
        "minLinkScore", "50", "minLinkScore needs gpus of at least 2, was 50");
  }

  @Test
  void rejectsALinkScoreForNoDevice() {
    assertRejected(() -> AcceleratorRequest.NONE.withMinLinkScore(50),
        "minLinkScore", "50", "minLinkScore needs gpus of at least 2, was 50");
  }
}
