package io.flexsched.spi;

import io.flexsched.model.InvalidSpecException;
import java.util.Collection;

/** A policy name that no provider answers to. */
public final class UnknownPolicyException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  public UnknownPolicyException(String name, Collection<String> known) {
    super("policy", "'" + name + "'", "must be one of " + known);
  }
}
