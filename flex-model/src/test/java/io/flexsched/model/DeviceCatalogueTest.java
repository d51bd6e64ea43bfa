package io.flexsched.model;

import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in catalogue against /work/shared/reference/hardware.md, and the catalogue's own rules. */
class DeviceCatalogueTest {
  private static final DeviceCatalogue BUILT_IN = DeviceCatalogue.builtIn();

  /** One row of hardware.md's MIG table: slots, compute units, allowed starts. */
  private record Geometry(int slots, int computeUnits, List<Integer> starts) {}

  private static final List<Geometry> MIG_GEOMETRY = List.of(
      new Geometry(1, 1, List.of(0, 1, 2, 3, 4, 5, 6)),
      new Geometry(2, 1, List.of(0, 2, 4, 6)),
      new Geometry(2, 2, List.of(0, 2, 4)),
      new Geometry(4, 3, List.of(0, 4)),
      new Geometry(4, 4, List.of(0)),
      new Geometry(8, 7, List.of(0)));

  static Stream<Arguments> migModels() {
    return Stream.of(
        Arguments.of("A100-40GB", 40_960L, List.of("1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb")),
        Arguments.of("A100-80GB", 81_920L, List.of("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb")),
        Arguments.of("H100-80GB", 81_920L, List.of("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb")),
        // H200 is not in hardware.md's table; its names are NVIDIA's, its geometry the same.
        Arguments.of("H200", 144_384L, List.of("1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb")));
  }

  @Test
  void builtInHoldsTheTraceMigAndAscendModels() {
    assertThat(BUILT_IN.models()).containsOnlyKeys(
        "P100", "T4", "V100M16", "V100M32", "A10", "G2", "G3",
        "A100-40GB", "A100-80GB", "H100-80GB", "H200",
        "Ascend910", "Ascend910B3");
    BUILT_IN.models().forEach((name, model) -> assertThat(model.name()).isEqualTo(name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("migModels")
  void migModelsHaveEightSlotsSevenUnitsAndTheProfileTable(String name, long memoryMiB, List<String> profileNames) {
    DeviceModel gpu = BUILT_IN.require(name);

    assertThat(gpu.vendor()).isEqualTo("nvidia");
    assertThat(gpu.sharing()).isEqualTo(SharingMode.PROFILES);
    assertThat(gpu.memoryMiB()).isEqualTo(memoryMiB);
    assertThat(gpu.slots()).isEqualTo(8);
    assertThat(gpu.computeUnits()).isEqualTo(7);
    assertThat(gpu.profiles()).extracting(Profile::name).containsExactlyElementsOf(profileNames);
    assertThat(gpu.profiles())
        .extracting(p -> new Geometry(p.slots(), p.computeUnits(), p.starts()))
        .containsExactlyElementsOf(MIG_GEOMETRY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("migModels")
  void migProfileMemoryIsReadFromTheProfileName(String name, long memoryMiB, List<String> profileNames) {
    DeviceModel gpu = BUILT_IN.require(name);

    for (String profileName : profileNames) {
      long gib = Long.parseLong(profileName.substring(profileName.indexOf('.') + 1, profileName.length() - 2));
      assertThat(gpu.profile(profileName).orElseThrow().memoryMiB()).as(profileName).isEqualTo(gib * 1024);
    }
    assertThat(gpu.profiles().get(5).memoryMiB()).isEqualTo(memoryMiB);
  }

  @ParameterizedTest
  @CsvSource({"P100, 16384", "T4, 16384", "V100M16, 16384", "V100M32, 32768", "A10, 24576", "G2, 24576", "G3, 32768"})
  void traceModelsAreFractionalToOneMilliWithoutASharerLimit(String name, long memoryMiB) {
    DeviceModel gpu = BUILT_IN.require(name);

    assertThat(gpu.vendor()).isEqualTo("nvidia");
    assertThat(gpu.sharing()).isEqualTo(SharingMode.FRACTIONAL);
    assertThat(gpu.granularityMilli()).isEqualTo(1);
    assertThat(gpu.maxSharers()).isEqualTo(Integer.MAX_VALUE);
    assertThat(gpu.memoryMiB()).isEqualTo(memoryMiB);
    assertThat(gpu.profiles()).isEmpty();
  }

  @Test
  void ascend910IsWholeInRingsOfFour() {
    DeviceModel npu = BUILT_IN.require("Ascend910");

    assertThat(npu.vendor()).isEqualTo("huawei");
    assertThat(npu.sharing()).isEqualTo(SharingMode.WHOLE);
    assertThat(npu.memoryMiB()).isEqualTo(32_768);
    assertThat(DeviceCatalogue.RING_SIZE).isEqualTo("ringSize");
    assertThat(npu.attributes()).containsExactly(Map.entry("ringSize", "4"));
  }

  @Test
  void ascend910B3HasTwentyCoresAndVirtualTemplates() {
    DeviceModel npu = BUILT_IN.require("Ascend910B3");

    assertThat(npu.vendor()).isEqualTo("huawei");
    assertThat(npu.sharing()).isEqualTo(SharingMode.PROFILES);
    assertThat(npu.computeUnits()).isEqualTo(20);
    assertThat(npu.memoryMiB()).isEqualTo(65_536);
    assertThat(npu.slots()).isZero();
    assertThat(npu.profiles()).containsExactly(
        Profile.template("vir05_1c_16g", 5, 16_384),
        Profile.template("vir10_3c_32g", 10, 32_768));
  }

  @Test
  void ofHoldsExactlyTheGivenModels() {
    var t4 = BUILT_IN.require("T4");
    var npu = BUILT_IN.require("Ascend910");
    var c = DeviceCatalogue.of(List.of(t4, npu));

    assertThat(c.models()).containsOnlyKeys("T4", "Ascend910");
    assertThat(c.find("T4")).containsSame(t4);
    assertThat(c.find("A10")).isEmpty();
    assertThat(DeviceCatalogue.of(List.of()).models()).isEmpty();
  }

  @Test
  void withAddsOrReplacesAndLeavesTheOriginal() {
    var custom = DeviceModel.fractional("acme", "X1", 8_192, 100, 4);
    var biggerT4 = DeviceModel.fractional("nvidia", "T4", 32_768, 1, 4);
    var c = BUILT_IN.with(custom).with(biggerT4);

    assertThat(c.require("X1")).isSameAs(custom);
    assertThat(c.require("T4")).isSameAs(biggerT4);
    assertThat(c.models()).hasSize(BUILT_IN.models().size() + 1);
    assertThat(BUILT_IN.find("X1")).isEmpty();
    assertThat(BUILT_IN.require("T4").memoryMiB()).isEqualTo(16_384);
  }

  @Test
  void modelsAreImmutable() {
    assertThatThrownBy(() -> BUILT_IN.models().remove("T4")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void ofRejectsARepeatedName() {
    var t4 = BUILT_IN.require("T4");
    assertRejected(() -> DeviceCatalogue.of(List.of(t4, BUILT_IN.require("A10"), t4)),
        "model.name", "T4", "model.name must not repeat in a catalogue, was T4");
  }

  @Test
  void requireRejectsAnUnknownModelAndListsTheKnownOnes() {
    var c = DeviceCatalogue.of(List.of(BUILT_IN.require("T4"), BUILT_IN.require("A10")));
    assertRejected(() -> c.require("A100"), "model", "'A100'", "model must be a known model [A10, T4], was 'A100'");
  }
}
