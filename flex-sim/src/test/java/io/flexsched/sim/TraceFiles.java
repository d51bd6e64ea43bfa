package io.flexsched.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find the Alibaba trace: {@code FLEX_TRACE_DIR}, else the {@code flex.trace.dir}
 * system property (the build sets it to {@code ../shared/traces/alibaba-gpu-v2023}). The trace is
 * read in place and never copied into the repository.
 *
 * <p>If it is missing, a test that needs it fails when {@code FLEX_REQUIRE_TRACE=true} (CI), and
 * otherwise is skipped with a loud message on stderr: it never passes silently.
 */
public final class TraceFiles {
  private TraceFiles() {}

  /** The trace directory, or the test is failed (CI) or skipped loudly (elsewhere). */
  public static Path dir() {
    String env = System.getenv("FLEX_TRACE_DIR");
    String prop = System.getProperty("flex.trace.dir");
    Path dir = env != null && !env.isBlank() ? Path.of(env) : prop != null ? Path.of(prop) : null;
    if (dir != null && Files.isRegularFile(dir.resolve("openb_node_list_gpu_node.csv"))) {
      return dir;
    }
    String message = "THE ALIBABA TRACE IS MISSING (looked in " + dir + "; set FLEX_TRACE_DIR): "
        + "this test did NOT run and proves nothing.";
    if ("true".equals(System.getenv("FLEX_REQUIRE_TRACE"))) {
      fail(message + " FLEX_REQUIRE_TRACE=true makes this a failure.");
    }
    System.err.println();
    System.err.println("!!!!!!!! " + message);
    System.err.println();
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** A file of the trace directory. */
  public static Path file(String name) {
    return dir().resolve(name);
  }
}
