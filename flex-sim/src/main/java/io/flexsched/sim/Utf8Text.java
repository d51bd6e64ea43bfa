package io.flexsched.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Strict UTF-8 decoding of an input file that, on malformed bytes, says where they are: the
 * loaders turn that into their typed error naming the line, instead of an I/O exception without
 * one.
 */
public final class Utf8Text {
  /** How much of a long line {@link #check} keeps for the prefix of an error. */
  static final int KEPT = 32_768;

  private Utf8Text() {}

  /**
   * Where a file stops being UTF-8.
   *
   * @param line the 1-based line of the first malformed byte (lines end at LF, CR or CRLF)
   * @param prefix the text of that line before the malformed bytes (from {@link #check}: of a
   *     line longer than {@value #KEPT} characters, at least its last {@value #KEPT})
   * @param bytes the malformed bytes, in hex (e.g. {@code E9})
   */
  public record Malformed(int line, String prefix, String bytes) {}

  /**
   * The text of {@code bytes}.
   *
   * @param error makes the exception to throw for malformed input
   */
  public static String decode(byte[] bytes, Function<Malformed, ? extends RuntimeException> error) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
          line++;
          lineStart = i + 1;
        }
      }
      var hex = new StringBuilder();
      for (int i = at; i < Math.min(bytes.length, at + result.length()); i++) {
        hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02X", bytes[i] & 0xff));
      }
      String prefix = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8);
      throw error.apply(new Malformed(line, prefix, hex.toString()));
    }
    return out.flip().toString();
  }

  /**
   * Checks that {@code in} is UTF-8 text without holding it: memory stays bounded however long
   * the input, so a file of any size can be checked before it is read as text.
   *
   * @param error makes the exception to throw for malformed input
   * @throws IOException when {@code in} cannot be read
   */
  public static void check(InputStream in, Function<Malformed, ? extends RuntimeException> error) throws IOException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    CharBuffer chars = CharBuffer.allocate(1 << 16);
    var line = new StringBuilder();
    int lineNumber = 1;
    boolean cr = false;
    boolean end = false;
    while (!end) {
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      end = n < 0;
      if (n > 0) {
        bytes.position(bytes.position() + n);
      }
      bytes.flip();
      CoderResult result = decoder.decode(bytes, chars, end);
      if (end && !result.isError()) {
        result = decoder.flush(chars);
      }
      chars.flip();
      // Lines end at LF, CR or CRLF, as in decode: a CR counts once the next character is known.
      while (chars.hasRemaining()) {
        char c = chars.get();
        if (cr && c != '\n') {
          lineNumber++;
          line.setLength(0);
        }
        cr = c == '\r';
        if (c == '\n') {
          lineNumber++;
          line.setLength(0);
        } else if (!cr) {
          line.append(c);
          if (line.length() > 2 * KEPT) {
            line.delete(0, line.length() - KEPT);
          }
        }
      }
      chars.clear();
      if (result.isError()) {
        if (cr) {
          lineNumber++;
          line.setLength(0);
        }
        var hex = new StringBuilder();
        for (int i = 0; i < result.length(); i++) {
          hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02X", bytes.get(bytes.position() + i) & 0xff));
        }
        throw error.apply(new Malformed(lineNumber, line.toString(), hex.toString()));
      }
      bytes.compact();
    }
  }
}
