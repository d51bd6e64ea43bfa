package io.flexsched.core.engine;

import io.flexsched.core.TieBreak;
import io.flexsched.spi.DecisionContext;

/**
 * The engine's {@link DecisionContext}: its seed and the number of the decision in progress, which
 * moves on at every placement attempt (and moves back when an operation fails, so a failed
 * operation leaves the random stream where it was).
 */
final class SeededContext implements DecisionContext {
  private final long seed;
  private long sequence;
  private long next;

  SeededContext(long seed) {
    this.seed = seed;
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public long sequence() {
    return sequence;
  }

  /** Moves to the next decision. */
  void advance() {
    sequence = next++;
  }

  /** The number the next decision will get. */
  long next() {
    return next;
  }

  /** Puts the next decision's number back to {@code value} (a failed operation's undo). */
  void rewind(long value) {
    next = value;
  }

  /**
   * The rank of the node with ordinal {@code ordinal} among equal top scores under {@code rule} in
   * the decision in progress: the lowest rank wins.
   */
  long rank(TieBreak rule, int ordinal) {
    return rule == TieBreak.NODE_ORDER
        ? DecisionContext.mix(DecisionContext.mix(seed ^ 0x5DEECE66DL) + ordinal)
        : random(ordinal, -1);
  }
}
