package io.flexsched.spi;

import io.flexsched.model.DeviceModel;
import java.util.Collection;

/**
 * A vendor's hardware: the device models it adds to the engine's catalogue, discovered with
 * {@link java.util.ServiceLoader}. Partition and topology rules join this contract as the
 * engine learns them.
 */
public interface HardwareProvider {
  /** The vendor's name, e.g. {@code huawei}. */
  String vendor();

  /** The device models this provider adds. */
  Collection<DeviceModel> models();
}
