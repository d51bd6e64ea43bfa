package io.flexsched.sim;

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
  private Utf8Text() {}

  /**
   * Where a file stops being UTF-8.
   *
   * @param line the 1-based line of the first malformed byte (lines end at LF, CR or CRLF)
   * @param prefix the text of that line before the malformed bytes
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
}
