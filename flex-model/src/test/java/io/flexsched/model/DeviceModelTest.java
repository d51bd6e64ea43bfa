package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Identity fields, factories, copies and queries of {@link DeviceModel}; sharing rules are in {@link DeviceModelSharingTest}. */
class DeviceModelTest {
  private static final Profile SMALL = Profile.of("1g.5gb", 1, 1, 5_120, 0, 1, 2, 3, 4, 5, 6);
  private static final Profile HALF = Profile.of("3g.20gb", 4, 3, 20_480, 0, 4);
  private static final Profile FULL = Profile.of("7g.40gb", 8, 7, 40_960, 0);
  private static final DeviceModel MIG = DeviceModel.partitioned("nvidia", "A100-40GB", 40_960, 8, 7, List.of(SMALL, HALF, FULL));

  private static DeviceModel whole(String name, String vendor, long memoryMiB, List<Profile> profiles, Map<String, String> attributes) {
    return new DeviceModel(name, vendor, memoryMiB, SharingMode.WHOLE, 1000, 1, 0, 0, profiles, attributes);
  }

  @Test
  void wholeFactoryHandsOutOnlyWholeDevices() {
    var m = DeviceModel.whole("huawei", "Ascend910", 32_768);

    assertThat(m.name()).isEqualTo("Ascend910");
    assertThat(m.vendor()).isEqualTo("huawei");
    assertThat(m.memoryMiB()).isEqualTo(32_768);
    assertThat(m.sharing()).isEqualTo(SharingMode.WHOLE);
    assertThat(m.granularityMilli()).isEqualTo(DeviceModel.WHOLE_MILLI);
    assertThat(m.maxSharers()).isEqualTo(1);
    assertThat(m.slots()).isZero();
    assertThat(m.computeUnits()).isZero();
    assertThat(m.profiles()).isEmpty();
    assertThat(m.attributes()).isEmpty();
  }

  @Test
  void fractionalFactoryKeepsGranularityAndSharers() {
    var m = DeviceModel.fractional("nvidia", "T4", 16_384, 50, 10);

    assertThat(m.sharing()).isEqualTo(SharingMode.FRACTIONAL);
    assertThat(m.granularityMilli()).isEqualTo(50);
    assertThat(m.maxSharers()).isEqualTo(10);
    assertThat(m.slots()).isZero();
    assertThat(m.computeUnits()).isZero();
    assertThat(m.profiles()).isEmpty();
  }

  @Test
  void partitionedFactoryAllowsAnyNumberOfSharers() {
    assertThat(MIG.sharing()).isEqualTo(SharingMode.PROFILES);
    assertThat(MIG.granularityMilli()).isEqualTo(DeviceModel.WHOLE_MILLI);
    assertThat(MIG.maxSharers()).isEqualTo(Integer.MAX_VALUE);
    assertThat(MIG.slots()).isEqualTo(8);
    assertThat(MIG.computeUnits()).isEqualTo(7);
    assertThat(MIG.profiles()).containsExactly(SMALL, HALF, FULL);
  }

  @Test
  void profileIsFoundByName() {
    assertThat(MIG.profile("3g.20gb")).contains(HALF);
    assertThat(MIG.profile("2g.10gb")).isEmpty();
    assertThat(DeviceModel.whole("huawei", "Ascend910", 32_768).profile("3g.20gb")).isEmpty();
  }

  @Test
  void profileMilliIsTheShareOfComputeUnitsRoundedDown() {
    assertThat(MIG.profileMilli(SMALL)).isEqualTo(142);
    assertThat(MIG.profileMilli(HALF)).isEqualTo(428);
    assertThat(MIG.profileMilli(FULL)).isEqualTo(1000);
  }

  @Test
  void withAttributeAddsOrReplacesAndLeavesTheOriginal() {
    var plain = DeviceModel.whole("huawei", "Ascend910", 32_768);
    var ring4 = plain.withAttribute("ringSize", "4");
    var ring2 = ring4.withAttribute("ringSize", "2");

    assertThat(plain.attributes()).isEmpty();
    assertThat(ring4.attributes()).containsExactly(Map.entry("ringSize", "4"));
    assertThat(ring2.attributes()).containsExactly(Map.entry("ringSize", "2"));
    assertThat(ring4).isNotEqualTo(plain);
  }

