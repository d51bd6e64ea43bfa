package io.flexsched.sim.plan;

import io.flexsched.model.InvalidSpecException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One mapping of a scenario file, read through typed getters that reject a missing, mistyped or
 * out-of-range value with a {@link ScenarioException} naming the file, the line and the field
 * ({@code section.key}, e.g. {@code task.gpuMilli}).
 */
final class YamlMapping {
  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9][0-9_]*");
  // SnakeYAML's float shape, written without ambiguity (digits, then an optional fraction) so that
  // a long value that is no number fails in linear time, not quadratic.
  private static final Pattern FLOAT = Pattern.compile("[-+]?(?:[0-9_]+(?:\\.[0-9_]*)?|\\.[0-9_]+)(?:[eE][-+]?[0-9]+)?");

  private final String file;
  private final String section;
  private final String place;
  private final MappingNode node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  /**
   * @param section the field prefix of this mapping's keys ({@code task}); empty at the top level
   * @throws ScenarioException when {@code node} is not a mapping or repeats a key
   */
  YamlMapping(String file, String section, Node node) {
    this(file, section, section.isEmpty() ? "scenario" : section, node);
  }

  /**
   * @param section the field prefix of this mapping's keys; empty when its keys are fields
   * @param place what the mapping is, for messages ({@code event})
   */
  YamlMapping(String file, String section, String place, Node node) {
    this.file = file;
    this.section = section;
    this.place = place;
    if (!(node instanceof MappingNode mapping)) {
      throw new ScenarioException(file, line(node), place, describe(node), "must be a mapping");
    }
    this.node = mapping;
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        throw new ScenarioException(file, line(t.getKeyNode()), field("?"), describe(t.getKeyNode()), "keys must be plain names");
      }
      if (entries.putIfAbsent(key.getValue(), t) != null) {
        throw new ScenarioException(
            file, line(key), field(key.getValue()), "duplicate key '" + key.getValue() + "'" + where());
      }
    }
  }

  /** The 1-based line a YAML node starts on. */
  static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** A YAML node as a rejected value: a scalar's text, quoted when it is a string. */
  static String describe(Node node) {
    if (node instanceof ScalarNode s) {
      if (Tag.NULL.equals(s.getTag())) {
        return "empty";
      }
      return Tag.STR.equals(s.getTag()) ? "'" + s.getValue() + "'" : s.getValue();
    }
    return node instanceof SequenceNode ? "a list" : "a mapping";
  }

  /** The field name of {@code key} in this mapping, as a user writes it. */
  String field(String key) {
    return section.isEmpty() ? key : section + "." + key;
  }

  private String where() {
    return " in " + (place.equals("scenario") ? "the scenario" : place);
  }

  /**
   * Rejects keys outside {@code known}, and those a later issue adds with a "not supported yet"
   * error, in the order they are written.
   */
  void requireKeys(Collection<String> known, Set<String> later) {
    for (NodeTuple t : node.getValue()) {
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      if (later.contains(key)) {
        throw new ScenarioException(file, line(t.getKeyNode()), field(key), field(key) + " is not supported yet");
      }
      if (!known.contains(key)) {
        throw new ScenarioException(file, line(t.getKeyNode()), field(key),
            "unknown key '" + key + "'" + where() + " (known keys: " + String.join(", ", known) + ")");
      }
    }
  }

  /** The keys, in the order written. */
  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value node of {@code key}, or null when absent. */
  @Nullable Node get(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? null : t.getValueNode();
  }

  /** The line this mapping starts on. */
  int line() {
    return line(node);
  }

  /** The line of {@code key}'s value, or of this mapping when the key is absent. */
  int lineOf(String key) {
    Node v = get(key);
    return v == null ? line() : line(v);
  }

  /**
   * The line a model validation error belongs to: that of the last word of its field that is a
   * key here ({@code node n1 labels key} → {@code labels}), else this mapping's.
   */
  int lineOf(InvalidSpecException e) {
    String[] words = e.field().replaceAll("\\[[^]]*]", "").split("[ .]");
    for (int i = words.length - 1; i >= 0; i--) {
      if (has(words[i])) {
        return lineOf(words[i]);
      }
    }
    return line();
  }

  /** A model validation error, re-thrown with the line of the offending key. */
  ScenarioException wrap(InvalidSpecException e) {
    return ScenarioException.wrap(file, lineOf(e), section, e);
  }

  /** A model validation error about {@code key}'s value as a whole, re-thrown with that key's line. */
  ScenarioException wrapAt(String key, InvalidSpecException e) {
    return ScenarioException.wrap(file, lineOf(key), section, e);
  }

  /** An error about {@code key}'s value. */
  ScenarioException error(String key, Object value, String requirement) {
    return new ScenarioException(file, lineOf(key), field(key), value, requirement);
  }

  private Node require(String key) {
    Node v = get(key);
    if (v == null) {
      throw new ScenarioException(file, line(), field(key), field(key) + " is required" + where());
    }
    return v;
  }

  /** A required name or other text. */
  String text(String key) {
    return text(key, require(key));
  }

  /** An optional name or other text. */
  @Nullable String optionalText(String key) {
    Node v = get(key);
    return v == null ? null : text(key, v);
  }

  private String text(String key, Node v) {
    if (!(v instanceof ScalarNode s) || Tag.NULL.equals(s.getTag())) {
      throw new ScenarioException(file, line(v), field(key), describe(v), "must be a name");
    }
    return s.getValue();
  }

  /** A required whole number in {@code min..max}. */
  long whole(String key, long min, long max) {
    return whole(key, require(key), min, max);
  }

  /** An optional whole number in {@code min..max}, {@code otherwise} when absent. */
  long whole(String key, long otherwise, long min, long max) {
    Node v = get(key);
    return v == null ? otherwise : whole(key, v, min, max);
  }

  /** An optional whole number in {@code min..max} that fits an int. */
  int wholeInt(String key, int otherwise, int min, int max) {
    return (int) whole(key, otherwise, min, max);
  }

  private long whole(String key, Node v, long min, long max) {
    if (!(v instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
      throw new ScenarioException(file, line(v), field(key), describe(v), "must be a whole number");
    }
    String digits = s.getValue();
    if (!DECIMAL.matcher(digits).matches()) {
      throw new ScenarioException(file, line(v), field(key), digits, "must be a decimal whole number");
    }
    BigInteger value = new BigInteger(digits.replace("_", ""));
    boolean below = value.compareTo(BigInteger.valueOf(min)) < 0;
    if (below || value.compareTo(BigInteger.valueOf(max)) > 0) {
      boolean unbounded = max == Long.MAX_VALUE || max == Integer.MAX_VALUE;
      String rule = !unbounded ? "must be in " + min + ".." + max : below ? "must be at least " + min : "must be at most " + max;
      throw new ScenarioException(file, line(v), field(key), digits, rule);
    }
    return value.longValue();
  }

  /** {@code v}, the value of {@code key}, as a scalar written as a number; else a typed error. */
  private ScalarNode number(String key, Node v) {
    if (!(v instanceof ScalarNode s) || !(Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))
        || !FLOAT.matcher(s.getValue()).matches()) {
      throw new ScenarioException(file, line(v), field(key), describe(v), "must be a number");
    }
    return s;
  }

  /** The number {@code s} (the value of {@code key}) holds, read by {@code parse}; a typed error when it holds none. */
  private <T> T parsed(String key, ScalarNode s, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(s.getValue().replace("_", ""));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ScenarioException(file, line(s), field(key), s.getValue(), "must be a number");
    }
  }

  /** An optional positive, finite number, {@code otherwise} when absent. */
  double positive(String key, double otherwise) {
    Node v = get(key);
    if (v == null) {
      return otherwise;
    }
    ScalarNode s = number(key, v);
    double value = parsed(key, s, Double::parseDouble);
    if (!(value > 0 && Double.isFinite(value))) {
      throw new ScenarioException(file, line(v), field(key), s.getValue(), "must be a positive number");
    }
    return value;
  }

  /** An optional list of names (one name alone is a list of one); empty when absent. */
  List<String> names(String key) {
    Node v = get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof ScalarNode) {
      return List.of(text(key, v));
    }
    var out = new ArrayList<String>();
    for (Node item : list(key)) {
      out.add(text(key, item));
    }
    return out;
  }

  /** An optional mapping of names to text; empty when absent. */
  Map<String, String> textMap(String key) {
    Node v = get(key);
    if (v == null) {
      return Map.of();
    }
    YamlMapping m = mapping(key);
    var out = new LinkedHashMap<String, String>();
    for (String k : m.keys()) {
      out.put(k, m.text(k));
    }
    return out;
  }

  /** A nested mapping; its fields are {@code section.key.*}. */
  YamlMapping mapping(String key) {
    return mapping(key, field(key));
  }

  /** A nested mapping whose fields are {@code itemSection.*}. */
  YamlMapping mapping(String key, String itemSection) {
    return new YamlMapping(file, itemSection, require(key));
  }

  /** A required list. */
  List<Node> list(String key) {
    Node v = require(key);
    if (!(v instanceof SequenceNode s)) {
      throw new ScenarioException(file, line(v), field(key), describe(v), "must be a list");
    }
    return s.getValue();
  }

  /** The value of {@code key} as a mapping, or each mapping of its list (e.g. {@code devices}). */
  List<YamlMapping> mappings(String key, String itemSection) {
    Node v = require(key);
    var out = new ArrayList<YamlMapping>();
    if (v instanceof SequenceNode s) {
      for (Node item : s.getValue()) {
        out.add(new YamlMapping(file, itemSection, item));
      }
    } else {
      out.add(new YamlMapping(file, itemSection, v));
    }
    return out;
  }

  /** Items of a list, each read as a mapping of {@code itemSection}. */
  List<YamlMapping> listOfMappings(String key, String itemSection) {
    var out = new ArrayList<YamlMapping>();
    for (Node item : list(key)) {
      out.add(new YamlMapping(file, itemSection, item));
    }
    return out;
  }

  /** A list of whole numbers in {@code min..max}, each checked with its own line. */
  List<Integer> wholes(String key, int min, int max) {
    var out = new ArrayList<Integer>();
    for (Node item : list(key)) {
      out.add((int) whole(key, item, min, max));
    }
    return out;
  }

  /** A square list of lists of whole numbers in {@code min..max} (a link matrix). */
  int[][] matrix(String key, int min, int max) {
    List<Node> rows = list(key);
    int[][] out = new int[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      Node row = rows.get(i);
      if (!(row instanceof SequenceNode s)) {
        throw new ScenarioException(file, line(row), field(key), describe(row), "must be a list of rows, each a list of numbers");
      }
      out[i] = new int[s.getValue().size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = (int) whole(key, s.getValue().get(j), min, max);
      }
    }
    return out;
  }

  /** A required {@code true} or {@code false}. */
  boolean bool(String key) {
    return bool(key, require(key));
  }

  /** An optional {@code true} or {@code false}, {@code otherwise} when absent. */
  boolean bool(String key, boolean otherwise) {
    Node v = get(key);
    return v == null ? otherwise : bool(key, v);
  }

  private boolean bool(String key, Node v) {
    if (v instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())
        && (s.getValue().equalsIgnoreCase("true") || s.getValue().equalsIgnoreCase("false"))) {
      return s.getValue().equalsIgnoreCase("true");
    }
    throw new ScenarioException(file, line(v), field(key), describe(v), "must be true or false");
  }

  /**
   * An optional number of at least 0 with at most three decimals, as thousandths (GPUs as milli);
   * {@code otherwise} when absent.
   */
  long thousandths(String key, long otherwise) {
    Node v = get(key);
    if (v == null) {
      return otherwise;
    }
    ScalarNode s = number(key, v);
    BigDecimal value = parsed(key, s, digits -> new BigDecimal(digits).movePointRight(3));
    if (value.signum() < 0) {
      throw new ScenarioException(file, line(v), field(key), s.getValue(), "must be at least 0");
    }
    if (value.stripTrailingZeros().scale() > 0) {
      throw new ScenarioException(file, line(v), field(key), s.getValue(), "must have at most 3 decimals");
    }
    if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
      throw new ScenarioException(file, line(v), field(key), s.getValue(), "is too large");
    }
    return value.longValueExact();
  }
}
