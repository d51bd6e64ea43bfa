package io.flexsched.sim.plan;

import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A scenario's text as YAML nodes, read in parts so that no pass holds more than one event: the
 * top mapping, in which a long list ({@code nodes:}, {@code events:}) may stand as an empty
 * placeholder, and that list's items, read again from the source whenever they are wanted.
 */
interface ScenarioParts {
  /** The top-level keys of a YAML scenario, in the order of the contract. */
  List<String> TOP = List.of(
      "policy", "seed", "models", "workload", "nodes", "events", "queues", "preemption", "ordering", "reserveAfter",
      "defragment");

  /** The keys the top mapping may have. */
  List<String> topKeys();

  /**
   * Reads the whole text once and checks its syntax and the limits of every part.
   *
   * @return the top node, with placeholders for streamed lists; null when the text is empty
   * @throws ScenarioException when the text is not valid, naming the line
   */
  @Nullable Node scan();

  /** The value standing for the events: that of {@code events:} in YAML, null when the scenario has none. */
  default @Nullable Node events(YamlMapping top) {
    return top.get("events");
  }

  /** Whether {@code value}, a value of the top mapping, stands for a list whose items {@link #items} hands over. */
  boolean streamed(Node value);

  /** Hands over the items of the top-level list {@code section}, in order; only after {@link #scan} accepted the text. */
  void items(String section, Consumer<Node> each);
}
