package io.flexsched.core;

/**
 * A unit of work committed or rolled back as a whole: every placement, release, node change (and,
 * on a {@link Scheduler}, every submission, cancellation and scheduling pass) made while it is
 * open. Transactions nest; the innermost open one must end first. Closing an open transaction
 * rolls it back, so try-with-resources never leaves half a change behind.
 */
public interface Transaction extends AutoCloseable {
  /**
   * Keeps every change made in this transaction (an enclosing one may still roll them back).
   *
   * @throws IllegalStateException when it has ended, or an inner transaction is still open
   */
  void commit();

  /**
   * Undoes every change made in this transaction, newest first.
   *
   * @throws IllegalStateException when it has ended, or an inner transaction is still open
   */
  void rollback();

  /** True until committed or rolled back. */
  boolean isOpen();

  /** Rolls back if still open. */
  @Override
  void close();
}
