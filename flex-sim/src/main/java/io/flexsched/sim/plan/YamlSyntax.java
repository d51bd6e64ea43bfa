package io.flexsched.sim.plan;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * What is wrong with a scenario's text as YAML, as a {@link ScenarioException} naming the file,
 * the line and the key near it: every problem the parser reports, with a mark or without one, and
 * a character YAML does not allow. The text near the line is read again from the source, so
 * nothing need hold the whole file.
 */
final class YamlSyntax {
  private YamlSyntax() {}

  /**
   * A problem the parser or the composer found.
   *
   * @param context what was being read when it was found, or null
   * @param contextMark where that began, or null
   * @param problem what is wrong
   * @param problemMark where it is, or null
   */
  static ScenarioException error(ScenarioSource source, @Nullable String context, @Nullable Mark contextMark,
      String problem, @Nullable Mark problemMark) {
    Mark mark = problemMark != null ? problemMark : contextMark;
    int line = mark == null ? 0 : mark.getLine() + 1;
    if (context != null && contextMark != null && contextMark.getLine() + 1 != line) {
      // The parser noticed late (an unclosed bracket): name where the construct began too.
      int start = contextMark.getLine() + 1;
      return new ScenarioException(source.name(), line, "yaml", "not valid YAML: " + context + " started on line "
          + start + source.nearKey(start) + ", " + problem);
    }
    String prefix = context == null ? "" : context + ", ";
    return new ScenarioException(source.name(), line, "yaml", "not valid YAML" + source.nearKey(line) + ": " + prefix + problem);
  }

  /** A character YAML does not allow; the reader throws before any mark exists, so its line is found here. */
  static ScenarioException unprintable(ScenarioSource source, ReaderException e) {
    return new ScenarioException(source.name(), source.lineOfFirstUnprintable(), "yaml", "not valid YAML: "
        + String.format("character U+%04X", e.getCodePoint()) + " is not allowed in YAML text");
  }
}
