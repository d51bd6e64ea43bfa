package io.flexsched.sim.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * A scenario's text as a YAML node tree, or what is wrong with it as YAML: every problem the
 * parser reports (with a mark or without one, a character YAML does not allow, a limit of the
 * loader) becomes a {@link ScenarioException} naming the file and the line, and the key near it.
 */
final class YamlSyntax {
  /** A line's key: {@code key:} after indentation, list dashes or a quote. */
  private static final Pattern KEY = Pattern.compile("^[\\s-]*[\"']?([A-Za-z][A-Za-z0-9_]*)[\"']?\\s*:");

  private YamlSyntax() {}

  /**
   * The node tree of {@code text}, or null for an empty document.
   *
   * @throws ScenarioException when it is not valid YAML
   */
  static Node compose(String file, String text) {
    try {
      return new Yaml().compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      throw syntaxError(file, e, text);
    } catch (ReaderException e) {
      // Thrown by the reader before any mark exists: find the character's line ourselves.
      throw new ScenarioException(file, lineOfFirstUnprintable(text), "yaml", "not valid YAML: "
          + String.format("character U+%04X", e.getCodePoint()) + " is not allowed in YAML text");
    } catch (YAMLException e) {
      // A limit of the loader (nesting depth, aliases, size) is reported without a mark.
      throw new ScenarioException(file, lineOfUnmarkedProblem(text), "yaml", "not valid YAML: " + e.getMessage());
    }
  }

  private static ScenarioException syntaxError(String file, MarkedYAMLException e, String text) {
    Mark problemMark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    int line = problemMark == null ? 0 : problemMark.getLine() + 1;
    String problem = e.getProblem() == null ? String.valueOf(e.getMessage()) : e.getProblem();
    String[] lines = text.split("\r\n|\r|\n", -1);
    Mark contextMark = e.getContextMark();
    if (e.getContext() != null && contextMark != null && contextMark.getLine() + 1 != line) {
      // The parser noticed late (an unclosed bracket): name where the construct began too.
      int start = contextMark.getLine() + 1;
      return new ScenarioException(file, line, "yaml", "not valid YAML: " + e.getContext() + " started on line "
          + start + nearKey(lines, start) + ", " + problem);
    }
    String context = e.getContext() == null ? "" : e.getContext() + ", ";
    return new ScenarioException(file, line, "yaml", "not valid YAML" + nearKey(lines, line) + ": " + context + problem);
  }

  /**
   * The line of a problem SnakeYAML reports without a mark: where the nesting first goes deeper
   * than the loader allows, or the 51st alias is used, or else the last event it could read.
   */
  private static int lineOfUnmarkedProblem(String text) {
    LoaderOptions limits = new LoaderOptions();
    int depth = 0;
    int aliases = 0;
    int line = 1;
    try {
      for (Event e : new Yaml().parse(new java.io.StringReader(text))) {
        line = e.getStartMark() == null ? line : e.getStartMark().getLine() + 1;
        if (e instanceof CollectionStartEvent && ++depth > limits.getNestingDepthLimit()) {
          return line;
        }
        if (e instanceof CollectionEndEvent) {
          depth--;
        }
        if (e instanceof AliasEvent && ++aliases > limits.getMaxAliasesForCollections()) {
          return line;
        }
      }
    } catch (YAMLException stop) {
      // The events up to here are all there is to go by.
    }
    return line;
  }

  /** The 1-based line, as YAML counts lines, of the first character YAML does not allow. */
  private static int lineOfFirstUnprintable(String text) {
    int line = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!StreamReader.isPrintable(c)) {
        return line;
      }
      boolean lone = c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n');
      if (c == '\n' || lone || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        line++;
      }
      i += Character.charCount(c);
    }
    return line;
  }

  /** " at 'key'" for the key written on {@code line} or the closest line above, else "". */
  private static String nearKey(String[] lines, int line) {
    for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
      Matcher m = KEY.matcher(lines[i]);
      if (m.find()) {
        return " at '" + m.group(1) + "'";
      }
    }
    return "";
  }
}
