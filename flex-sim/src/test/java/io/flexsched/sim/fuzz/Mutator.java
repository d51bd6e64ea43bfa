package io.flexsched.sim.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of parser input, stacked one to four deep: bit flips, odd bytes (NUL, stray
 * UTF-8 continuation and lead bytes, a lone surrogate), line deletion, duplication and swapping,
 * truncation, splices from other inputs, numeric boundary values in place of numbers, odd Unicode
 * (BOM, right-to-left override, NBSP, line separator, emoji, CR, tab), syntax characters of the
 * format, and very long lines. The same seed makes the same input.
 */
public final class Mutator {
  private static final String[] NUMBERS = {
    "0", "-0", "-1", "1", "+1", "00", "007", "1_000", "1000", "1001", "64", "65", "100000", "100001",
    "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "99999999999999999999999999", "1e3", "1.5", "-0.0", ".5", "1e309", "NaN", ".inf", "-.inf", "0x10", "0o17", "0b101",
    "1:30", "", " ", "٣", "１"};
  private static final String[] UNICODE = {
    "\u0000", "\uFEFF", "\u202E", "\u00A0", "\u2028", "\u0085", "\uD83D\uDE00", "é", "İ", "\r", "\t", "\u001B", "\u007F", "ß", "\uFFFD"};
  private static final byte[][] ODD_BYTES = {
    {0}, {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFE}, {(byte) 0xC0, (byte) 0xAF}};

  private final SplittableRandom random;
  private final String[] syntax;
  private final List<String> applied = new ArrayList<>();

  /**
   * @param seed the seed of this one input
   * @param syntax the format's own characters and tokens to insert (commas, colons, brackets)
   */
  public Mutator(long seed, String[] syntax) {
    this.random = new SplittableRandom(seed);
    this.syntax = syntax;
  }

  /** The mutations applied by the last {@link #mutate}, in order, for a failure report. */
  public List<String> applied() {
    return List.copyOf(applied);
  }

  /** {@code base} mutated one to four times; {@code corpus} supplies splices. */
  public byte[] mutate(byte[] base, List<byte[]> corpus) {
    applied.clear();
    byte[] out = base;
    int times = 1 + random.nextInt(4);
    for (int i = 0; i < times; i++) {
      out = once(out, corpus);
    }
    return out;
  }

  private byte[] once(byte[] in, List<byte[]> corpus) {
    int kind = random.nextInt(100);
    if (kind < 10) {
      return flipBits(in);
    } else if (kind < 16) {
      return insert(in, ODD_BYTES[random.nextInt(ODD_BYTES.length)], "odd bytes");
    } else if (kind < 26) {
      return editLines(in, "delete line");
    } else if (kind < 33) {
      return editLines(in, "duplicate line");
    } else if (kind < 37) {
      return editLines(in, "swap lines");
    } else if (kind < 43) {
      int at = random.nextInt(in.length + 1);
      applied.add("truncate at " + at);
      return slice(in, 0, at);
    } else if (kind < 52) {
      return splice(in, corpus.get(random.nextInt(corpus.size())));
    } else if (kind < 72) {
      return replaceNumber(in);
    } else if (kind < 80) {
      return insert(in, UNICODE[random.nextInt(UNICODE.length)].getBytes(StandardCharsets.UTF_8), "unicode");
    } else if (kind < 92) {
      return insert(in, syntax[random.nextInt(syntax.length)].getBytes(StandardCharsets.UTF_8), "syntax");
    } else if (kind < 94) {
      return longLine(in);
    } else {
      return insert(in, NUMBERS[random.nextInt(NUMBERS.length)].getBytes(StandardCharsets.UTF_8), "number");
    }
  }

  private byte[] flipBits(byte[] in) {
    if (in.length == 0) {
      return in;
    }
    byte[] out = in.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(out.length);
      out[at] ^= (byte) (1 << random.nextInt(8));
      applied.add("flip a bit at " + at);
    }
    return out;
  }

  private byte[] insert(byte[] in, byte[] what, String name) {
    int at = random.nextInt(in.length + 1);
    boolean replace = random.nextBoolean() && at < in.length;
    applied.add((replace ? "replace byte with " : "insert ") + name + " at " + at);
    return concat(slice(in, 0, at), what, slice(in, replace ? at + 1 : at, in.length));
  }

  private byte[] editLines(byte[] in, String how) {
    List<byte[]> lines = lines(in);
    if (lines.isEmpty()) {
      return in;
    }
    int i = random.nextInt(lines.size());
    switch (how) {
      case "delete line" -> lines.remove(i);
      case "duplicate line" -> lines.add(i, lines.get(i));
      default -> {
        int j = random.nextInt(lines.size());
        byte[] t = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, t);
      }
    }
    applied.add(how + " " + (i + 1));
    var out = new ByteArrayOutputStream(in.length + 64);
    for (byte[] line : lines) {
      out.writeBytes(line);
    }
    return out.toByteArray();
  }

  /** The lines of {@code in}, each with its line break. */
  private static List<byte[]> lines(byte[] in) {
    var out = new ArrayList<byte[]>();
    int start = 0;
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\n') {
        out.add(slice(in, start, i + 1));
        start = i + 1;
      }
    }
    if (start < in.length) {
      out.add(slice(in, start, in.length));
    }
    return out;
  }

  private byte[] splice(byte[] in, byte[] other) {
    int from = random.nextInt(other.length + 1);
    int to = Math.min(other.length, from + random.nextInt(200));
    int at = random.nextInt(in.length + 1);
    applied.add("splice bytes " + from + ".." + to + " of another input at " + at);
    return concat(slice(in, 0, at), slice(other, from, to), slice(in, at, in.length));
  }

  private byte[] replaceNumber(byte[] in) {
    var numbers = new ArrayList<int[]>();
    for (int i = 0; i < in.length; i++) {
      if (in[i] >= '0' && in[i] <= '9') {
        int j = i;
        while (j < in.length && in[j] >= '0' && in[j] <= '9') {
          j++;
        }
        numbers.add(new int[] {i, j});
        i = j;
      }
    }
    String value = NUMBERS[random.nextInt(NUMBERS.length)];
    if (numbers.isEmpty()) {
      return insert(in, value.getBytes(StandardCharsets.UTF_8), "number");
    }
    int[] n = numbers.get(random.nextInt(numbers.size()));
    applied.add("number at " + n[0] + " -> '" + value + "'");
    return concat(slice(in, 0, n[0]), value.getBytes(StandardCharsets.UTF_8), slice(in, n[1], in.length));
  }

  private byte[] longLine(byte[] in) {
    int length = 10_000 + random.nextInt(90_000);
    String unit = new String[] {"9", "a", "a,", "x: ", "[", "{", " "}[random.nextInt(7)];
    int at = random.nextInt(in.length + 1);
    applied.add("insert a " + length + "-character line of '" + unit + "' at " + at);
    return concat(slice(in, 0, at), unit.repeat(length / unit.length()).getBytes(StandardCharsets.UTF_8), slice(in, at, in.length));
  }

  private static byte[] slice(byte[] in, int from, int to) {
    byte[] out = new byte[Math.max(0, to - from)];
    System.arraycopy(in, from, out, 0, out.length);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int k = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }
}