  @Test
  void profilesAndAttributesAreCopiedAndImmutable() {
    var profiles = new ArrayList<>(List.of(SMALL));
    var attributes = new HashMap<>(Map.of("k", "v"));
    var m = DeviceModel.partitioned("nvidia", "M", 40_960, 8, 7, profiles).withAttribute("k", "v");
    var direct = new DeviceModel("W", "acme", 1, SharingMode.WHOLE, 1000, 1, 0, 0, List.of(), attributes);
    profiles.add(HALF);
    attributes.put("k2", "v2");

    assertThat(m.profiles()).containsExactly(SMALL);
    assertThat(direct.attributes()).containsExactly(Map.entry("k", "v"));
    assertThatThrownBy(() -> m.profiles().add(FULL)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void modelsWithEqualValuesAreEqual() {
    var a = DeviceModel.partitioned("nvidia", "A100-40GB", 40_960, 8, 7, new ArrayList<>(List.of(SMALL, HALF, FULL)));

    assertThat(a).isEqualTo(MIG).hasSameHashCodeAs(MIG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"A100-40GB", "t4", "V100M32", "a.b_c:d/e+f-g", "0"})
  void acceptsNamesOfLettersDigitsAndPunctuation(String name) {
    assertThat(DeviceModel.whole("acme", name, 1).name()).isEqualTo(name);
  }

  @Test
  void rejectsANullName() {
    assertRejected(() -> DeviceModel.whole("acme", null, 1),
        "model.name", "null", "model.name " + NAME_RULE + ", was null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "A100 40GB", "-A100", ".T4", "T4\n", "Grafikkarte\u00e9"})
  void rejectsABadName(String name) {
    assertRejected(() -> DeviceModel.whole("acme", name, 1),
        "model.name", "'" + name + "'", "model.name " + NAME_RULE + ", was '" + name + "'");
  }

  @Test
  void rejectsANullVendor() {
    assertRejected(() -> DeviceModel.whole(null, "M", 1),
        "model M vendor", "null", "model M vendor " + NAME_RULE + ", was null");
  }

  @Test
  void rejectsABadVendor() {
    assertRejected(() -> DeviceModel.whole("", "M", 1),
        "model M vendor", "''", "model M vendor " + NAME_RULE + ", was ''");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void rejectsMemoryBelowOneMiB(long memoryMiB) {
    assertRejected(() -> DeviceModel.whole("acme", "M", memoryMiB),
        "model M memoryMiB", String.valueOf(memoryMiB), "model M memoryMiB must be at least 1, was " + memoryMiB);
  }

  @Test
  void rejectsANullSharingMode() {
    assertRejected(() -> new DeviceModel("M", "acme", 1, null, 1000, 1, 0, 0, List.of(), Map.of()),
        "model M sharing", "null", "model M sharing must be whole, fractional or profiles, was null");
  }

  @Test
  void rejectsNullProfiles() {
    assertRejected(() -> whole("M", "acme", 1, null, Map.of()),
        "model M profiles", "null", "model M profiles must not be null, was null");
  }

  @Test
  void rejectsANullProfile() {
    assertRejected(() -> whole("M", "acme", 1, Arrays.asList((Profile) null), Map.of()),
        "model M profiles", "[null]", "model M profiles must not contain null, was [null]");
  }

  @Test
  void rejectsNullAttributes() {
    assertRejected(() -> whole("M", "acme", 1, List.of(), null),
        "model M attributes", "null", "model M attributes must not be null, was null");
  }

  @Test
  void rejectsABadAttributeKey() {
    assertRejected(() -> whole("M", "acme", 1, List.of(), Map.of("ring size", "4")),
        "model M attributes key", "'ring size'", "model M attributes key " + NAME_RULE + ", was 'ring size'");
  }

  @Test
  void rejectsANullAttributeKey() {
    var attributes = new HashMap<String, String>();
    attributes.put(null, "4");
    assertRejected(() -> whole("M", "acme", 1, List.of(), attributes),
        "model M attributes key", "null", "model M attributes key " + NAME_RULE + ", was null");
  }

  @Test
  void rejectsANullAttributeValue() {
    var attributes = new HashMap<String, String>();
    attributes.put("ringSize", null);
    assertRejected(() -> whole("M", "acme", 1, List.of(), attributes),
        "model M attributes.ringSize", "null", "model M attributes.ringSize must not be null, was null");
  }

  @Test
  void withAttributeValidatesTheNewAttribute() {
    var m = DeviceModel.whole("acme", "M", 1);
    assertRejected(() -> m.withAttribute("", "4"),
        "model M attributes key", "''", "model M attributes key " + NAME_RULE + ", was ''");
    assertRejected(() -> m.withAttribute("ringSize", null),
        "model M attributes.ringSize", "null", "model M attributes.ringSize must not be null, was null");
  }
}
