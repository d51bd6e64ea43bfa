package io.flexsched.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvalidSpecExceptionTest {
  @Test
  void messageNamesFieldRequirementAndValue() {
    var e = new InvalidSpecException("gpuMilli", 1200, "must be in 1..1000");

    assertThat(e).hasMessage("gpuMilli must be in 1..1000, was 1200");
    assertThat(e.field()).isEqualTo("gpuMilli");
    assertThat(e.value()).isEqualTo("1200");
  }

  @Test
  void isAnIllegalArgumentException() {
    assertThat(new InvalidSpecException("f", "v", "must be w")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rendersANullValueAsText() {
    var e = new InvalidSpecException("queue", null, "must not be null");

    assertThat(e.value()).isEqualTo("null");
    assertThat(e).hasMessage("queue must not be null, was null");
  }
}
