package io.flexsched.property;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One seed's random run: the operations the generator made (online, from the run's state) and
 * what they led to. The same seed makes the same operations and, the engine being deterministic,
 * the same trace.
 *
 * @param seed the seed of the generator and of the engine
 * @param config how the engine was built and checked
 * @param operations the operations performed, up to and including the one that failed
 * @param trace each operation's decision, as text
 * @param violation the first violation, or null
 * @param strikes how many injected faults struck (faulty-SPI mode)
 */
public record SeedRun(long seed, ModelRun.Config config, List<Operation> operations, List<String> trace,
    @Nullable Violation violation, long strikes) {

  /** Runs {@code length} operations of {@code seed} under its default configuration. */
  public static SeedRun of(long seed, int length) {
    return of(ModelRun.Config.forSeed(seed), seed, length);
  }

  /** Runs {@code length} operations of {@code seed} under {@code config}. */
  public static SeedRun of(ModelRun.Config config, long seed, int length) {
    ModelRun run = new ModelRun(config);
    OperationGenerator generator = new OperationGenerator(seed);
    var operations = new ArrayList<Operation>(length);
    Violation v = null;
    for (int i = 0; i < length && v == null; i++) {
      Operation op = generator.next(run);
      operations.add(op);
      v = run.step(op);
    }
    if (v == null) {
      v = run.finish();
    }
    return new SeedRun(seed, config, List.copyOf(operations), List.copyOf(run.trace()), v, run.strikes());
  }
}
