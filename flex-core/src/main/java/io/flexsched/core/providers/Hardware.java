package io.flexsched.core.providers;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The hardware providers an engine knows: the device models they add and the device rules of each
 * node.
 */
public final class Hardware {
  private static final Hardware STANDARD = new Hardware(List.of());

  private final List<HardwareProvider> providers;

  private Hardware(List<HardwareProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** No providers: standard rules everywhere. */
  public static Hardware standard() {
    return STANDARD;
  }

  /** Exactly these providers. */
  public static Hardware of(Collection<? extends HardwareProvider> providers) {
    return new Hardware(new ArrayList<>(providers));
  }

  /** The providers. */
  public List<HardwareProvider> providers() {
    return providers;
  }

  /** {@code base} with every provider's models added (a provider's model replaces one of its name). */
  public DeviceCatalogue catalogue(DeviceCatalogue base) {
    DeviceCatalogue c = base;
    for (HardwareProvider p : providers) {
      for (DeviceModel m : p.models()) {
        c = c.with(m);
      }
    }
    return c;
  }

  /**
   * The rules of {@code node}: those of the first provider with rules for its model when all of
   * its devices share one model; otherwise the standard rules.
   */
  public DeviceRules rulesFor(Node node) {
    if (node.devices().isEmpty()) {
      return DeviceRules.standard();
    }
    DeviceModel model = node.devices().get(0).model();
    for (var d : node.devices()) {
      if (!d.model().equals(model)) {
        return DeviceRules.standard();
      }
    }
    for (HardwareProvider p : providers) {
      Optional<DeviceRules> rules = p.rules(model);
      if (rules.isPresent()) {
        return rules.get();
      }
    }
    return DeviceRules.standard();
  }
}
