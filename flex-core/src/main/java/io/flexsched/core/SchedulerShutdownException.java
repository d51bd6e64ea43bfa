package io.flexsched.core;

import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link MpscSchedulerService} is shut down: thrown to a submitter after
 * {@link MpscSchedulerService#shutdown()}, and the failure of every future that
 * {@link MpscSchedulerService#shutdownNow()} withdrew before it ran.
 */
public final class SchedulerShutdownException extends RejectedExecutionException {
  private static final long serialVersionUID = 1L;

  public SchedulerShutdownException(String message) {
    super(message);
  }
}
