package io.flexsched.spi;

import io.flexsched.model.InvalidSpecException;
import java.util.Collection;

/** A policy name that no provider answers to. */
public final class UnknownPolicyException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  public UnknownPolicyException(String name, Collection<String> known) {
    this("policy", name, known);
  }

  /** An unknown policy name given for {@code field} (e.g. {@code preemption}). */
  public UnknownPolicyException(String field, String name, Collection<String> known) {
    super(field, "'" + name + "'", "must be one of " + known);
  }
}
