package io.flexsched.spi;

import java.util.List;
import java.util.Optional;

/**
 * The victim search of preemption: which placed tasks to evict so that preemptors that fit
 * nowhere can be placed. The engine decides who may be evicted (the request's candidates) and
 * commits a plan only if every preemptor then fits; a policy decides which of the candidates to
 * take, testing sets with the {@link FitProbe}.
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
}
