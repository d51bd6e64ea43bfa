package io.flexsched.core;

import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link MpscSchedulerService}'s bounded queue had no room for a submission: nothing was
 * queued, and the caller may retry later or shed the work.
 */
public final class QueueFullException extends RejectedExecutionException {
  private static final long serialVersionUID = 1L;

  private final int capacity;

  public QueueFullException(int capacity) {
    super("the scheduler queue is full (" + capacity + " submissions waiting); retry later or shed load");
    this.capacity = capacity;
  }

  /** The queue's capacity. */
  public int capacity() {
    return capacity;
  }
}
