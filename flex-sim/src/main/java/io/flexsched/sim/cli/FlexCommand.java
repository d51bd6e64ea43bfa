package io.flexsched.sim.cli;

import io.flexsched.model.InvalidSpecException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flex} command line: {@code flex replay}, {@code flex plan}, {@code flex timeline},
 * {@code flex sharing} and {@code flex bound}. Exit codes: 0 ran, 2
 * bad input (one line on stderr, no stack trace), 1 internal error.
 */
@Command(
    name = "flex",
    mixinStandardHelpOptions = true,
    version = "flex 0.1.0",
    description = "Flex: places AI workloads on heterogeneous accelerator clusters.",
    subcommands = {ReplayCommand.class, PlanCommand.class, TimelineCommand.class, SharingCommand.class,
        BoundCommand.class})
public final class FlexCommand implements Runnable {
  /** Exit code of a run that completed. */
  public static final int OK = 0;
  /** Exit code of an internal error. */
  public static final int INTERNAL_ERROR = 1;
  /** Exit code of bad input. */
  public static final int BAD_INPUT = 2;

  /** Whether stderr is a terminal, where progress may be a bar redrawn in place. */
  private boolean terminal;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "a subcommand is required: replay, plan, timeline, sharing or bound");
  }

  /** Whether stderr is a terminal. */
  boolean terminal() {
    return terminal;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    // JDK 17 has no test for stderr alone; a console means a person at a terminal.
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.console() != null));
  }

  /** Runs the command line with the given streams, which are no terminal, and returns its exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, false);
  }

  /**
   * Runs the command line with the given streams and returns its exit code.
   *
   * @param terminal whether {@code err} is a terminal: progress is then a bar redrawn in place,
   *     else a plain line at each tenth of the way
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err, boolean terminal) {
    FlexCommand flex = new FlexCommand();
    flex.terminal = terminal;
    CommandLine cli = new CommandLine(flex);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> e instanceof InvalidSpecException ? BAD_INPUT : INTERNAL_ERROR);
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("flex: " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof InvalidSpecException) {
        err.println("flex: " + e.getMessage());
        err.flush();
        return BAD_INPUT;
      }
      err.println("flex: internal error: " + e);
      e.printStackTrace(err);
      err.flush();
      return INTERNAL_ERROR;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
