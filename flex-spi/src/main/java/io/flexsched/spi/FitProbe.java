package io.flexsched.spi;

import java.util.Collection;

/**
 * The engine's answer to a preemption policy's what-if question: would every preemptor be placed
 * if exactly these victims were evicted? The engine answers inside a transaction that it rolls
 * back, so asking changes nothing.
 *
 * <p>Evicting more only frees more, so an answer is usually monotone (a superset of a set that
 * fits fits too); a policy may prune with that, but must return a set the probe accepted.
 */
@FunctionalInterface
public interface FitProbe {
  /** True when every preemptor fits once exactly {@code victims} are evicted. */
  boolean fits(Collection<Victim> victims);
}
