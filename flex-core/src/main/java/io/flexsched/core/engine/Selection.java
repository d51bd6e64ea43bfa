package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.spi.DeviceChoice;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The node a task goes to when no NUMA node pins it, by the selection the policy allows: its
 * score index when its answers depend only on node state, k draws when it samples, else a scan of
 * every node. Remembers what the last attempt learnt, so that a task that fits nowhere is
 * explained from the index's per-reason counts rather than by filtering every node again.
 */
final class Selection {
  private final Filter filter;
  private final @Nullable IndexedSelection indexed;
  private final @Nullable SampledSelection sampled;
  private final @Nullable ScanSelection scan;
  private ScoreIndex.@Nullable Line line;

  Selection(Scorer scorer, TaskShapes shapes) {
    this.filter = scorer.filter;
    int k = Guard.sampleSize(scorer.policy);
    boolean cached = k == 0 && scorer.policy.dependsOnlyOnNodeState();
    this.indexed = cached ? new IndexedSelection(scorer, shapes) : null;
    this.sampled = k > 0 ? new SampledSelection(scorer, shapes, k) : null;
    this.scan = cached || k > 0 ? null : new ScanSelection(scorer);
  }

  /** The score index, for a policy whose answers depend only on node state; else null. */
  @Nullable ScoreIndex index() {
    return indexed == null ? null : indexed.index();
  }

  /** The best node the attempt may use, its device choice in {@code best}; -1 when it fits nowhere. */
  int best(Attempt a, DeviceChoice best) {
    line = null;
    if (indexed != null) {
      line = indexed.line(a);
      return indexed.best(line, a, best);
    }
    return sampled != null ? sampled.best(a, best) : scan.best(a, best);
  }

  /**
   * Per reason, how many live nodes reject the attempt's task, after {@link #best} found none for
   * it ({@code selected}) or without it (a pinned attempt).
   */
  Map<RejectReason, Integer> reasons(Attempt a, boolean selected) {
    // A line's or fit set's counts are per shape: a task's own constraints need a count of its own.
    if (selected && line != null && a.eligible == null && (a.allowed == null || a.outside == null)) {
      return line.reasons();
    }
    Map<RejectReason, Integer> sampledReasons = selected && sampled != null ? sampled.reasons() : null;
    return sampledReasons != null ? sampledReasons : filter.reasons(a);
  }
}
