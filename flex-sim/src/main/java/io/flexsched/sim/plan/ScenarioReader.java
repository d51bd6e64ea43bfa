package io.flexsched.sim.plan;

import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Reads a scenario file (YAML, JSON being valid YAML; or JSON Lines, for a {@code .jsonl} file)
 * into a validated {@link Scenario} with all its events in memory, for scenarios of a size a person
 * writes; {@code flex plan} reads through {@link ScenarioStream} instead. The whole file is checked
 * before anything runs: syntax, keys, types, ranges, model names, node names (after {@code count}
 * expansion) and what each {@code release} and {@code removeNode} names. Every problem is a
 * {@link ScenarioException} naming the file, the line and the field.
 */
public final class ScenarioReader {
  private ScenarioReader() {}

  /**
   * Reads and validates the scenario in {@code path}; errors name it as given.
   *
   * @throws ScenarioException when the file cannot be read or is not a valid scenario
   */
  public static Scenario read(Path path) {
    return collect(ScenarioStream.open(path, ScenarioLimits.DEFAULT));
  }

  /**
   * Reads and validates a scenario from its text; {@code file} names it in errors.
   *
   * @throws ScenarioException when the text is not a valid scenario
   */
  public static Scenario read(String file, String text) {
    return collect(ScenarioStream.open(file, text, ScenarioLimits.DEFAULT));
  }

  private static Scenario collect(ScenarioStream stream) {
    Scenario h = stream.header();
    var events = new ArrayList<ScenarioEvent>();
    stream.events(events::add);
    return new Scenario(h.file(), h.policy(), h.seed(), h.catalogue(), h.workload(), h.nodes(), events, h.queues(),
        h.preemption(), h.strictFifo(), h.reserveAfter(), h.defragment());
  }
}
