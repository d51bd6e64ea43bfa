package io.flexsched.sim.plan;

import java.io.StringReader;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML scenario written as JSON Lines: its top level but {@code events} as the header line, then
 * one line per event. Only where the JSON says exactly what the YAML says (same types, same
 * number text): YAML that JSON cannot write the same way (a hex number, {@code yes}) gives nothing.
 */
public final class JsonLinesOf {
  private static final Pattern INT = Pattern.compile("-?(?:0|[1-9][0-9]*)");
  private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?");

  private JsonLinesOf() {}

  /** {@code yaml} as JSON Lines, or empty when JSON cannot say the same. */
  public static Optional<String> convert(String yaml) {
    Node root;
    try {
      root = new Yaml().compose(new StringReader(yaml));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (root == null) {
      return Optional.of("");
    }
    var out = new StringBuilder();
    try {
      if (!(root instanceof MappingNode top)) {
        return Optional.of(json(root) + "\n");
      }
      var header = new StringBuilder("{");
      Node events = null;
      for (NodeTuple t : top.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("events") && events == null) {
          events = t.getValueNode();
          continue;
        }
        header.append(header.length() == 1 ? "" : ", ").append(json(t.getKeyNode())).append(": ").append(json(t.getValueNode()));
      }
      out.append(header).append("}\n");
      if (events instanceof SequenceNode list) {
        for (Node e : list.getValue()) {
          out.append(json(e)).append('\n');
        }
      } else if (events != null) {
        return Optional.empty();
      }
    } catch (IllegalArgumentException unfaithful) {
      return Optional.empty();
    }
    return Optional.of(out.toString());
  }

  private static String json(Node node) {
    if (node instanceof MappingNode m) {
      var b = new StringBuilder("{");
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k) || !Tag.STR.equals(k.getTag())) {
          throw new IllegalArgumentException("a key that is no string");
        }
        b.append(b.length() == 1 ? "" : ", ").append(json(k)).append(": ").append(json(t.getValueNode()));
      }
      return b.append('}').toString();
    }
    if (node instanceof SequenceNode s) {
      var b = new StringBuilder("[");
      for (Node item : s.getValue()) {
        b.append(b.length() == 1 ? "" : ", ").append(json(item));
      }
      return b.append(']').toString();
    }
    ScalarNode s = (ScalarNode) node;
    String v = s.getValue();
    if (Tag.STR.equals(s.getTag())) {
      return string(v);
    }
    if (Tag.INT.equals(s.getTag()) && INT.matcher(v).matches()) {
      return v;
    }
    if (Tag.FLOAT.equals(s.getTag()) && NUMBER.matcher(v).matches() && !INT.matcher(v).matches()) {
      return v;
    }
    if (Tag.BOOL.equals(s.getTag()) && (v.equals("true") || v.equals("false"))) {
      return v;
    }
    if (Tag.NULL.equals(s.getTag())) {
      return "null";
    }
    throw new IllegalArgumentException("no JSON for " + s.getTag() + " " + v);
  }

  private static String string(String v) {
    var b = new StringBuilder();
    JsonLine.string(b, v);
    return b.toString();
  }
}
