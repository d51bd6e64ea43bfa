package io.flexsched.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The journal's counts against the plain way they replace: a count beside each, changed in step and
 * taken back by one undo record per change. Seeded random sequences of marks (nested), keeps,
 * undos and increments, inside and outside marks; after every step both must agree. A failure
 * names its seed.
 */
class JournalTest {
  private static final int RUNS = 300;
  private static final int STEPS = 200;

  @Test
  void countsAreTakenBackAsUndoRecordsPerChangeWould() {
    for (long seed = 1; seed <= RUNS; seed++) {
      run(seed);
    }
  }

  private static void run(long seed) {
    var random = new SplittableRandom(seed);
    var journal = new Journal();
    int n = 1 + random.nextInt(3);
    var counts = new Journal.Count[n];
    long[] reference = new long[n];
    for (int i = 0; i < n; i++) {
      counts[i] = journal.count();
    }
    var marks = new ArrayDeque<Integer>();
    int undone = 0;
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      if (op < 2 && marks.size() < 6) {
        marks.push(journal.enter());
      } else if (op == 2 && !marks.isEmpty()) {
        marks.pop();
        journal.keep();
      } else if (op == 3 && !marks.isEmpty()) {
        journal.undoTo(marks.pop());
        undone++;
      } else {
        int i = random.nextInt(n);
        counts[i].value++;
        reference[i]++;
        journal.record(() -> reference[i]--);
      }
      for (int i = 0; i < n; i++) {
        assertThat(counts[i].value).as("seed %d, step %d, count %d", seed, step, i).isEqualTo(reference[i]);
      }
    }
    while (!marks.isEmpty()) {
      journal.undoTo(marks.pop());
      undone++;
    }
    for (int i = 0; i < n; i++) {
      assertThat(counts[i].value).as("seed %d, count %d after undoing every mark", seed, i).isEqualTo(reference[i]);
    }
    assertThat(undone).as("seed %d undid nothing", seed).isPositive();
  }

  @Test
  void aCountMadeWhileAMarkIsOpenIsRefused() {
    var journal = new Journal();
    journal.enter();
    assertThatThrownBy(journal::count).isInstanceOf(IllegalStateException.class);
  }
}
