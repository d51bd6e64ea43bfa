package io.flexsched.hardware.ascend;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import java.util.List;
import java.util.Optional;

/**
 * Huawei's Ascend NPUs: the Ascend 910 of the Atlas 800 training server, eight NPUs in HCCS
 * rings of four, with {@link RingRules}; and the Ascend 910B3, shared through virtual-NPU
 * templates, which follows the standard rules.
 */
public final class AscendHardware implements HardwareProvider {
  private static final DeviceModel ASCEND_910 = DeviceCatalogue.builtIn().require("Ascend910");
  private static final DeviceModel ASCEND_910B3 = DeviceCatalogue.builtIn().require("Ascend910B3");

  @Override
  public String vendor() {
    return "huawei";
  }

  @Override
  public List<DeviceModel> models() {
    return List.of(ASCEND_910, ASCEND_910B3);
  }

  @Override
  public Optional<DeviceRules> rules(DeviceModel model) {
    if (model.name().equals(ASCEND_910.name())) {
      int ring = Integer.parseInt(model.attributes().getOrDefault(DeviceCatalogue.RING_SIZE, "4"));
      return Optional.of(new RingRules(ring));
    }
    return Optional.empty();
  }
}
