package io.flexsched.spi;

/**
 * A named factory of {@link ScoringPolicy}s, discovered with {@link java.util.ServiceLoader}.
 */
public interface ScoringPolicyProvider {
  /** The name users select the policy by, e.g. {@code fgd}; lower-case, unique. */
  String name();

  /** One sentence on what the policy does. */
  String description();

  /** A new policy instance for one engine (policies need not be thread-safe). */
  ScoringPolicy create(PolicyContext context);
}
