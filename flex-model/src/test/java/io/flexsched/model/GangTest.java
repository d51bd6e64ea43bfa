package io.flexsched.model;

import static io.flexsched.model.Rejections.NAME_RULE;
import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GangTest {
  @Test
  void keepsARequiredTopologyLevel() {
    var g = new Gang("train-1", 8, "rack", true);

    assertThat(g.name()).isEqualTo("train-1");
    assertThat(g.size()).isEqualTo(8);
    assertThat(g.topologyLevel()).isEqualTo("rack");
    assertThat(g.required()).isTrue();
  }

  @Test
  void mayOnlyPreferATopologyLevel() {
    assertThat(new Gang("g", 2, "rack", false).required()).isFalse();
  }

  @Test
  void mayHaveNoTopologyLevel() {
    assertThat(new Gang("g", 1, null, false).topologyLevel()).isNull();
  }

  @Test
  void rejectsABadName() {
    assertRejected(() -> new Gang("", 1, null, false), "gang.name", "''", "gang.name " + NAME_RULE + ", was ''");
    assertRejected(() -> new Gang(null, 1, null, false), "gang.name", "null", "gang.name " + NAME_RULE + ", was null");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void rejectsASizeBelowOne(int size) {
    assertRejected(() -> new Gang("g", size, null, false),
        "gang.size", String.valueOf(size), "gang.size must be at least 1, was " + size);
  }

  @Test
  void rejectsABadTopologyLevel() {
    assertRejected(() -> new Gang("g", 2, "super pod", true),
        "gang.topology", "'super pod'", "gang.topology " + NAME_RULE + ", was 'super pod'");
  }

  @Test
  void rejectsARequirementWithoutALevel() {
    assertRejected(() -> new Gang("g", 2, null, true),
        "gang.required", "true", "gang.required needs a gang.topology level, was true");
  }
}
