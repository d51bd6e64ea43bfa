package io.flexsched.sim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flex replay}: the FGD paper's replay protocol. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replay a trace.")
public final class ReplayCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("replay: in progress");
  }
}
