package io.flexsched.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node that came closest to taking a task, and what it lacks.
 *
 * <p>Closeness is the sum, over CPU, host memory and devices, of the fraction of the request the
 * node is short of: CPU and memory shortfalls divided by the task's request, and for devices the
 * shortfall of the devices nearest to hosting one device's worth, divided by the task's device
 * count (a device of a model that cannot serve the request, or one already given whole to a task,
 * lacks all of it). A node with every resource but refused by its device rules (links, rings) is
 * at distance 0. Ties go to the node that joined the cluster first.
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
