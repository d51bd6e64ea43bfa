package io.flexsched.core.engine;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * How the engine takes changes back: the undo entries of open transactions and running
 * operations, the transactions open, and per running operation a savepoint (undo entries,
 * transactions, decision number) to return to if it fails. Entries are kept only while something
 * may need them.
 */
final class UndoLog {
  private final ArrayList<Undo> entries = new ArrayList<>();
  private final ArrayList<EngineTransaction> open = new ArrayList<>();
  private int operations;
  private int[] savedEntries = new int[8];
  private int[] savedOpen = new int[8];
  private long[] savedDecision = new long[8];

  /** Logs {@code undo} when a transaction or an operation may need to take it back. */
  void add(Undo undo) {
    if (operations > 0 || !open.isEmpty()) {
      entries.add(undo);
    }
  }

  /** Starts an operation whose failure must leave everything as it is now. */
  void enter(long decision) {
    if (operations == savedEntries.length) {
      savedEntries = Arrays.copyOf(savedEntries, 2 * operations);
      savedOpen = Arrays.copyOf(savedOpen, 2 * operations);
      savedDecision = Arrays.copyOf(savedDecision, 2 * operations);
    }
    savedEntries[operations] = entries.size();
    savedOpen[operations] = open.size();
    savedDecision[operations] = decision;
    operations++;
  }

  /** True when the operation running is the outermost one. */
  boolean outermost() {
    return operations == 1;
  }

  /** True while an operation is running. */
  boolean inOperation() {
    return operations > 0;
  }

  /** Ends the innermost operation, which succeeded. */
  void exit() {
    operations--;
    forgetIfIdle();
  }

  /**
   * Ends the innermost operation, which failed: undoes its changes, newest first, ends the
   * transactions it opened, and returns the decision number it started at.
   */
  long abort(ClusterState state) {
    operations--;
    int keep = savedEntries[operations];
    for (int i = entries.size() - 1; i >= keep; i--) {
      entries.remove(i).undo(state);
    }
    for (int i = open.size() - 1; i >= savedOpen[operations]; i--) {
      open.remove(i).end();
    }
    forgetIfIdle();
    return savedDecision[operations];
  }

  /** Opens a transaction at the current end of the log. */
  EngineTransaction begin(Engine engine) {
    EngineTransaction tx = new EngineTransaction(engine, entries.size(), open.size());
    open.add(tx);
    return tx;
  }

  /**
   * Ends {@code tx}, the innermost open transaction, undoing its changes when {@code rollback}.
   *
   * @throws IllegalStateException when an inner transaction is still open; nothing changes then
   */
  void end(EngineTransaction tx, boolean rollback, ClusterState state) {
    if (open.isEmpty() || open.get(open.size() - 1) != tx) {
      throw new IllegalStateException("transaction " + tx.depth() + " ended while an inner one is open");
    }
    if (rollback) {
      for (int i = entries.size() - 1; i >= tx.savepoint(); i--) {
        entries.remove(i).undo(state);
      }
    }
    open.remove(open.size() - 1);
    tx.end();
    forgetIfIdle();
  }

  /** How many transactions are open. */
  int openTransactions() {
    return open.size();
  }

  private void forgetIfIdle() {
    if (operations == 0 && open.isEmpty()) {
      entries.clear();
    }
  }
}
