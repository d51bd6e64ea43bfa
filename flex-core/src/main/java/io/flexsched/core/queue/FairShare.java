package io.flexsched.core.queue;

import io.flexsched.core.ClusterView;
import io.flexsched.core.Resources;
import io.flexsched.model.Node;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * Dominant-resource fair sharing between queues: the queue whose usage is the smallest weighted
 * share of the cluster (the largest of its GPU, CPU and memory shares, divided by its weight) goes
 * next; ties go to the queue whose head request comes first.
 */
final class FairShare {
  private final Journal journal;
  private Resources capacity = Resources.ZERO;

  FairShare(Journal journal) {
    this.journal = journal;
  }

  /** Re-reads the cluster's capacity after nodes join or leave. */
  void measure(ClusterView cluster) {
    long cpu = 0;
    long memory = 0;
    for (Node n : cluster.nodes()) {
      cpu += n.cpuMilli();
      memory += n.memoryMiB();
    }
    Resources before = capacity;
    capacity = new Resources(cluster.capacityMilli(), cpu, memory);
    journal.record(() -> capacity = before);
  }

  /**
   * The lane whose next untried request goes first, skipping blocked lanes; between equal shares,
   * the lane whose next request comes first {@code inQueue}; null when none is left.
   */
  @Nullable Lane next(Map<Lane, PriorityQueue<Entry>> untried, Map<Lane, Entry> blocked, Comparator<Entry> inQueue) {
    Lane best = null;
    double bestShare = 0;
    for (Map.Entry<Lane, PriorityQueue<Entry>> u : untried.entrySet()) {
      Lane lane = u.getKey();
      if (u.getValue().isEmpty() || blocked.containsKey(lane)) {
        continue;
      }
      double share = share(lane);
      if (best == null || share < bestShare
          || share == bestShare && inQueue.compare(u.getValue().peek(), untried.get(best).peek()) < 0) {
        best = lane;
        bestShare = share;
      }
    }
    return best;
  }

  /** The lane's dominant share of the cluster, divided by its weight. */
  private double share(Lane lane) {
    Resources usage = lane.usage();
    double s = 0;
    s = Math.max(s, fraction(usage.gpuMilli(), capacity.gpuMilli()));
    s = Math.max(s, fraction(usage.cpuMilli(), capacity.cpuMilli()));
    s = Math.max(s, fraction(usage.memoryMiB(), capacity.memoryMiB()));
    return s / lane.spec.weight();
  }

  private static double fraction(long used, long total) {
    return total <= 0 ? 0 : (double) used / total;
  }
}
