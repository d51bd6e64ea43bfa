package io.flexsched.core;

/**
 * A unit of work on a {@link PlacementEngine} that is committed or rolled back as a whole: every
 * placement, release, node addition and node removal made through the engine while it is open.
 * Transactions nest; the innermost open one must end first. Closing an open transaction rolls it
 * back, so try-with-resources never leaves half a change behind.
 */
public final class Transaction implements AutoCloseable {
  private final PlacementEngine engine;
  private final int savepoint;
  private final int depth;
  private boolean open = true;

  Transaction(PlacementEngine engine, int savepoint, int depth) {
    this.engine = engine;
    this.savepoint = savepoint;
    this.depth = depth;
  }

  /** Keeps every change made in this transaction (an enclosing one may still roll them back). */
  public void commit() {
    requireOpen();
    engine.endTransaction(this, false);
    open = false;
  }

  /** Undoes every change made in this transaction, newest first. */
  public void rollback() {
    requireOpen();
    engine.endTransaction(this, true);
    open = false;
  }

  /** True until committed or rolled back. */
  public boolean isOpen() {
    return open;
  }

  /** Rolls back if still open. */
  @Override
  public void close() {
    if (open) {
      rollback();
    }
  }

  int savepoint() {
    return savepoint;
  }

  int depth() {
    return depth;
  }

  private void requireOpen() {
    if (!open) {
      throw new IllegalStateException("transaction already ended");
    }
  }
}
