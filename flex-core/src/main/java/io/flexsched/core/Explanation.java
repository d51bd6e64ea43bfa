package io.flexsched.core;

import io.flexsched.model.Task;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why a task does not fit, node by node, in the cluster's current state: what
 * {@link PlacementEngine#explain} answers for a pending task.
 *
 * @param task the task explained
 * @param fittingNodes how many live nodes could take the task now (0 for a task that would stay pending)
 * @param reasons per reason, how many live nodes reject the task (the counts a pending
 *     {@link Decision} reports)
 * @param nearest the rejecting node that comes closest to taking the task, or null when no node rejects it
 */
public record Explanation(Task task, int fittingNodes, Map<RejectReason, Integer> reasons, @Nullable NearMiss nearest) {
  public Explanation {
    reasons = Collections.unmodifiableMap(reasons.isEmpty() ? new EnumMap<>(RejectReason.class) : new EnumMap<>(reasons));
  }

  /** The nearest miss, if any node rejects the task. */
  public Optional<NearMiss> nearestMiss() {
    return Optional.ofNullable(nearest);
  }
}
