package io.flexsched.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The victim search of preemption: which placed tasks to evict so that preemptors that fit
 * nowhere can be placed. The engine decides who may be evicted (the request's candidates) and
 * commits a plan only if every preemptor then fits; a policy decides which of the candidates to
 * take, testing sets with the {@link FitProbe}.
 *
 * <p>The engine treats a policy as untrusted: an exception, or victims that are not candidates
 * (or are named twice), are reported as a {@code PolicyException} naming the policy, and nothing
 * is evicted.
 */
public interface PreemptionPolicy {
  /** The policy's name, e.g. {@code greedy}. */
  String name();

  /**
   * The victims to evict, all taken from {@code request}'s candidates, that {@code probe}
   * accepted; or empty when no set of candidates makes the preemptors fit (or the policy found
   * none within its bounds).
   */
  Optional<List<Victim>> selectVictims(PreemptionRequest request, FitProbe probe);

  /**
   * The engine's answer to a policy's what-if question: would every preemptor be placed if
   * exactly these victims were evicted? The engine answers inside a transaction that it rolls
   * back, so asking changes nothing.
   *
   * <p>Evicting more only frees more, so an answer is usually monotone (a superset of a set that
   * fits fits too); a policy may prune with that, but must return a set the probe accepted.
   */
  @FunctionalInterface
  interface FitProbe {
    /** True when every preemptor fits once exactly {@code victims} are evicted. */
    boolean fits(Collection<Victim> victims);
  }

  /**
   * A named factory of preemption policies, discovered with {@link java.util.ServiceLoader}
   * ({@code META-INF/services/io.flexsched.spi.PreemptionPolicy$Provider}, or
   * {@code provides io.flexsched.spi.PreemptionPolicy.Provider} in {@code module-info}).
   */
  interface Provider {
    /** The name users select the policy by, e.g. {@code greedy}; lower-case, unique. */
    String name();

    /** One sentence on what the policy does. */
    String description();

    /** A new policy instance for one engine (policies need not be thread-safe). */
    PreemptionPolicy create(PolicyContext context);
  }
}
