package io.flexsched.core.queue;

import java.util.ArrayList;

/**
 * How a scheduler takes its queue state back (the queue's half of KAI's Statement; the engine's
 * undo log is the other): every change made while an operation runs or a transaction is open
 * records how to undo itself, and a failed operation or a rolled-back transaction runs those undos,
 * newest first. Marks nest like the engine's savepoints.
 */
final class Journal {
  private final ArrayList<Runnable> undo = new ArrayList<>();
  private int depth;

  /** Records how to take back a change just made, when something may need it. */
  void record(Runnable change) {
    if (depth > 0) {
      undo.add(change);
    }
  }

  /** Opens an operation or a transaction; returns its mark. */
  int enter() {
    depth++;
    return undo.size();
  }

  /** Closes the innermost operation or transaction, keeping its changes. */
  void keep() {
    depth--;
    if (depth == 0) {
      undo.clear();
    }
  }

  /** Closes the innermost operation or transaction, undoing its changes back to {@code mark}. */
  void undoTo(int mark) {
    for (int i = undo.size() - 1; i >= mark; i--) {
      undo.remove(i).run();
    }
    keep();
  }
}
