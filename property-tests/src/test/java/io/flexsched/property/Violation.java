package io.flexsched.property;

/**
 * The first invariant that failed in a run of operations.
 *
 * @param step the 0-based index of the operation after which it failed (the operation count
 *     when it failed while closing the run's open transactions)
 * @param invariant which invariant
 * @param message what was seen
 * @param cause the failure as thrown
 */
public record Violation(int step, String invariant, String message, Throwable cause) {
  /** The same failure, as the shrinker compares them: the same invariant. */
  public boolean sameKindAs(Violation other) {
    return invariant.equals(other.invariant);
  }
}
