package io.flexsched.kubernetes;

import io.flexsched.core.Explanation;
import io.flexsched.core.Outcome;
import io.flexsched.core.RejectReason;
import java.util.ArrayList;
import java.util.Map;

/** The message of a FailedScheduling event and of the PodScheduled condition. */
final class PendingMessage {
  private PendingMessage() {}

  /** kube-scheduler's wording: how many nodes are available, per reason how many refused, and the nearest miss. */
  static String of(Outcome.Pending p, int nodes) {
    var b = new StringBuilder("0/").append(nodes).append(" nodes are available");
    if (p.cause() != Outcome.Cause.NO_FIT) {
      b.append(" (").append(p.cause().label()).append(": ").append(p.detail()).append(')');
    }
    String sep = ": ";
    for (Map.Entry<RejectReason, Integer> r : p.reasons().entrySet()) {
      b.append(sep).append(r.getValue()).append(' ').append(r.getKey().label());
      sep = ", ";
    }
    b.append('.');
    Explanation.NearMiss near = p.nearest();
    if (near != null) {
      b.append(" Nearest miss: ").append(near.node()).append(" (").append(near.reason().label()).append(")");
      if (!near.lacks().isEmpty()) {
        b.append(" lacks ");
        var parts = new ArrayList<String>();
        near.lacks().forEach((k, v) -> parts.add(k + "=" + v));
        b.append(String.join(", ", parts));
      }
      b.append('.');
    }
    return b.toString();
  }
}
