package io.flexsched.model;

import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules each {@link SharingMode} puts on a {@link DeviceModel}, and on its profiles. */
class DeviceModelSharingTest {
  private static final Profile SMALL = Profile.of("1g.5gb", 1, 1, 5_120, 0, 1, 2, 3, 4, 5, 6);
  private static final Profile HALF = Profile.of("3g.20gb", 4, 3, 20_480, 0, 4);

  private static DeviceModel model(SharingMode sharing, int granularityMilli, int maxSharers, int slots, int computeUnits, List<Profile> profiles) {
    return new DeviceModel("M", "acme", 40_960, sharing, granularityMilli, maxSharers, slots, computeUnits, profiles, Map.of());
  }

  private static DeviceModel mig(Profile... profiles) {
    return model(SharingMode.PROFILES, 1000, 7, 8, 7, List.of(profiles));
  }

  // --- whole ---

  @Test
  void wholeAcceptsOnlyItsFixedValues() {
    assertThat(model(SharingMode.WHOLE, 1000, 1, 0, 0, List.of()).sharing()).isEqualTo(SharingMode.WHOLE);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 50, 500, 999, 1001})
  void wholeRejectsAGranularityOtherThan1000(int granularity) {
    assertRejected(() -> model(SharingMode.WHOLE, granularity, 1, 0, 0, List.of()),
        "model M granularityMilli", String.valueOf(granularity),
        "model M granularityMilli must be 1000 when sharing is whole, was " + granularity);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void wholeRejectsSharers(int sharers) {
    assertRejected(() -> model(SharingMode.WHOLE, 1000, sharers, 0, 0, List.of()),
        "model M maxSharers", String.valueOf(sharers), "model M maxSharers must be 1 when sharing is whole, was " + sharers);
  }

  @Test
  void wholeRejectsSlots() {
    assertRejected(() -> model(SharingMode.WHOLE, 1000, 1, 8, 0, List.of()),
        "model M slots", "8", "model M slots must be 0 when sharing is whole, was 8");
  }

  @Test
  void wholeRejectsComputeUnits() {
    assertRejected(() -> model(SharingMode.WHOLE, 1000, 1, 0, 7, List.of()),
        "model M computeUnits", "7", "model M computeUnits must be 0 when sharing is whole, was 7");
  }

  @Test
  void wholeRejectsProfiles() {
    assertRejected(() -> model(SharingMode.WHOLE, 1000, 1, 0, 0, List.of(SMALL, HALF)),
        "model M profiles", "1g.5gb", "model M profiles are only allowed when sharing is profiles, was 1g.5gb");
  }

  // --- fractional ---

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 50, 125, 250, 500, 1000})
  void fractionalAcceptsGranularitiesDividing1000(int granularity) {
    assertThat(DeviceModel.fractional("acme", "M", 1, granularity, 1).granularityMilli()).isEqualTo(granularity);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -50, 1001, 2000})
  void fractionalRejectsAGranularityOutside1To1000(int granularity) {
    assertRejected(() -> DeviceModel.fractional("acme", "M", 1, granularity, 1),
        "model M granularityMilli", String.valueOf(granularity), "model M granularityMilli must be in 1..1000, was " + granularity);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 300, 333, 999})
  void fractionalRejectsAGranularityNotDividing1000(int granularity) {
    assertRejected(() -> DeviceModel.fractional("acme", "M", 1, granularity, 1),
        "model M granularityMilli", String.valueOf(granularity), "model M granularityMilli must divide 1000, was " + granularity);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void fractionalRejectsFewerThanOneSharer(int sharers) {
    assertRejected(() -> DeviceModel.fractional("acme", "M", 1, 50, sharers),
        "model M maxSharers", String.valueOf(sharers), "model M maxSharers must be at least 1, was " + sharers);
  }

  @Test
  void fractionalRejectsSlots() {
    assertRejected(() -> model(SharingMode.FRACTIONAL, 50, 10, 8, 0, List.of()),
        "model M slots", "8", "model M slots must be 0 when sharing is fractional, was 8");
  }

  @Test
  void fractionalRejectsComputeUnits() {
    assertRejected(() -> model(SharingMode.FRACTIONAL, 50, 10, 0, 7, List.of()),
        "model M computeUnits", "7", "model M computeUnits must be 0 when sharing is fractional, was 7");
  }

  @Test
  void fractionalRejectsProfiles() {
    assertRejected(() -> model(SharingMode.FRACTIONAL, 50, 10, 0, 0, List.of(HALF)),
        "model M profiles", "3g.20gb", "model M profiles are only allowed when sharing is profiles, was 3g.20gb");
  }

  // --- profiles ---

  @Test
  void profilesAcceptTemplatesOnAModelWithoutSlots() {
    var m = model(SharingMode.PROFILES, 1000, 4, 0, 20, List.of(Profile.template("vir05_1c_16g", 5, 16_384)));

    assertThat(m.slots()).isZero();
    assertThat(m.profiles()).extracting(Profile::name).containsExactly("vir05_1c_16g");
  }

  @Test
  void profilesAcceptTheLargestSlotCountAndAProfileFillingIt() {
    var m = model(SharingMode.PROFILES, 1000, 1, DeviceModel.MAX_SLOTS, 1, List.of(Profile.of("all", 64, 1, 1, 0)));

    assertThat(m.slots()).isEqualTo(64);
  }

  @Test
  void profilesAcceptAProfileEndingOnTheLastSlot() {
    assertThat(mig(Profile.of("1g.5gb", 1, 1, 5_120, 7), HALF).profiles()).hasSize(2);
  }

  @Test
  void profilesAcceptAProfileUsingEveryComputeUnitAndAllMemory() {
    assertThat(mig(Profile.of("7g.40gb", 8, 7, 40_960, 0)).profiles()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 50, 999})
  void profilesRejectAGranularityOtherThan1000(int granularity) {
    assertRejected(() -> model(SharingMode.PROFILES, granularity, 7, 8, 7, List.of(SMALL)),
        "model M granularityMilli", String.valueOf(granularity),
        "model M granularityMilli must be 1000 when sharing is profiles, was " + granularity);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65})
  void profilesRejectSlotsOutside0To64(int slots) {
    assertRejected(() -> model(SharingMode.PROFILES, 1000, 7, slots, 7, List.of(SMALL)),
        "model M slots", String.valueOf(slots), "model M slots must be in 0..64, was " + slots);
  }

  @Test
  void profilesRejectZeroComputeUnits() {
    assertRejected(() -> model(SharingMode.PROFILES, 1000, 7, 8, 0, List.of(SMALL)),
        "model M computeUnits", "0", "model M computeUnits must be at least 1, was 0");
  }

  @Test
  void profilesRejectZeroSharers() {
    assertRejected(() -> model(SharingMode.PROFILES, 1000, 0, 8, 7, List.of(SMALL)),
        "model M maxSharers", "0", "model M maxSharers must be at least 1, was 0");
  }

  @Test
  void profilesRejectAnEmptyProfileList() {
    assertRejected(() -> mig(),
        "model M profiles", "[]", "model M profiles must list at least one profile when sharing is profiles, was []");
  }

  @Test
  void profilesRejectARepeatedProfileName() {
    assertRejected(() -> mig(SMALL, HALF, Profile.of("1g.5gb", 2, 1, 5_120, 0)),
        "model M profiles", "1g.5gb", "model M profiles must not repeat a name, was 1g.5gb");
  }

  @Test
  void profilesRejectAProfileWithMoreComputeUnitsThanTheModel() {
    assertRejected(() -> mig(Profile.of("8g.40gb", 8, 8, 40_960, 0)),
        "model M profile 8g.40gb computeUnits", "8", "model M profile 8g.40gb computeUnits must be at most the model's 7, was 8");
  }

  @Test
  void profilesRejectAProfileWithMoreMemoryThanTheModel() {
    assertRejected(() -> mig(Profile.of("7g.41gb", 8, 7, 40_961, 0)),
        "model M profile 7g.41gb memoryMiB", "40961", "model M profile 7g.41gb memoryMiB must be at most the model's 40960, was 40961");
  }

  @Test
  void profilesRejectAProfileWithSlotsOnAModelWithout() {
    assertRejected(() -> model(SharingMode.PROFILES, 1000, 4, 0, 20, List.of(Profile.of("p", 1, 5, 16_384, 0))),
        "model M profile p slots", "1", "model M profile p slots must be 0 on a model without slots, was 1");
  }

  @Test
  void profilesRejectAProfileWithMoreSlotsThanTheModel() {
    assertRejected(() -> mig(Profile.of("p", 9, 7, 40_960, 0)),
        "model M profile p slots", "9", "model M profile p slots must be at most the model's 8, was 9");
  }

  @Test
  void profilesRejectAStartThatRunsPastTheLastSlot() {
    assertRejected(() -> mig(Profile.of("3g.20gb", 4, 3, 20_480, 0, 5)),
        "model M profile 3g.20gb starts", "5", "model M profile 3g.20gb starts must leave room for 4 slots within 8, was 5");
  }

  @Test
  void profilesRejectAStartFarPastTheLastSlot() {
    // Regression: start + slots overflowed int and the start was accepted.
    assertRejected(() -> mig(Profile.of("1g.5gb", 1, 1, 5_120, Integer.MAX_VALUE)),
        "model M profile 1g.5gb starts", "2147483647",
        "model M profile 1g.5gb starts must leave room for 1 slots within 8, was 2147483647");
  }
}
