package io.flexsched.core;

import io.flexsched.model.InvalidSpecException;

/** An operation named a task the engine does not hold. */
public final class UnknownTaskException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  public UnknownTaskException(String taskId) {
    super("task", "'" + taskId + "'", "must be a task placed on this cluster");
  }
}
