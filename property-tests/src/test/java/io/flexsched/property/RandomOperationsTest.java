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
 * Then {@code flex.faulty.ops} (128,000) operations in the faulty-SPI mode, where a fifth of the
 * operations are armed to make a policy, the device rules, the preemption policy or the
 * fragmentation measure throw or answer garbage. Every 16th seed runs twice and must make the
 * same operations and the same decisions. A failure prints its seed and a shrunk sequence as a
 * test method to paste.
 */
class RandomOperationsTest {
  private static final long TOTAL = Long.getLong("flex.soak.ops", 1_024_000);
  private static final long FAULTY = Long.getLong("flex.faulty.ops", 128_000);
  /** The share of operations armed with a fault in the faulty-SPI mode. */
  private static final double FAULT_RATE = 0.2;
  private static final int LENGTH = Integer.getInteger("flex.property.length", 1_000);
  private static final long FIRST_SEED = Long.getLong("flex.property.seed", 1);
  private static final int THREADS = Integer.getInteger("flex.property.threads", Runtime.getRuntime().availableProcessors());
  private static final int DETERMINISM_EVERY = 16;
  private static final int REPORTED = 3;

  /** What one seed did: operations run, outcomes by kind, faults struck, and a failure report if it failed. */
  private record SeedResult(long seed, int operations, Map<String, Integer> outcomes, long strikes, String failure) {}

  /** What a batch of seeds did. */
  private record Totals(long operations, long seeds, long strikes, Map<String, Long> outcomes, List<String> failures) {}

  @Test
  void invariantsHoldOverRandomOperationSequences() throws Exception {
    Totals t = runSeeds("property tests", TOTAL, 0);
    assertThat(t.failures()).as("invariant violations (seed and shrunk sequence printed above)").isEmpty();
    assertThat(t.operations()).isGreaterThanOrEqualTo(TOTAL);
    Map<String, Long> outcomes = t.outcomes();
    // A tester that never reaches an outcome cannot check it: every kind must occur.
    assertThat(outcomes.keySet()).contains(
        "place placed", "place unplaced", "place refused", "place preempting", "submit done", "submit refused",
        "schedule done", "schedule preempting", "cancel done", "cancel refused", "release done", "release refused",
        "addNode done", "addNode refused", "removeNode done", "removeNode refused", "fence done", "fence refused",
        "unfence done", "begin done", "commit done", "rollback done", "commit none open", "rollback none open",
        "gang preempted whole", "gang holds a reservation",
        "defragment moving", "defragment unplaced", "defragment placed");
    assertThat(outcomes.get("place unplaced")).as("full clusters are reached").isGreaterThan(t.operations() / 100);
    assertThat(outcomes.get("rollback done")).as("rollbacks").isGreaterThan(t.operations() / 200);
    assertThat(outcomes.keySet()).as("no failure without injected faults").noneMatch(k -> k.endsWith(" failed"));
  }

  @Test
  void aFailingExtensionLeavesEverythingAsItWas() throws Exception {
    Totals t = runSeeds("faulty-SPI property tests", FAULTY, FAULT_RATE);
    assertThat(t.failures()).as("invariant violations (seed and shrunk sequence printed above)").isEmpty();
    assertThat(t.operations()).isGreaterThanOrEqualTo(FAULTY);
    long failed = t.outcomes().entrySet().stream().filter(e -> e.getKey().endsWith(" failed")).mapToLong(Map.Entry::getValue).sum();
    System.out.printf(Locale.ROOT, "  %,d faults struck; %,d operations failed and were checked to have changed nothing%n",
        t.strikes(), failed);
    // Faults must reach every kind of operation that calls an extension, and fail a good share.
    assertThat(t.outcomes().keySet()).contains("place failed", "schedule failed", "submit failed", "defragment failed");
    assertThat(failed).as("operations failed by injected faults").isGreaterThan(t.operations() / 50);
  }

  private Totals runSeeds(String label, long total, double faults) throws Exception {
    long seeds = (total + LENGTH - 1) / LENGTH;
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long operations = 0;
    long determinismChecks = 0;
    long strikes = 0;
    var outcomes = new TreeMap<String, Long>();
    var failures = new ArrayList<String>();
    int failed = 0;
    try {
      // In batches, so that a soak of millions of seeds holds few futures at once.
      for (long batch = 0; batch < seeds; batch += 1_000) {
        var futures = new ArrayList<Future<SeedResult>>();
        for (long s = batch; s < Math.min(seeds, batch + 1_000); s++) {
          long seed = FIRST_SEED + s;
          futures.add(pool.submit(() -> runSeed(seed, faults)));
        }
        for (Future<SeedResult> f : futures) {
          SeedResult r = f.get();
          operations += r.operations();
          strikes += r.strikes();
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
        "%s: %,d random operations over %,d seeds (seed %d..%d, %d per seed, %d threads) in %.1f s, "
            + "%,.0f operations/s; %d determinism re-runs; %d invariant violations%n  outcomes: %s%n",
        label, operations, seeds, FIRST_SEED, FIRST_SEED + seeds - 1, LENGTH, THREADS, seconds, operations / seconds,
        determinismChecks, failed, outcomes);
    return new Totals(operations, seeds, strikes, outcomes, failures);
  }

  private static SeedResult runSeed(long seed, double faults) {
    ModelRun.Config config = faults > 0 ? ModelRun.Config.forSeed(seed).withFaults(faults) : ModelRun.Config.forSeed(seed);
    SeedRun run = SeedRun.of(config, seed, LENGTH);
    var outcomes = new TreeMap<String, Integer>();
    for (String line : run.trace()) {
      outcomes.merge(outcome(line), 1, Integer::sum);
      if (line.contains(" preempting-gang:")) {
        outcomes.merge("gang preempted whole", 1, Integer::sum);
      }
      if (line.contains(" reserved-gang:")) {
        outcomes.merge("gang holds a reservation", 1, Integer::sum);
      }
    }
    String failure = null;
    if (run.violation() != null) {
      failure = Counterexample.of(run).report();
    } else if (Math.floorMod(seed, (long) DETERMINISM_EVERY) == 0) {
      SeedRun again = SeedRun.of(config, seed, LENGTH);
      if (!again.operations().equals(run.operations()) || !again.trace().equals(run.trace())) {
        failure = "Invariant violated: the same seed gives the same decisions\n  seed " + seed + ": first difference at step "
            + firstDifference(run.trace(), again.trace());
      }
    }
    return new SeedResult(seed, run.operations().size(), outcomes, run.strikes(), failure);
  }

  /** A trace line's kind of outcome, e.g. {@code place unplaced}, {@code release refused} or {@code schedule preempting}. */
  static String outcome(String line) {
    int space = line.indexOf(' ') < 0 ? line.length() : line.indexOf(' ');
    int colon = line.indexOf(':');
    String kind = line.substring(0, colon >= 0 && colon < space ? colon : space);
    if (line.contains(" failed: ")) {
      return kind + " failed";
    }
    if (line.contains(" refused")) {
      return kind + " refused";
    }
    if (line.contains("none open")) {
      return kind + " none open";
    }
    if (line.contains(" preempting:")) {
      return kind + " preempting";
    }
    if (kind.equals("place")) {
      return line.contains("-> none") ? "place unplaced" : "place placed";
    }
    if (kind.equals("defragment")) {
      return line.contains(" move:") ? "defragment moving" : line.contains("-> none") ? "defragment unplaced" : "defragment placed";
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
