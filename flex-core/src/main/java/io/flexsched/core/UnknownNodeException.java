package io.flexsched.core;

import io.flexsched.model.InvalidSpecException;

/** An operation named a node the cluster does not have. */
public final class UnknownNodeException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  public UnknownNodeException(String node) {
    super("node", "'" + node + "'", "must be a node of this cluster");
  }
}
