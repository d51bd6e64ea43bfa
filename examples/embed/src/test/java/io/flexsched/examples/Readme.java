package io.flexsched.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The project's README and the example sources its code blocks show, found from wherever tests run. */
final class Readme {
  private Readme() {}

  /** The repository's root: the nearest directory above the working directory with this README. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path readme = dir.resolve("README.md");
      if (Files.isRegularFile(readme) && read(readme).contains("<!-- embed-example:start -->")) {
        return dir;
      }
    }
    throw new AssertionError("no README.md with the embedding example above " + Path.of("").toAbsolutePath());
  }

  /** The README's code block between the markers {@code <!-- name:start -->} and {@code <!-- name:end -->}, stripped. */
  static List<String> block(String name) {
    List<String> shown = between(lines(root().resolve("README.md")), "<!-- " + name + ":start -->", "<!-- " + name + ":end -->");
    return shown.subList(1, shown.size() - 1); // the ```java fence and its close
  }

  /** The lines of example class {@code simpleName} between its {@code // README:start} and {@code // README:end}. */
  static List<String> example(String simpleName) {
    Path source = root().resolve("examples/embed/src/main/java/io/flexsched/examples/" + simpleName + ".java");
    return between(lines(source), "// README:start", "// README:end");
  }

  private static List<String> between(List<String> lines, String start, String end) {
    int from = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(start)) {
        from = i + 1;
      } else if (from >= 0 && lines.get(i).contains(end)) {
        return lines.subList(from, i).stream().map(String::strip).toList();
      }
    }
    throw new AssertionError("no " + start + " ... " + end + " block");
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    return String.join("\n", lines(file));
  }
}
