package io.flexsched.core;

/**
 * Assert mode found the engine's incremental accounting different from a recomputation from
 * scratch: a bug in the engine, never in the caller's input.
 */
public final class AccountingException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public AccountingException(String message) {
    super(message);
  }
}
