package io.flexsched.core.providers;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The extensions {@link ServiceLoader} finds, by name: one registry for scoring policies,
 * preemption policies and hardware providers. A lookup scans the class path once per class
 * loader (scanning is slow and its answer stable); two providers of one name are an error.
 *
 * @param <T> the service type
 */
public final class Providers<T> {
  private static final Providers<ScoringPolicy.Provider> SCORING =
      new Providers<>(ScoringPolicy.Provider.class, "policy", "scoring policies", ScoringPolicy.Provider::name,
          ScoringPolicy.Provider::description);
  private static final Providers<PreemptionPolicy.Provider> PREEMPTION =
      new Providers<>(PreemptionPolicy.Provider.class, "preemption", "preemption policies", PreemptionPolicy.Provider::name,
          PreemptionPolicy.Provider::description);
  private static final Providers<HardwareProvider> HARDWARE =
      new Providers<>(HardwareProvider.class, "hardware", "hardware providers", p -> p.getClass().getName(),
          HardwareProvider::vendor);

  private final Class<T> service;
  private final String field;
  private final String kind;
  private final Function<T, String> name;
  private final Function<T, String> description;
  /** The last lookup: its class loader and what it found. */
  private volatile Object[] last = {null, null};

  private Providers(Class<T> service, String field, String kind, Function<T, String> name, Function<T, String> description) {
    this.service = service;
    this.field = field;
    this.kind = kind;
    this.name = name;
    this.description = description;
  }

  /** The scoring policies. */
  public static Providers<ScoringPolicy.Provider> scoring() {
    return SCORING;
  }

  /** The preemption policies. */
  public static Providers<PreemptionPolicy.Provider> preemption() {
    return PREEMPTION;
  }

  /** Every hardware provider found from the context class loader, or this class's. */
  public static Hardware hardware() {
    return Hardware.of(HARDWARE.available().values());
  }

  /** Every provider visible from the context class loader (or this class's), by name. */
  public Map<String, T> available() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return available(loader != null ? loader : Providers.class.getClassLoader());
  }

  /** Every provider visible to {@code loader}'s ServiceLoader, by name. */
  @SuppressWarnings("unchecked")
  public Map<String, T> available(ClassLoader loader) {
    Object[] cached = last;
    if (cached[0] == loader && cached[1] != null) {
      return (Map<String, T>) cached[1];
    }
    var byName = new TreeMap<String, T>();
    for (T p : ServiceLoader.load(service, loader)) {
      T previous = byName.putIfAbsent(name.apply(p), p);
      if (previous != null && previous.getClass() != p.getClass()) {
        throw new IllegalStateException("two " + kind + " are named '" + name.apply(p) + "': "
            + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    Map<String, T> found = Collections.unmodifiableMap(byName);
    last = new Object[] {loader, found};
    return found;
  }

  /** The names of the providers, with their descriptions. */
  public Map<String, String> descriptions() {
    var out = new LinkedHashMap<String, String>();
    available().forEach((n, p) -> out.put(n, description.apply(p)));
    return Collections.unmodifiableMap(out);
  }

  /**
   * The provider named {@code value}.
   *
   * @throws InvalidSpecException naming this registry's field and the known names when there is none
   */
  public T named(String value) {
    Map<String, T> all = available();
    T p = all.get(value);
    if (p == null) {
      throw new InvalidSpecException(field, "'" + value + "'", "must be one of " + new ArrayList<>(all.keySet()));
    }
    return p;
  }

  /** The providers, in name order. */
  public List<T> all() {
    return List.copyOf(available().values());
  }
}
