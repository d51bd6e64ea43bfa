package io.flexsched.sim.cli;

import io.flexsched.sim.plan.PlanRunner;
import io.flexsched.sim.plan.ScenarioReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flex plan FILE}: runs a scenario file and prints one JSON line per decision. The whole
 * scenario is validated and run before anything is printed, so bad input prints nothing on stdout.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Run a scenario file through the engine; JSON Lines out.")
public final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the scenario (YAML or JSON)")
  Path file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    List<String> lines = PlanRunner.run(ScenarioReader.read(file));
    PrintWriter out = spec.commandLine().getOut();
    for (String line : lines) {
      out.println(line);
    }
    out.flush();
    return FlexCommand.OK;
  }
}
