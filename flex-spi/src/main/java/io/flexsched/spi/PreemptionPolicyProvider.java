package io.flexsched.spi;

/** A named factory of {@link PreemptionPolicy}s, discovered with {@link java.util.ServiceLoader}. */
public interface PreemptionPolicyProvider {
  /** The name users select the policy by, e.g. {@code greedy}; lower-case, unique. */
  String name();

  /** One sentence on what the policy does. */
  String description();

  /** A new policy instance for one engine (policies need not be thread-safe). */
  PreemptionPolicy create(PolicyContext context);
}
