package io.flexsched.core;

import io.flexsched.model.Task;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why a task does not fit, node by node, in the cluster's current state: what
 * {@link PlacementEngine#explain} answers.
 *
 * @param task the task explained
 * @param fittingNodes how many live nodes could take the task now (0 for a task that would stay pending)
 * @param reasons per reason, how many live nodes reject the task (the counts a pending
 *     {@link Outcome} reports)
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

  /**
   * The node that came closest to taking a task, and what it lacks.
   *
   * <p>Closeness is the sum, over CPU, host memory and devices, of the fraction of the request the
   * node is short of: CPU and memory shortfalls divided by the task's request, and for devices the
   * shortfall of the devices nearest to hosting one device's worth, divided by the task's device
   * count (a device of a model that cannot serve the request, or one already given whole to a
   * task, lacks all of it). A node with every resource but refused by its device rules (links,
   * rings) is at distance 0. Ties go to the node that joined the cluster first.
   *
   * @param node the node's name
   * @param reason the reason the node rejects the task
   * @param lacks what the node is short of, in the task's own terms, in this order when present:
   *     {@code cpuMilli}, {@code memoryMiB}, {@code gpus} (devices that cannot host their share now),
   *     {@code gpuMilli} and {@code gpuMemoryMiB} (summed over those devices, for shared requests),
   *     {@code computeUnits} (for profile requests); empty when only the device rules refuse
   * @param distance the closeness measure above (0 = only rules refuse; at most 3)
   */
  public record NearMiss(String node, RejectReason reason, Map<String, Long> lacks, double distance) {
    public NearMiss {
      lacks = Collections.unmodifiableMap(new LinkedHashMap<>(lacks));
    }
  }
}
