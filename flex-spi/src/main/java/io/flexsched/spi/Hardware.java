package io.flexsched.spi;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

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

  /** The last discovery, by class loader: scanning the class path is slow and its answer stable. */
  private static volatile Object[] lastDiscovery = {null, null};

  /** Every provider {@link ServiceLoader} finds from {@code loader} (looked up once per loader). */
  public static Hardware discover(ClassLoader loader) {
    Object[] last = lastDiscovery;
    if (last[0] == loader && last[1] != null) {
      return (Hardware) last[1];
    }
    var found = new ArrayList<HardwareProvider>();
    ServiceLoader.load(HardwareProvider.class, loader).forEach(found::add);
    Hardware h = new Hardware(found);
    lastDiscovery = new Object[] {loader, h};
    return h;
  }

  /** Every provider {@link ServiceLoader} finds from the context class loader, or this class's. */
  public static Hardware discover() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return discover(loader != null ? loader : Hardware.class.getClassLoader());
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
