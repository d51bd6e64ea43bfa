package io.flexsched.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The model-based random test: {@code flex.soak.ops} random operations (1,024,000 in CI; the
 * soak sets 50,000,000) in runs of {@code flex.property.length} (1,000) per seed, from seed
 * {@code flex.property.seed} (1) up, every invariant of {@link ModelRun} checked after every step.
 * Every 16th seed runs twice and must make the same operations and the same decisions. A failure
 * prints its seed and a shrunk sequence as a test method to paste.
 */
class RandomOperationsTest {
  private static final long TOTAL = Long.getLong("flex.soak.ops", 1_024_000);
  private static final int LENGTH = Integer.getInteger("flex.property.length", 1_000);
  private static final long FIRST_SEED = Long.getLong("flex.property.seed", 1);
  private static final int THREADS = Integer.getInteger("flex.property.threads", Runtime.getRuntime().availableProcessors());
  private static final int DETERMINISM_EVERY = 16;
  private static final int REPORTED = 3;

  /** What one seed did: operations run, outcomes by kind, and a failure report if it failed. */
  private record SeedResult(long seed, int operations, Map<String, Integer> outcomes, String failure) {}

  @Test
  void invariantsHoldOverRandomOperationSequences() throws Exception {
    long seeds = (TOTAL + LENGTH - 1) / LENGTH;
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long operations = 0;
    long determinismChecks = 0;
    var outcomes = new TreeMap<String, Long>();
    var failures = new ArrayList<String>();
    int failed = 0;
    try {
      // In batches, so that a soak of millions of seeds holds few futures at once.
      for (long batch = 0; batch < seeds; batch += 1_000) {
        var futures = new ArrayList<Future<SeedResult>>();
        for (long s = batch; s < Math.min(seeds, batch + 1_000); s++) {
          long seed = FIRST_SEED + s;
          futures.add(pool.submit(() -> runSeed(seed)));
        }
        for (Future<SeedResult> f : futures) {
          SeedResult r = f.get();
          operations += r.operations();
          if (Math.floorMod(r.seed(), (long) DETERMINISM_EVERY) == 0) {
            determinismChecks++;
          }
          r.outcomes().forEach((k, v) -> outcomes.merge(k, (long) v, Long::sum));
          if (r.failure() != null) {
            failed++;
            if (failures.size() < REPORTED) {
              failures.add(r.failure());
              System.out.println(r.failure());
            }
          }
        }
        if (seeds > 10_000 && (batch / 1_000) % 10 == 9) {
          System.out.printf(Locale.ROOT, "soak: %,d of %,d seeds, %,d operations, %d failed, %.0f s%n",
              batch + 1_000, seeds, operations, failed, (System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT,
        "property tests: %,d random operations over %,d seeds (seed %d..%d, %d per seed, %d threads) in %.1f s, "
            + "%,.0f operations/s; %d determinism re-runs; %d invariant violations%n  outcomes: %s%n",
        operations, seeds, FIRST_SEED, FIRST_SEED + seeds - 1, LENGTH, THREADS, seconds, operations / seconds,
        determinismChecks, failed, outcomes);

    assertThat(failures).as("invariant violations (seed and shrunk sequence printed above)").isEmpty();
    assertThat(operations).isGreaterThanOrEqualTo(TOTAL);
    // A tester that never reaches an outcome cannot check it: every kind must occur.
    assertThat(outcomes.keySet()).contains(
        "place placed", "place unplaced", "place refused", "release done", "release refused", "addNode done",
        "addNode refused", "removeNode done", "removeNode refused", "begin done", "commit done", "rollback done",
        "commit none open", "rollback none open");
    assertThat(outcomes.get("place unplaced")).as("full clusters are reached").isGreaterThan(operations / 100);
    assertThat(outcomes.get("rollback done")).as("rollbacks").isGreaterThan(operations / 200);
  }

  private static SeedResult runSeed(long seed) {
    SeedRun run = SeedRun.of(seed, LENGTH);
    var outcomes = new TreeMap<String, Integer>();
    for (String line : run.trace()) {
      outcomes.merge(outcome(line), 1, Integer::sum);
    }
    String failure = null;
    if (run.violation() != null) {
      failure = Counterexample.of(run).report();
    } else if (Math.floorMod(seed, (long) DETERMINISM_EVERY) == 0) {
      SeedRun again = SeedRun.of(seed, LENGTH);
      if (!again.operations().equals(run.operations()) || !again.trace().equals(run.trace())) {
        failure = "Invariant violated: the same seed gives the same decisions\n  seed " + seed + ": first difference at step "
            + firstDifference(run.trace(), again.trace());
      }
    }
    return new SeedResult(seed, run.operations().size(), outcomes, failure);
  }

  /** A trace line's kind of outcome, e.g. {@code place unplaced} or {@code release refused}. */
  static String outcome(String line) {
    String kind = line.substring(0, line.indexOf(line.contains(":") && line.indexOf(':') < line.indexOf(' ') ? ':' : ' '));
    if (line.contains(" refused")) {
      return kind + " refused";
    }
    if (line.contains("none open")) {
      return kind + " none open";
    }
    if (kind.equals("place")) {
      return line.contains("-> none") ? "place unplaced" : "place placed";
    }
    return kind + " done";
  }

  private static int firstDifference(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return i;
      }
    }
    return Math.min(a.size(), b.size());
  }
}
