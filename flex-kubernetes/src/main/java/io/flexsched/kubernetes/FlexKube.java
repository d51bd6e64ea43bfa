package io.flexsched.kubernetes;

import io.flexsched.model.InvalidSpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point of {@code flex-kubernetes.jar}: {@code flex kube-scheduler},
 * {@code flex kube-extender} and {@code flex kube-bench} (the {@code ./flex} script sends those commands here, so the
 * simulator's jar carries no Kubernetes client).
 */
@Command(name = "flex", mixinStandardHelpOptions = true, subcommands = {KubeSchedulerCommand.class, KubeExtenderCommand.class, KubeBenchCommand.class},
    description = "Flex on Kubernetes.")
public final class FlexKube {
  private FlexKube() {}

  public static void main(String[] args) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    System.exit(run(new java.io.PrintWriter(System.err, true), args));
  }

  /** Runs a command; 0 on success, 2 on bad input (one line on stderr), 1 on an internal error. */
  static int run(java.io.PrintWriter err, String... args) {
    var cli = new CommandLine(FlexKube.class);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof UsageException || e instanceof InvalidSpecException) {
        command.getErr().println("flex: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("flex: " + e.getMessage());
      return 2;
    });
    return cli.execute(args);
  }
}
