package io.flexsched.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The placement consequences hardware.md lists for MIG, checked against the built-in A100-40GB's
 * geometry: if a profile's slots, units or starts were wrong, one of these would change.
 */
class MigGeometryTest {
  private static final DeviceModel GPU = DeviceCatalogue.builtIn().require("A100-40GB");

  private record At(String profile, int start) {}

  private static At at(String profile, int start) {
    return new At(profile, start);
  }

  /** Whether these placements fit one empty GPU: allowed starts, no shared slot, units within the model's. */
  private static boolean fits(At... placements) {
    long used = 0;
    int units = 0;
    for (At at : placements) {
      Profile p = GPU.profile(at.profile()).orElseThrow();
      long mask = p.slotMask(at.start());
      if (!p.starts().contains(at.start()) || (used & mask) != 0) {
        return false;
      }
      used |= mask;
      units += p.computeUnits();
    }
    return units <= GPU.computeUnits() && (used & -(1L << GPU.slots())) == 0;
  }

  @Test
  void sevenSmallestProfilesFit() {
    assertThat(fits(at("1g.5gb", 0), at("1g.5gb", 1), at("1g.5gb", 2), at("1g.5gb", 3),
        at("1g.5gb", 4), at("1g.5gb", 5), at("1g.5gb", 6))).isTrue();
  }

  @Test
  void anEighthSmallestProfileNeverFits() {
    var seven = new At[] {at("1g.5gb", 0), at("1g.5gb", 1), at("1g.5gb", 2), at("1g.5gb", 3),
        at("1g.5gb", 4), at("1g.5gb", 5), at("1g.5gb", 6)};
    assertThat(GPU.profile("1g.5gb").orElseThrow().starts()).doesNotContain(7);
    for (int start = 0; start < 7; start++) {
      var eight = Arrays.copyOf(seven, 8);
      eight[7] = at("1g.5gb", start);
      assertThat(fits(eight)).as("eighth at %d", start).isFalse();
    }
  }

  @Test
  void threeTwoUnitProfilesAndOneSmallestFit() {
    assertThat(fits(at("2g.10gb", 0), at("2g.10gb", 2), at("2g.10gb", 4), at("1g.5gb", 6))).isTrue();
  }

  @Test
  void aFourthTwoUnitProfileNeverFits() {
    for (int start : GPU.profile("2g.10gb").orElseThrow().starts()) {
      assertThat(fits(at("2g.10gb", 0), at("2g.10gb", 2), at("2g.10gb", 4), at("2g.10gb", start)))
          .as("fourth at %d", start).isFalse();
    }
    assertThat(GPU.profile("2g.10gb").orElseThrow().starts()).doesNotContain(6);
  }

  @Test
  void twoThreeUnitProfilesFit() {
    assertThat(fits(at("3g.20gb", 0), at("3g.20gb", 4))).isTrue();
  }

  @Test
  void aFourUnitAndAThreeUnitProfileFit() {
    assertThat(fits(at("4g.20gb", 0), at("3g.20gb", 4))).isTrue();
  }

  @Test
  void theWholeGpuProfileLeavesNoRoom() {
    assertThat(fits(at("7g.40gb", 0))).isTrue();
    assertThat(fits(at("7g.40gb", 0), at("1g.5gb", 6))).isFalse();
  }

  @Test
  void placementPositionDecidesWhatElseFits() {
    // A 3g.20gb at 0 leaves room for another; a 1g.5gb at 4 blocks the second 3g.20gb start.
    assertThat(fits(at("3g.20gb", 0), at("3g.20gb", 4))).isTrue();
    assertThat(fits(at("1g.5gb", 4), at("3g.20gb", 4))).isFalse();
    assertThat(fits(at("1g.5gb", 4), at("3g.20gb", 0), at("3g.20gb", 4))).isFalse();
    assertThat(fits(at("1g.5gb", 0), at("3g.20gb", 4))).isTrue();
  }
}
