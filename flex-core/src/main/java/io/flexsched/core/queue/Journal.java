package io.flexsched.core.queue;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * How a scheduler takes its queue state back (the queue's half of KAI's Statement; the engine's
 * undo log is the other): every change made while an operation runs or a transaction is open
 * records how to undo itself, and a failed operation or a rolled-back transaction runs those undos,
 * newest first. Marks nest like the engine's savepoints.
 *
 * <p>Counts changed by most decisions (arrivals, the failure memo's changes, preemptions, what each
 * queue holds) are {@link Count}s instead: each mark saves their values, and undoing to it sets
 * them back, so the changes a decision makes to them cost no undo record each (an allocation and a
 * store into the list per change).
 */
final class Journal {
  /** A count the journal takes back by itself: set back to its value at a mark when undoing to it. */
  static final class Count {
    long value;
  }

  private final ArrayList<Runnable> undo = new ArrayList<>();
  private Count[] counts = new Count[0];
  /** Per open mark, outermost first: the counts' values when it was entered. */
  private long[] saved = new long[0];
  private int depth;

  /**
   * A new count, at 0, taken back with every mark from now on.
   *
   * @throws IllegalStateException while a mark is open (it would have no saved value)
   */
  Count count() {
    if (depth > 0) {
      throw new IllegalStateException("counts are made before any operation runs");
    }
    Count c = new Count();
    counts = Arrays.copyOf(counts, counts.length + 1);
    counts[counts.length - 1] = c;
    return c;
  }

  /** Records how to take back a change just made, when something may need it. */
  void record(Runnable change) {
    if (depth > 0) {
      undo.add(change);
    }
  }

  /** Opens an operation or a transaction; returns its mark. */
  int enter() {
    int n = counts.length;
    int at = depth * n;
    if (at + n > saved.length) {
      saved = Arrays.copyOf(saved, Math.max(8 * n, 2 * (at + n)));
    }
    for (int i = 0; i < n; i++) {
      saved[at + i] = counts[i].value;
    }
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

  /**
   * Closes the innermost operation or transaction (whose mark is {@code mark}), undoing its
   * changes back to it.
   */
  void undoTo(int mark) {
    for (int i = undo.size() - 1; i >= mark; i--) {
      undo.remove(i).run();
    }
    int n = counts.length;
    int at = (depth - 1) * n;
    for (int i = 0; i < n; i++) {
      counts[i].value = saved[at + i];
    }
    keep();
  }
}
