package io.flexsched.sim.plan;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * One line of a JSON Lines scenario (strict JSON, RFC 8259) as the YAML nodes the same value
 * written in YAML would compose to: a number with a fraction or an exponent is a float, any other
 * an int; strings, booleans and null keep their types. So every check of a scenario's values is
 * the same for both forms, with the same messages.
 */
final class JsonNodes {
  private static final int[] NO_TEXT = new int[0];

  private final ScenarioSource source;
  private final String text;
  private final int line;
  private final int maxDepth;
  private int at;
  private int depth;

  private JsonNodes(ScenarioSource source, String text, int line, int maxDepth) {
    this.source = source;
    this.text = text;
    this.line = line;
    this.maxDepth = maxDepth;
  }

  /**
   * The value on {@code line}.
   *
   * @param maxDepth the deepest nesting of arrays and objects allowed
   * @throws ScenarioException when the line is not one JSON value
   */
  static Node parse(ScenarioSource source, String text, int line, int maxDepth) {
    var p = new JsonNodes(source, text, line, maxDepth);
    p.space();
    Node value = p.value();
    p.space();
    if (p.at < text.length()) {
      throw p.error("expected the end of the line after one value, found " + p.found());
    }
    return value;
  }

  private Node value() {
    if (at >= text.length()) {
      throw error("expected a value, found the end of the line");
    }
    char c = text.charAt(at);
    Mark start = mark();
    if (c == '{') {
      return object(start);
    }
    if (c == '[') {
      return array(start);
    }
    if (c == '"') {
      String s = string();
      return new ScalarNode(Tag.STR, s, start, mark(), DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number(start);
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (text.startsWith(word, at)) {
        at += word.length();
        return new ScalarNode(word.equals("null") ? Tag.NULL : Tag.BOOL, word, start, mark(), DumperOptions.ScalarStyle.PLAIN);
      }
    }
    throw error("expected a value, found " + found());
  }

  private Node object(Mark start) {
    enter();
    at++;
    var entries = new ArrayList<NodeTuple>();
    space();
    if (peek() != '}') {
      while (true) {
        space();
        if (peek() != '"') {
          throw error("expected a key in double quotes, found " + found());
        }
        Mark keyMark = mark();
        Node key = new ScalarNode(Tag.STR, string(), keyMark, mark(), DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        space();
        expect(':');
        space();
        entries.add(new NodeTuple(key, value()));
        space();
        if (peek() == ',') {
          at++;
          continue;
        }
        break;
      }
    }
    expect('}');
    depth--;
    return new MappingNode(Tag.MAP, true, entries, start, mark(), DumperOptions.FlowStyle.FLOW);
  }

  private Node array(Mark start) {
    enter();
    at++;
    List<Node> items = new ArrayList<>();
    space();
    if (peek() != ']') {
      while (true) {
        space();
        items.add(value());
        space();
        if (peek() == ',') {
          at++;
          continue;
        }
        break;
      }
    }
    expect(']');
    depth--;
    return new SequenceNode(Tag.SEQ, true, items, start, mark(), DumperOptions.FlowStyle.FLOW);
  }

  private void enter() {
    if (++depth > maxDepth) {
      throw new ScenarioException(source.name(), line, "json",
          "not valid JSON: Nesting Depth exceeded max " + maxDepth + " (--max-nesting-depth raises the limit)");
    }
  }

  private Node number(Mark start) {
    int from = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (digits() == 0) {
      throw error("expected a digit, found " + found());
    }
    boolean fraction = peek() == '.';
    if (fraction) {
      at++;
      if (digits() == 0) {
        throw error("expected a digit after '.', found " + found());
      }
    }
    boolean exponent = peek() == 'e' || peek() == 'E';
    if (exponent) {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (digits() == 0) {
        throw error("expected a digit in the exponent, found " + found());
      }
    }
    Tag tag = fraction || exponent ? Tag.FLOAT : Tag.INT;
    return new ScalarNode(tag, text.substring(from, at), start, mark(), DumperOptions.ScalarStyle.PLAIN);
  }

  private int digits() {
    int from = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at - from;
  }

  private String string() {
    at++;
    var b = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("a string is not closed before the end of the line");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        at--;
        throw error("control character " + String.format("U+%04X", (int) c) + " in a string (write it escaped)");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = at < text.length() ? text.charAt(at++) : '\0';
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (at + 4 > text.length() || !text.substring(at, at + 4).matches("[0-9a-fA-F]{4}")) {
            at -= 2;
            throw error("\\u must be followed by four hex digits");
          }
          b.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        }
        default -> {
          at -= 2;
          throw error("unknown escape \\" + (e == '\0' ? "" : String.valueOf(e)));
        }
      }
    }
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "', found " + found());
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void space() {
    while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t' || text.charAt(at) == '\r')) {
      at++;
    }
  }

  private String found() {
    if (at >= text.length()) {
      return "the end of the line";
    }
    int c = text.codePointAt(at);
    return StreamReader.isPrintable(c) && c > ' ' ? "'" + Character.toString(c) + "'" : String.format("character U+%04X", c);
  }

  private Mark mark() {
    return new Mark(source.name(), at, line - 1, at, NO_TEXT, 0);
  }

  private ScenarioException error(String problem) {
    return new ScenarioException(source.name(), line, "json", "not valid JSON: " + problem + " (column " + (at + 1) + ")");
  }
}
