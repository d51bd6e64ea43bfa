package io.flexsched.sim.plan;

import io.flexsched.sim.cli.FlexCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** One run of {@code flex plan FILE} through {@link FlexCommand#execute}, with what it printed. */
record PlanRun(int exit, String out, String err) {

  /** The scenario file {@code name} under the test resources' {@code scenarios/}. */
  static Path scenario(String name) {
    URL url = PlanRun.class.getResource("/scenarios/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test scenario " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code flex plan} on the test scenario {@code name}. */
  static PlanRun of(String name) {
    return of(scenario(name));
  }

  /** Runs {@code flex plan} on {@code file}. */
  static PlanRun of(Path file) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = FlexCommand.execute(new String[] {"plan", file.toString()}, new PrintWriter(out), new PrintWriter(err));
    return new PlanRun(exit, out.toString(), err.toString());
  }

  private static final java.util.regex.Pattern NEAREST =
      java.util.regex.Pattern.compile(",\"nearest\":\\{\"node\":\"[^\"]*\",\"reason\":\"[a-z-]+\",\"lacks\":\\{[^}]*}}");

  /** The JSON lines on stdout. */
  List<String> lines() {
    return out.lines().toList();
  }

  /**
   * The JSON lines with pending lines' {@code nearest} objects cut out, for tests about other
   * things (the nearest miss has tests of its own).
   */
  List<String> linesWithoutNearest() {
    return out.lines().map(l -> NEAREST.matcher(l).replaceFirst("")).toList();
  }
}
