package io.flexsched.property;

/**
 * An invariant of the engine did not hold after a step of a {@link ModelRun}; {@link #invariant()}
 * names which, so that shrinking keeps looking for the same failure.
 */
public final class InvariantViolation extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final String invariant;

  public InvariantViolation(String invariant, String detail) {
    super(invariant + ": " + detail);
    this.invariant = invariant;
  }

  public InvariantViolation(String invariant, String detail, Throwable cause) {
    super(invariant + ": " + detail, cause);
    this.invariant = invariant;
  }

  /** The invariant's name, e.g. {@code release restores the prior state}. */
  public String invariant() {
    return invariant;
  }
}
