package io.flexsched.core.queue;

import io.flexsched.core.QueueSpec;
import io.flexsched.core.Resources;
import java.util.Comparator;
import java.util.TreeSet;

/** One queue: its spec, what its placed tasks hold, and its waiting requests in order. */
final class Lane {
  /** Within a queue: higher priority first, then earlier arrival. */
  static final Comparator<Entry> IN_QUEUE = Comparator
      .comparingInt((Entry e) -> -e.priority)
      .thenComparingLong(e -> e.arrival);

  final QueueSpec spec;
  Resources usage = Resources.ZERO;
  final TreeSet<Entry> waiting = new TreeSet<>(IN_QUEUE);

  Lane(QueueSpec spec) {
    this.spec = spec;
  }

  /** True when it holds more than its guarantee of some resource it governs. */
  boolean borrowing() {
    return spec.borrowing(usage);
  }
}
