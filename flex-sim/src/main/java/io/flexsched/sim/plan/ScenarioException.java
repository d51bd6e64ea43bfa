package io.flexsched.sim.plan;

import io.flexsched.model.InvalidSpecException;

/**
 * A scenario file is bad input: the message names the file, the line and the field, on one line,
 * e.g. {@code scenario.yaml:12: task.gpuMilli must be in 1..1000, was 1200}.
 */
public final class ScenarioException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String message;

  /** A field's value breaks a rule: {@code <file>:<line>: <field> <requirement>, was <value>}. */
  public ScenarioException(String file, int line, String field, Object value, String requirement) {
    super(field, value, requirement);
    this.file = file;
    this.line = line;
    this.message = locate(file, line, field + " " + requirement + ", was " + value);
  }

  /** A problem told in words: {@code <file>:<line>: <detail>}, where the detail names the field. */
  public ScenarioException(String file, int line, String field, String detail) {
    super(field, "", detail);
    this.file = file;
    this.line = line;
    this.message = locate(file, line, detail);
  }

  private ScenarioException(String file, int line, InvalidSpecException cause, String text) {
    super(cause.field(), cause.value(), text);
    this.file = file;
    this.line = line;
    this.message = locate(file, line, text);
    initCause(cause);
  }

  /**
   * A model value's own validation failed at {@code line}. A bare field name such as
   * {@code gpuMilli} is qualified with its section ({@code task.gpuMilli}).
   */
  static ScenarioException wrap(String file, int line, String section, InvalidSpecException cause) {
    if (cause instanceof ScenarioException located) {
      return located;
    }
    String field = cause.field();
    boolean bare = !field.isEmpty() && field.indexOf(' ') < 0 && field.indexOf('.') < 0;
    return new ScenarioException(file, line, cause, bare ? section + "." + cause.getMessage() : cause.getMessage());
  }

  private static String locate(String file, int line, String text) {
    // One line on stderr, whatever the text (YAML problems may span lines).
    String flat = flatten(text).trim();
    return line > 0 ? file + ":" + line + ": " + flat : file + ": " + flat;
  }

  /**
   * Each run of whitespace that holds a line break, as one space. A loop, not the regex
   * {@code \s*[\r\n]+\s*}, which backtracks quadratically over a long run of spaces without a
   * line break (a fuzzed value of 100,000 spaces took minutes).
   */
  static String flatten(String text) {
    var b = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (!isSpace(text.charAt(i))) {
        b.append(text.charAt(i++));
        continue;
      }
      int end = i;
      boolean lineBreak = false;
      while (end < text.length() && isSpace(text.charAt(end))) {
        lineBreak |= text.charAt(end) == '\r' || text.charAt(end) == '\n';
        end++;
      }
      if (lineBreak) {
        b.append(' ');
      } else {
        b.append(text, i, end);
      }
      i = end;
    }
    return b.toString();
  }

  /** Java regex's {@code \s}. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  @Override
  public String getMessage() {
    return message;
  }

  /** The scenario file as it was named. */
  public String file() {
    return file;
  }

  /** The 1-based line of the offending node; 0 when the problem has no line (e.g. unreadable file). */
  public int line() {
    return line;
  }
}
