package io.flexsched.sim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the {@code flex} command line in the test's JVM: its exit code and both streams. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = FlexCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(code, out.toString(), err.toString());
  }
}
