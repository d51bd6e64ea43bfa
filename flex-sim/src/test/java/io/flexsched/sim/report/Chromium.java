package io.flexsched.sim.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, run as a command with a fresh profile and a time limit. Where it is
 * missing, a test that needs it fails in CI ({@code CI=true}, where {@code .ci/run} installs it)
 * and is skipped loudly elsewhere: it never passes silently.
 */
final class Chromium {
  private static final long TIMEOUT_SECONDS = 120;

  private final Path executable;
  private final Path workDir;

  private Chromium(Path executable, Path workDir) {
    this.executable = executable;
    this.workDir = workDir;
  }

  /** Chromium from {@code FLEX_CHROMIUM}, {@code /usr/bin/chromium} or the path; else fail (CI) or skip. */
  static Chromium find(Path workDir) {
    var candidates = new ArrayList<Path>();
    String env = System.getenv("FLEX_CHROMIUM");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of("/usr/bin/chromium"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "chromium"));
        }
      }
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return new Chromium(p, workDir);
      }
    }
    String message = "CHROMIUM IS MISSING (looked for /usr/bin/chromium, chromium on the PATH and FLEX_CHROMIUM; "
        + "install it with: apt-get install -y chromium): the browser test did NOT run and proves nothing.";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " In CI (CI=true) this is a failure: .ci/run should have installed it.");
    }
    System.err.println();
    System.err.println("!!!!!!!! " + message);
    System.err.println();
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** Saves a screenshot of {@code page} at the given window size. */
  void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run("screenshot", List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        page.toUri().toString()));
  }

  /** The DOM of {@code page} after its scripts ran, serialised. */
  String dumpDom(Path page) throws IOException, InterruptedException {
    return Files.readString(run("dom", List.of("--dump-dom", page.toUri().toString())));
  }

  /** Runs Chromium and returns the file its standard output went to. */
  private Path run(String name, List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
    Path out = workDir.resolve("chromium-" + name + ".out");
    Path err = workDir.resolve("chromium-" + name + ".log");
    var command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath()));
    command.addAll(args);
    var builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    // Keep caches and crash reports out of the user's home.
    builder.environment().put("HOME", profile.toAbsolutePath().toString());
    Process process = builder.start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        fail("chromium " + name + " did not finish in " + TIMEOUT_SECONDS + " s; its log: " + err);
      }
      if (process.exitValue() != 0) {
        fail("chromium " + name + " exited " + process.exitValue() + ": " + tail(err));
      }
      return out;
    } finally {
      delete(profile);
    }
  }

  /** Deletes a throw-away profile; what cannot be deleted stays under target/ for {@code mvn clean}. */
  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
