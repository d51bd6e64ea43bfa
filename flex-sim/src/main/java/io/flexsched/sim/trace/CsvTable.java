package io.flexsched.sim.trace;

import io.flexsched.sim.Utf8Text;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small CSV reader for the trace's files (comma-separated, no quoting, a header line), whose
 * accessors reject a bad cell with the file, the line and the column.
 */
final class CsvTable {
  private final String file;
  private final List<String> header;
  private final List<String[]> rows = new ArrayList<>();
  private final List<Integer> lines = new ArrayList<>();

  private CsvTable(String file, List<String> header) {
    this.file = file;
    this.header = header;
  }

  /**
   * Reads {@code path}, requiring the first {@code required} columns of {@code columns} in its
   * header, in order (later ones may be absent).
   */
  static CsvTable read(Path path, List<String> columns, int required) {
    String file = path.getFileName().toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    // Strictly: a byte that is not UTF-8 is bad input on a line, not an I/O failure.
    String text = Utf8Text.decode(bytes, bad -> new TraceFormatException(file, bad.line(),
        bad.line() == 1 ? "header" : columnAt(columns, bad.prefix()), "bytes " + bad.bytes(), "must be UTF-8 text"));
    try (BufferedReader in = new BufferedReader(new StringReader(text))) {
      String head = in.readLine();
      if (head == null) {
        throw new TraceFormatException(file, 1, "header", "an empty file", "must start with the header " + String.join(",", columns));
      }
      List<String> header = Arrays.asList(strip(head).split(",", -1));
      int have = Math.min(header.size(), columns.size());
      if (header.size() < required || !header.subList(0, have).equals(columns.subList(0, have))) {
        throw new TraceFormatException(file, 1, "header", "'" + head + "'",
            "must start with " + String.join(",", columns.subList(0, required)));
      }
      CsvTable table = new CsvTable(file, header.subList(0, have));
      String row;
      int line = 1;
      while ((row = in.readLine()) != null) {
        line++;
        if (row.isBlank()) {
          continue;
        }
        String[] cells = row.split(",", -1);
        if (cells.length < table.header.size()) {
          throw new TraceFormatException(file, line, table.header.get(cells.length), "missing",
              "must be present (" + table.header.size() + " columns expected, found " + cells.length + ")");
        }
        if (cells.length > header.size()) {
          throw new TraceFormatException(file, line, "#" + (header.size() + 1), "'" + cells[header.size()] + "'",
              "must not exist (" + header.size() + " columns expected, found " + cells.length + ")");
        }
        table.rows.add(cells);
        table.lines.add(line);
      }
      return table;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** The column a line's text up to some point ends in, by its commas. */
  private static String columnAt(List<String> columns, String prefix) {
    int commas = 0;
    for (int i = 0; i < prefix.length(); i++) {
      commas += prefix.charAt(i) == ',' ? 1 : 0;
    }
    return commas < columns.size() ? columns.get(commas) : "#" + (commas + 1);
  }

  private static String strip(String head) {
    return head.startsWith("\uFEFF") ? head.substring(1) : head;
  }

  String file() {
    return file;
  }

  int size() {
    return rows.size();
  }

  int line(int row) {
    return lines.get(row);
  }

  boolean has(String column) {
    return header.contains(column);
  }

  String text(int row, String column) {
    return rows.get(row)[index(column)].trim();
  }

  long number(int row, String column, long min, long max) {
    String cell = text(row, column);
    long value;
    try {
      value = Long.parseLong(cell);
    } catch (NumberFormatException e) {
      throw new TraceFormatException(file, line(row), column, "'" + cell + "'", "must be a whole number");
    }
    if (value < min || value > max) {
      throw new TraceFormatException(file, line(row), column, value,
          max == Long.MAX_VALUE ? "must be at least " + min : "must be in " + min + ".." + max);
    }
    return value;
  }

  TraceFormatException error(int row, String column, Object value, String requirement) {
    return new TraceFormatException(file, line(row), column, value, requirement);
  }

  private int index(String column) {
    int i = header.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + column + " in " + file);
    }
    return i;
  }
}
