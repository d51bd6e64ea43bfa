package io.flexsched.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link PreemptionPolicyProvider}s on the class path or module path by name. */
public final class PreemptionPolicies {
  private PreemptionPolicies() {}

  /** Every provider visible to {@code loader}'s ServiceLoader, by name. */
  public static Map<String, PreemptionPolicyProvider> available(ClassLoader loader) {
    var byName = new TreeMap<String, PreemptionPolicyProvider>();
    for (PreemptionPolicyProvider p : ServiceLoader.load(PreemptionPolicyProvider.class, loader)) {
      PreemptionPolicyProvider previous = byName.putIfAbsent(p.name(), p);
      if (previous != null && previous.getClass() != p.getClass()) {
        throw new IllegalStateException(
            "two preemption policies are named '" + p.name() + "': " + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return byName;
  }

  /** Every provider visible from this class's loader, by name. */
  public static Map<String, PreemptionPolicyProvider> available() {
    return available(PreemptionPolicies.class.getClassLoader());
  }

  /**
   * The provider named {@code name}.
   *
   * @throws UnknownPolicyException naming the field {@code preemption} and the known policies
   */
  public static PreemptionPolicyProvider named(String name) {
    Map<String, PreemptionPolicyProvider> all = available();
    PreemptionPolicyProvider p = all.get(name);
    if (p == null) {
      throw new UnknownPolicyException("preemption", name, all.keySet());
    }
    return p;
  }
}
