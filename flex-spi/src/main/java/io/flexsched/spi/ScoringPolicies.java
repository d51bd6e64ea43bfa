package io.flexsched.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link ScoringPolicyProvider}s on the class path or module path by name. */
public final class ScoringPolicies {
  private ScoringPolicies() {}

  /** Every provider visible to {@code loader}'s ServiceLoader, by name. */
  public static Map<String, ScoringPolicyProvider> available(ClassLoader loader) {
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
