package io.flexsched.core.queue;

import io.flexsched.core.QueueSpec;
import io.flexsched.core.Resources;
import java.util.Comparator;
import java.util.TreeSet;

/**
 * One queue: its spec, what its placed tasks hold, and its waiting requests in order. What it
 * holds is three of the journal's counts, which the journal sets back by itself when an operation
 * fails, so booking a task in or out costs no undo record and no allocation.
 */
final class Lane {
  /** Within a queue: higher priority first, then earlier arrival. */
  static final Comparator<Entry> IN_QUEUE = Comparator
      .comparingInt((Entry e) -> -e.priority)
      .thenComparingLong(e -> e.arrival);

  final QueueSpec spec;
  private final Journal.Count gpuMilli;
  private final Journal.Count cpuMilli;
  private final Journal.Count memoryMiB;
  final TreeSet<Entry> waiting = new TreeSet<>(IN_QUEUE);

  Lane(QueueSpec spec, Journal journal) {
    this.spec = spec;
    this.gpuMilli = journal.count();
    this.cpuMilli = journal.count();
    this.memoryMiB = journal.count();
  }

  /** What its placed tasks hold. */
  Resources usage() {
    return new Resources(gpuMilli.value, cpuMilli.value, memoryMiB.value);
  }

  /** Books what {@code e} asks as held. */
  void take(Entry e) {
    gpuMilli.value += e.gpuMilli;
    cpuMilli.value += e.cpuMilli;
    memoryMiB.value += e.memoryMiB;
  }

  /**
   * Books what {@code e} asks as no longer held.
   *
   * @throws IllegalStateException when the queue does not hold that much
   */
  void give(Entry e) {
    if (e.gpuMilli > gpuMilli.value || e.cpuMilli > cpuMilli.value || e.memoryMiB > memoryMiB.value) {
      throw new IllegalStateException("queue " + spec.name() + " holds " + usage() + ", less than " + e.request());
    }
    gpuMilli.value -= e.gpuMilli;
    cpuMilli.value -= e.cpuMilli;
    memoryMiB.value -= e.memoryMiB;
  }

  /**
   * Whether what it holds plus what {@code e} asks stays within {@code bound}, as
   * {@code usage().plus(e.request()).within(bound)}.
   */
  boolean fitsWithin(Entry e, Resources bound) {
    return within(gpuMilli.value, e.gpuMilli, bound.gpuMilli())
        && within(cpuMilli.value, e.cpuMilli, bound.cpuMilli())
        && within(memoryMiB.value, e.memoryMiB, bound.memoryMiB());
  }

  private static boolean within(long held, long more, long bound) {
    // An unbounded bound takes anything; a sum that would pass Long's range is above any other.
    return bound == Resources.UNBOUNDED || (more <= bound && held <= bound - more);
  }

  /** True when it holds more than its guarantee of some resource it governs. */
  boolean borrowing() {
    return spec.borrowing(usage());
  }
}
