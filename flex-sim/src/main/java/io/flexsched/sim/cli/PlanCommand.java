package io.flexsched.sim.cli;

import io.flexsched.sim.plan.PlanRunner;
import io.flexsched.sim.plan.ScenarioLimits;
import io.flexsched.sim.plan.ScenarioStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flex plan FILE}: runs a scenario file and prints one JSON line per decision, as it is
 * decided. The whole file is validated first (see {@link ScenarioStream}), so bad input prints
 * nothing on stdout; then its events are read again and run one at a time.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Run a scenario file through the engine; JSON Lines out.")
public final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the scenario: YAML (or JSON), or JSON Lines if it ends in .jsonl")
  Path file;

  @Option(names = "--max-part-chars", paramLabel = "N",
      description = "most characters of one part: a top-level section, a node of nodes:, an event, a JSON line (default ${DEFAULT-VALUE})")
  int maxPartChars = ScenarioLimits.DEFAULT.maxPartChars();

  @Option(names = "--max-nesting-depth", paramLabel = "N",
      description = "deepest nesting of lists and mappings, 1.." + ScenarioLimits.MAX_NESTING_DEPTH + " (default ${DEFAULT-VALUE})")
  int maxNestingDepth = ScenarioLimits.DEFAULT.maxNestingDepth();

  @Option(names = "--max-aliases", paramLabel = "N",
      description = "most YAML aliases of lists or mappings in one part, 0.." + ScenarioLimits.MAX_ALIASES + " (default ${DEFAULT-VALUE})")
  int maxAliases = ScenarioLimits.DEFAULT.maxAliases();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    var limits = new ScenarioLimits(maxPartChars, maxNestingDepth, maxAliases);
    ScenarioStream scenario = ScenarioStream.open(file, limits);
    PrintWriter out = spec.commandLine().getOut();
    PlanRunner.run(scenario, out::println);
    out.flush();
    return FlexCommand.OK;
  }
}
