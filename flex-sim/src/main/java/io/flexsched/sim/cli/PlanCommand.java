package io.flexsched.sim.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flex plan FILE}: runs a scenario file and prints one JSON line per decision. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Run a scenario file through the engine; JSON Lines out.")
public final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the scenario (YAML or JSON)")
  Path file;

  @Override
  public Integer call() {
    throw new UnsupportedOperationException("plan: in progress");
  }
}
