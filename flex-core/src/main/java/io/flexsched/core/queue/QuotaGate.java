package io.flexsched.core.queue;

import io.flexsched.core.Outcome;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.RejectReason;
import io.flexsched.core.Resources;
import java.util.EnumMap;
import org.jspecify.annotations.Nullable;

/**
 * A queue's quota, checked before any node is: a request may not take its queue above its limit,
 * and a non-preemptible request may not take it above its guarantee (only preemptible tasks
 * borrow).
 */
final class QuotaGate {
  private QuotaGate() {}

  /** What holds {@code e} back, or null when its queue may take it. */
  static Outcome.@Nullable Cause closed(Entry e) {
    QueueSpec q = e.lane.spec;
    return !e.lane.fitsWithin(e, q.limit()) ? Outcome.Cause.QUEUE_LIMIT
        : !e.preemptible && !e.lane.fitsWithin(e, q.guaranteed()) ? Outcome.Cause.QUEUE_GUARANTEE
        : null;
  }

  /** Why {@code e} waits when {@code cause} holds it back: every one of {@code nodes} live nodes counts under quota. */
  static Outcome.Pending reason(Entry e, Outcome.Cause cause, int nodes) {
    var reasons = new EnumMap<RejectReason, Integer>(RejectReason.class);
    reasons.put(RejectReason.QUOTA, nodes);
    QueueSpec q = e.lane.spec;
    Resources after = e.lane.usage().plus(e.request());
    String what = cause == Outcome.Cause.QUEUE_LIMIT
        ? "queue " + q.name() + " would hold " + after + ", above its limit " + q.limit()
        : "it is not preemptible, so it may not borrow, and queue " + q.name() + " would hold " + after
            + ", above its guarantee " + q.guaranteed();
    return new Outcome.Pending(e.members, cause, reasons, null, what);
  }
}
