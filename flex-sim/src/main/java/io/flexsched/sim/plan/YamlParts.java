package io.flexsched.sim.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML scenario read part by part. It composes node trees as SnakeYAML's {@code Composer}
 * does, event for event and peek for peek (so a broken file gets the error it always got), except
 * that the items of {@code nodes:} and {@code events:} are handed over one at a time and then
 * dropped: the top mapping keeps an empty list in their place.
 *
 * <p>The limits hold per part (see {@link ScenarioLimits}). Anchors defined in an event are
 * visible only inside that event, so that events leave nothing behind.
 */
final class YamlParts implements ScenarioParts {
  private static final Set<String> STREAMED = Set.of("nodes", "events");

  private final ScenarioSource source;
  private final ScenarioLimits limits;
  /** The empty lists that stand for streamed sections in the top mapping. */
  private final Set<Node> stubs = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  YamlParts(ScenarioSource source, ScenarioLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  @Override
  public List<String> topKeys() {
    return ScenarioParts.TOP;
  }

  @Override
  public @Nullable Node scan() {
    stubs.clear();
    return new Pass(null, null).document();
  }

  @Override
  public boolean streamed(Node value) {
    return stubs.contains(value);
  }

  @Override
  public void items(String section, Consumer<Node> each) {
    new Pass(section, each).document();
  }

  /** One reading of the text from its start. */
  private final class Pass {
    private final @Nullable String wanted;
    private final @Nullable Consumer<Node> each;
    private final StreamReader reader;
    private final Parser parser;
    private final LoaderOptions options = new LoaderOptions();
    private final Resolver resolver = new Resolver();
    private final Map<String, Node> anchors = new HashMap<>();
    private @Nullable Map<String, Node> eventAnchors;
    private int depth;
    private int aliases;
    private String part = "the scenario";
    private int partLine = 1;
    private boolean done;

    Pass(@Nullable String wanted, @Nullable Consumer<Node> each) {
      this.wanted = wanted;
      this.each = each;
      options.setCodePointLimit(limits.maxPartChars());
      reader = new StreamReader(source.open());
      parser = new ParserImpl(reader, options);
    }

    @Nullable Node document() {
      try {
        parser.getEvent();
        Node document = null;
        if (!parser.checkEvent(Event.ID.StreamEnd)) {
          parser.peekEvent();
          parser.getEvent();
          document = parser.checkEvent(Event.ID.MappingStart) ? top() : part("the scenario", null);
          if (done) {
            return document;
          }
          parser.peekEvent();
          parser.getEvent();
        }
        if (!parser.checkEvent(Event.ID.StreamEnd)) {
          Event event = parser.getEvent();
          throw YamlSyntax.error(source, "expected a single document in the stream",
              document != null ? document.getStartMark() : null, "but found another document", event.getStartMark());
        }
        return document;
      } catch (MarkedYAMLException e) {
        throw YamlSyntax.error(source, e.getContext(), e.getContextMark(),
            e.getProblem() == null ? String.valueOf(e.getMessage()) : e.getProblem(), e.getProblemMark());
      } catch (ReaderException e) {
        throw YamlSyntax.unprintable(source, e);
      } catch (YAMLException e) {
        if (String.valueOf(e.getMessage()).startsWith("The incoming YAML document exceeds the limit")) {
          throw new ScenarioException(source.name(), partLine, "yaml", part + " starting on line " + partLine
              + " is longer than " + limits.maxPartChars() + " characters, the limit for one part of a scenario"
              + " (--max-part-chars raises it)");
        }
        throw new ScenarioException(source.name(), partLine, "yaml", "not valid YAML: " + e.getMessage());
      }
    }

    /** Starts a part: its limits count from here. */
    private @Nullable Node part(String name, @Nullable Node parent) {
      part = name;
      partLine = parser.peekEvent().getStartMark().getLine() + 1;
      aliases = 0;
      reader.resetDocumentIndex();
      return compose(parent);
    }

    /** The top mapping, its entries composed one by one and its streamed sections' items handed over. */
    private @Nullable Node top() {
      var start = (CollectionStartEvent) parser.peekEvent();
      checkDepth(null);
      depth++;
      parser.getEvent();
      List<NodeTuple> entries = new ArrayList<>();
      MappingNode top = new MappingNode(tag(start, NodeId.mapping), start.getTag() == null || start.getTag().equals("!"),
          entries, start.getStartMark(), null, start.getFlowStyle());
      anchor(start.getAnchor(), top);
      while (!parser.checkEvent(Event.ID.MappingEnd)) {
        parser.peekEvent();
        if (parser.checkEvent(Event.ID.MappingEnd)) {
          break;
        }
        Node key = part("the scenario", top);
        Node value;
        String name = key instanceof ScalarNode s ? s.getValue() : "";
        if (STREAMED.contains(name) && parser.checkEvent(Event.ID.SequenceStart)
            && ((NodeEvent) parser.peekEvent()).getAnchor() == null) {
          value = section(name, top);
          if (done) {
            return top;
          }
        } else {
          value = compose(top);
        }
        entries.add(new NodeTuple(key, value));
      }
      if (start.isFlow()) {
        parser.peekEvent();
      }
      top.setEndMark(parser.getEvent().getEndMark());
      parser.peekEvent();
      depth--;
      return top;
    }

    /** A streamed list: each item is a part of its own, handed over when wanted, then dropped. */
    private Node section(String name, Node parent) {
      var start = (CollectionStartEvent) parser.peekEvent();
      checkDepth(parent);
      depth++;
      parser.getEvent();
      SequenceNode stub = new SequenceNode(tag(start, NodeId.sequence), start.getTag() == null || start.getTag().equals("!"),
          new ArrayList<>(), start.getStartMark(), null, start.getFlowStyle());
      stubs.add(stub);
      boolean events = name.equals("events");
      while (!parser.checkEvent(Event.ID.SequenceEnd)) {
        parser.peekEvent();
        if (parser.checkEvent(Event.ID.SequenceEnd)) {
          break;
        }
        eventAnchors = events ? new HashMap<>() : null;
        Node item = part(events ? "the event" : "the node", stub);
        eventAnchors = null;
        if (name.equals(wanted)) {
          each.accept(item);
        }
      }
      if (start.isFlow()) {
        parser.peekEvent();
      }
      stub.setEndMark(parser.getEvent().getEndMark());
      done = name.equals(wanted);
      if (!done) {
        parser.peekEvent();
      }
      depth--;
      return stub;
    }

    /** A node and everything under it, as {@code Composer.composeNode} makes it. */
    private Node compose(@Nullable Node parent) {
      parser.peekEvent();
      if (parser.checkEvent(Event.ID.Alias)) {
        AliasEvent event = (AliasEvent) parser.getEvent();
        Node node = lookUp(event.getAnchor());
        if (node == null) {
          throw YamlSyntax.error(source, null, null, "found undefined alias " + event.getAnchor(), event.getStartMark());
        }
        if (!(node instanceof ScalarNode) && ++aliases > limits.maxAliases()) {
          throw new ScenarioException(source.name(), event.getStartMark().getLine() + 1, "yaml", "not valid YAML: "
              + part + " starting on line " + partLine + " has more than " + limits.maxAliases()
              + " aliases of lists or mappings (--max-aliases raises the limit)");
        }
        parser.peekEvent();
        return node;
      }
      NodeEvent start = (NodeEvent) parser.peekEvent();
      checkDepth(parent);
      depth++;
      Node node;
      if (parser.checkEvent(Event.ID.Scalar)) {
        ScalarEvent e = (ScalarEvent) parser.getEvent();
        Tag tag = e.getTag() == null || e.getTag().equals("!")
            ? resolver.resolve(NodeId.scalar, e.getValue(), e.getImplicit().canOmitTagInPlainScalar())
            : global(e.getTag(), e.getStartMark());
        node = new ScalarNode(tag, e.getTag() == null || e.getTag().equals("!"), e.getValue(), e.getStartMark(),
            e.getEndMark(), e.getScalarStyle());
        anchor(e.getAnchor(), node);
        parser.peekEvent();
      } else if (parser.checkEvent(Event.ID.SequenceStart)) {
        var e = (CollectionStartEvent) parser.getEvent();
        var children = new ArrayList<Node>();
        var sequence = new SequenceNode(tag(e, NodeId.sequence), e.getTag() == null || e.getTag().equals("!"),
            children, e.getStartMark(), null, e.getFlowStyle());
        anchor(e.getAnchor(), sequence);
        while (!parser.checkEvent(Event.ID.SequenceEnd)) {
          parser.peekEvent();
          if (parser.checkEvent(Event.ID.SequenceEnd)) {
            break;
          }
          children.add(compose(sequence));
        }
        node = close(e, sequence);
      } else {
        var e = (CollectionStartEvent) parser.getEvent();
        var children = new ArrayList<NodeTuple>();
        var mapping = new MappingNode(tag(e, NodeId.mapping), e.getTag() == null || e.getTag().equals("!"),
            children, e.getStartMark(), null, e.getFlowStyle());
        anchor(e.getAnchor(), mapping);
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
          parser.peekEvent();
          if (parser.checkEvent(Event.ID.MappingEnd)) {
            break;
          }
          Node key = compose(mapping);
          children.add(new NodeTuple(key, compose(mapping)));
        }
        node = close(e, mapping);
      }
      depth--;
      return node;
    }

    private Node close(CollectionStartEvent start, CollectionNode<?> node) {
      if (start.isFlow()) {
        parser.peekEvent();
      }
      node.setEndMark(parser.getEvent().getEndMark());
      parser.peekEvent();
      return node;
    }

    /** Composer's rule: no node below {@code limit} enclosing nodes; named at the enclosing collection's line. */
    private void checkDepth(@Nullable Node parent) {
      if (depth > limits.maxNestingDepth()) {
        int line = parent == null ? partLine : parent.getStartMark().getLine() + 1;
        throw new ScenarioException(source.name(), line, "yaml",
            "not valid YAML: Nesting Depth exceeded max " + limits.maxNestingDepth());
      }
    }

    private Tag tag(CollectionStartEvent e, NodeId kind) {
      return e.getTag() == null || e.getTag().equals("!")
          ? resolver.resolve(kind, null, e.getImplicit())
          : global(e.getTag(), e.getStartMark());
    }

    /** An explicit tag; as SnakeYAML's loader, no custom global tags. */
    private Tag global(String tag, Mark mark) {
      Tag t = new Tag(tag);
      if (t.isCustomGlobal() && !options.getTagInspector().isGlobalTagAllowed(t)) {
        throw YamlSyntax.error(source, null, null, "Global tag is not allowed: " + tag, mark);
      }
      return t;
    }

    private void anchor(@Nullable String name, Node node) {
      if (name != null) {
        node.setAnchor(name);
        (eventAnchors != null ? eventAnchors : anchors).put(name, node);
      }
    }

    private @Nullable Node lookUp(String name) {
      Node local = eventAnchors == null ? null : eventAnchors.get(name);
      return local != null ? local : anchors.get(name);
    }
  }
}
