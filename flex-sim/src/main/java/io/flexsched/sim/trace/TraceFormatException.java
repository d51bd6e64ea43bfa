package io.flexsched.sim.trace;

import io.flexsched.model.InvalidSpecException;

/**
 * A trace file has a bad row: the message names the file, the line and the column, e.g.
 * {@code openb_pod_list_default.csv:12: column num_gpu must be one of 0, 1, 2, 4, 8, was 3}.
 */
public final class TraceFormatException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  public TraceFormatException(String file, int line, String column, Object value, String requirement) {
    super(file + ":" + line + ": column " + column, value, requirement);
    this.file = file;
    this.line = line;
  }

  /** The file's name. */
  public String file() {
    return file;
  }

  /** The 1-based line number (the header is line 1). */
  public int line() {
    return line;
  }
}
