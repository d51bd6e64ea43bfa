package io.flexsched.core.engine;

import io.flexsched.core.Transaction;

/** A transaction on an {@link Engine}: a savepoint in its undo log. */
final class EngineTransaction implements Transaction {
  private final Engine engine;
  private final int savepoint;
  private final int depth;
  private boolean open = true;

  EngineTransaction(Engine engine, int savepoint, int depth) {
    this.engine = engine;
    this.savepoint = savepoint;
    this.depth = depth;
  }

  @Override
  public void commit() {
    requireOpen();
    engine.endTransaction(this, false);
  }

  @Override
  public void rollback() {
    requireOpen();
    engine.endTransaction(this, true);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    if (open) {
      rollback();
    }
  }

  /** Marks it ended: by its own commit or rollback, or by the failure of an operation that opened it. */
  void end() {
    open = false;
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
