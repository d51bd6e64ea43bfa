package com.photon.flex;

import io.flexsched.model.DeviceModel;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import java.util.List;
import java.util.Optional;

/**
 * A fictional vendor's accelerator, the Photon P1, added to Flex the way any vendor would: this
 * class, {@link BondedPairRules}, and a {@code META-INF/services} entry. Nothing in Flex knows it.
 */
public final class PhotonHardware implements HardwareProvider {
  /** The P1: whole devices only, 24 GiB each, wired in bonded pairs (0-1, 2-3, ...). */
  public static final DeviceModel P1 = DeviceModel.whole("photon", "P1", 24_576);

  @Override
  public String vendor() {
    return "photon";
  }

  @Override
  public List<DeviceModel> models() {
    return List.of(P1);
  }

  @Override
  public Optional<DeviceRules> rules(DeviceModel model) {
    return model.name().equals(P1.name()) ? Optional.of(new BondedPairRules()) : Optional.empty();
  }
}
