package io.flexsched.spi;

import io.flexsched.model.DeviceModel;
import java.util.Collection;
import java.util.Optional;

/**
 * A vendor's hardware: the device models it adds to the engine's catalogue and the rules by which
 * devices of those models are chosen and combined, discovered with {@link java.util.ServiceLoader}
 * (or passed to the engine explicitly). Nothing in the engine needs to change for a new vendor.
 */
public interface HardwareProvider {
  /** The vendor's name, e.g. {@code huawei}. */
  String vendor();

  /** The device models this provider adds (or redefines, by name). */
  Collection<DeviceModel> models();

  /**
   * The rules for a node whose devices are all of {@code model}, when this provider has its own;
   * empty to follow {@link DeviceRules#standard()}.
   */
  default Optional<DeviceRules> rules(DeviceModel model) {
    return Optional.empty();
  }
}
