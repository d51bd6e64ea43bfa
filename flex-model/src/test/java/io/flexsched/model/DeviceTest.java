package io.flexsched.model;

import static io.flexsched.model.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceTest {
  private static final DeviceModel T4 = DeviceModel.fractional("nvidia", "T4", 16_384, 1, 10);

  @Test
  void keepsIndexAndModel() {
    var d = new Device(0, T4);

    assertThat(d.index()).isZero();
    assertThat(d.model()).isSameAs(T4);
  }

  @Test
  void rejectsANegativeIndex() {
    assertRejected(() -> new Device(-1, T4),
        "device.index", "-1", "device.index must be at least 0, was -1");
  }

  @Test
  void rejectsANullModel() {
    assertRejected(() -> new Device(3, null),
        "device 3 model", "null", "device 3 model must not be null, was null");
  }
}
