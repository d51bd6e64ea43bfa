package io.flexsched.sim.plan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A JSON Lines scenario: its first line is the header, an object with the keys of a YAML
 * scenario's top level but {@code events}; every later line is one event object, as an item of
 * {@code events:} would be ({@code {"task": {...}}}, {@code {"release": "t1"}}). Blank lines are
 * skipped. Each line is one part for the limits, and errors name the line of the file.
 */
final class JsonLinesParts implements ScenarioParts {
  private static final List<String> TOP = ScenarioParts.TOP.stream().filter(k -> !k.equals("events")).toList();

  private final ScenarioSource source;
  private final ScenarioLimits limits;
  private final SequenceNode events = new SequenceNode(Tag.SEQ, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);

  JsonLinesParts(ScenarioSource source, ScenarioLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  @Override
  public List<String> topKeys() {
    return TOP;
  }

  @Override
  public @Nullable Node scan() {
    Node[] header = new Node[1];
    read((line, value) -> {
      if (header[0] == null) {
        header[0] = value;
      }
    });
    return header[0];
  }

  /** The events: always the lines after the header. */
  @Override
  public @Nullable Node events(YamlMapping top) {
    return events;
  }

  @Override
  public boolean streamed(Node value) {
    return value == events;
  }

  @Override
  public void items(String section, Consumer<Node> each) {
    boolean[] header = {true};
    read((line, value) -> {
      if (!header[0]) {
        each.accept(value);
      }
      header[0] = false;
    });
  }

  private interface Line {
    void accept(int number, Node value);
  }

  /** Parses every non-blank line in order. */
  private void read(Line each) {
    try (Reader in = new BufferedReader(source.open(), 1 << 16)) {
      var text = new StringBuilder();
      int number = 0;
      boolean more = true;
      while (more) {
        number++;
        text.setLength(0);
        int c = in.read();
        more = c >= 0;
        while (c >= 0 && c != '\n') {
          if (text.length() == limits.maxPartChars()) {
            throw new ScenarioException(source.name(), number, "json", "line " + number + " is longer than "
                + limits.maxPartChars() + " characters, the limit for one part of a scenario (--max-part-chars raises it)");
          }
          text.append((char) c);
          c = in.read();
        }
        if (number == 1 && text.length() > 0 && text.charAt(0) == '\uFEFF') {
          text.deleteCharAt(0);
        }
        if (!text.toString().isBlank()) {
          each.accept(number, JsonNodes.parse(source, text.toString(), number, limits.maxNestingDepth()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
