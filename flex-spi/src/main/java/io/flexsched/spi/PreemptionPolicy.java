package io.flexsched.spi;

import io.flexsched.model.Task;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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

  /**
   * Defragmentation's counterpart of a preemption policy: which placed tasks may be moved (a
   * migration re-places a task elsewhere at once; it is a move, not an eviction) and what moving
   * one costs. The engine keeps its own rules on top: never a task of higher priority than the
   * waiting one, never a gang member, never beyond the disruption budget. The plan chosen makes the
   * fewest moves, then costs least (the sum of {@link #cost}), then touches the fewest nodes.
   *
   * <p>Treated as untrusted like a preemption policy: if it throws or answers a negative cost, the
   * operation fails with a {@code PolicyException} naming it, and nothing moves.
   */
  interface MigrationPolicy {
    /** Moves preemptible tasks, at the cost of the accelerator compute they hold, with no groups. */
    MigrationPolicy STANDARD = new MigrationPolicy() {};

    /** The policy's name, for messages. */
    default String name() {
      return "standard";
    }

    /** Whether {@code task} may be migrated at all (default: when it is preemptible). */
    default boolean movable(Task task) {
      return task.preemptible();
    }

    /** What moving {@code moved} costs, at least 0 (default: the accelerator compute it holds, in milli). */
    default long cost(Victim moved) {
      return moved.gpuMilli();
    }

    /**
     * The disruption group {@code task} belongs to (the label a PodDisruptionBudget would select
     * it by), or null for none; a budget's minimum available applies per group.
     */
    default @Nullable String group(Task task) {
      return null;
    }
  }
}
