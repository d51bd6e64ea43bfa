package io.flexsched.sim.report;

import java.util.Locale;

/** Text made safe for HTML and SVG markup, and numbers written the same way on every machine. */
final class Html {
  private Html() {}

  /** {@code text} with the five characters that markup reads specially replaced by entities. */
  static String escape(String text) {
    var out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A lower-case token of letters, digits and dashes for ids and class names ({@code V100M16} →
   * {@code v100m16}, {@code A100 40GB} → {@code a100-40gb}); never empty.
   */
  static String token(String text) {
    var out = new StringBuilder(text.length());
    boolean dash = false;
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.append(c);
        dash = false;
      } else if (!dash && out.length() > 0) {
        out.append('-');
        dash = true;
      }
    }
    while (out.length() > 0 && out.charAt(out.length() - 1) == '-') {
      out.setLength(out.length() - 1);
    }
    return out.length() == 0 ? "x" : out.toString();
  }

  /** A coordinate with one decimal, in the root locale. */
  static String coordinate(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
