package io.flexsched.sim.plan;

import io.flexsched.sim.Utf8Text;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Where a scenario's text comes from: a file, read again for every pass so that nothing holds the
 * whole of it, or a string. It also answers, after an error, the questions a message needs about
 * the text near a line, by reading it again up to there.
 */
final class ScenarioSource {
  /** A line's key: {@code key:} after indentation, list dashes or a quote. */
  private static final Pattern KEY = Pattern.compile("^[\\s-]*[\"']?([A-Za-z][A-Za-z0-9_]*)[\"']?\\s*:");
  /** Of a longer line, only this much is searched for a key; a key comes first on its line. */
  private static final int KEY_SEARCH = 1 << 16;

  private final String name;
  private final @Nullable Path path;
  private final @Nullable String text;

  private ScenarioSource(String name, @Nullable Path path, @Nullable String text) {
    this.name = name;
    this.path = path;
    this.text = text;
  }

  /** The file at {@code path}, named in errors as given. */
  static ScenarioSource of(Path path) {
    return new ScenarioSource(path.toString(), path, null);
  }

  /** The scenario {@code text}, named {@code name} in errors. */
  static ScenarioSource of(String name, String text) {
    return new ScenarioSource(name, null, text);
  }

  /** The name errors give the source. */
  String name() {
    return name;
  }

  /** Whether the source is JSON Lines (a {@code .jsonl} file) rather than YAML. */
  boolean jsonLines() {
    return name.endsWith(".jsonl");
  }

  /**
   * Checks that the file can be read and is UTF-8 throughout: a file that is not is rejected before
   * any of it is parsed, as when the whole file was decoded first.
   */
  void checkText() {
    if (path == null) {
      return;
    }
    try (InputStream in = open(path)) {
      Utf8Text.check(in, bad -> new ScenarioException(name, bad.line(), "FILE",
          "the scenario file is not UTF-8 text (bytes " + bad.bytes() + " after '" + tail(bad.prefix().strip()) + "')"));
    } catch (IOException e) {
      throw new ScenarioException(name, 0, "FILE", "cannot read the scenario file: " + e);
    }
  }

  private InputStream open(Path file) throws IOException {
    try {
      return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(name, 0, "FILE", "no such scenario file");
    }
  }

  /** At most the last 20 characters of {@code s}, for a message. */
  private static String tail(String s) {
    return s.length() <= 20 ? s : "..." + s.substring(s.length() - 20);
  }

  /**
   * The text from its start. Each read fills the buffer it is given unless the text ends, as a
   * {@link StringReader} does, so SnakeYAML sees a file in the chunks it would see its text in.
   */
  Reader open() {
    if (text != null) {
      return new StringReader(text);
    }
    try {
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
      return new Filling(new InputStreamReader(open(path), decoder));
    } catch (IOException e) {
      throw new ScenarioException(name, 0, "FILE", "cannot read the scenario file: " + e);
    }
  }

  /** A reader that returns as many characters as asked for until its input ends. */
  private static final class Filling extends Reader {
    private final Reader in;

    Filling(Reader in) {
      this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int done = 0;
      while (done < length) {
        int n = in.read(buffer, offset + done, length - done);
        if (n < 0) {
          return done == 0 ? -1 : done;
        }
        done += n;
      }
      return done;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** The 1-based line, as YAML counts lines, of the first character YAML does not allow; 1 if none. */
  int lineOfFirstUnprintable() {
    try (Reader in = new BufferedReader(open(), 1 << 16)) {
      int line = 1;
      int c = in.read();
      while (c >= 0) {
        int next = in.read();
        int point = c;
        if (Character.isHighSurrogate((char) c) && next >= 0 && Character.isLowSurrogate((char) next)) {
          point = Character.toCodePoint((char) c, (char) next);
          next = in.read();
        }
        if (!StreamReader.isPrintable(point)) {
          return line;
        }
        boolean lone = c == '\r' && next != '\n';
        if (c == '\n' || lone || c == '\u0085' || c == '\u2028' || c == '\u2029') {
          line++;
        }
        c = next;
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * " at 'key'" for the key written on {@code line} or the closest line above, else "". Lines are
   * split at CRLF, CR and LF.
   */
  String nearKey(int line) {
    String key = "";
    try (Reader in = new BufferedReader(open(), 1 << 16)) {
      var current = new StringBuilder();
      int number = 1;
      int c = in.read();
      while (number <= line) {
        boolean end = c < 0 || c == '\n' || c == '\r';
        if (!end) {
          if (current.length() < KEY_SEARCH) {
            current.append((char) c);
          }
          c = in.read();
          continue;
        }
        Matcher m = KEY.matcher(current);
        if (m.find()) {
          key = " at '" + m.group(1) + "'";
        }
        if (c < 0) {
          break;
        }
        int next = in.read();
        if (c == '\r' && next == '\n') {
          next = in.read();
        }
        c = next;
        current.setLength(0);
        number++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return key;
  }
}
