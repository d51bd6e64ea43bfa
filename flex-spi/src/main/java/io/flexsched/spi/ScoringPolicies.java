package io.flexsched.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link ScoringPolicyProvider}s on the class path or module path by name. */
public final class ScoringPolicies {
  private ScoringPolicies() {}

  /** The last lookup, by class loader: scanning the class path is slow and its answer stable. */
  private static volatile Object[] last = {null, null};

  /** Every provider visible to {@code loader}'s ServiceLoader, by name (looked up once per loader). */
  @SuppressWarnings("unchecked")
  public static Map<String, ScoringPolicyProvider> available(ClassLoader loader) {
    Object[] cached = last;
    if (cached[0] == loader && cached[1] != null) {
      return (Map<String, ScoringPolicyProvider>) cached[1];
    }
    Map<String, ScoringPolicyProvider> found = java.util.Collections.unmodifiableMap(scan(loader));
    last = new Object[] {loader, found};
    return found;
  }

  private static Map<String, ScoringPolicyProvider> scan(ClassLoader loader) {
    var byName = new TreeMap<String, ScoringPolicyProvider>();
    for (ScoringPolicyProvider p : ServiceLoader.load(ScoringPolicyProvider.class, loader)) {
      ScoringPolicyProvider previous = byName.putIfAbsent(p.name(), p);
      if (previous != null && previous.getClass() != p.getClass()) {
        throw new IllegalStateException(
            "two scoring policies are named '" + p.name() + "': " + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return byName;
  }

  /** Every provider visible from this class's loader, by name. */
  public static Map<String, ScoringPolicyProvider> available() {
    return available(ScoringPolicies.class.getClassLoader());
  }

  /**
   * The provider named {@code name}.
   *
   * @throws IllegalArgumentException naming the known policies when there is none
   */
  public static ScoringPolicyProvider named(String name) {
    Map<String, ScoringPolicyProvider> all = available();
    ScoringPolicyProvider p = all.get(name);
    if (p == null) {
      throw new UnknownPolicyException(name, all.keySet());
    }
    return p;
  }
}
