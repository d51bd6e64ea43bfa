package io.flexsched.spi;

import java.util.List;

/**
 * A node on which a preemptor's victims may be found: its current state and the placed tasks on
 * it that the preemptor may evict.
 *
 * @param node the node's name
 * @param view its state before any eviction (do not read it from inside a {@link FitProbe} call)
 * @param victims the tasks on it that may be evicted, in placement order
 */
public record CandidateNode(String node, NodeView view, List<Victim> victims) {
  public CandidateNode {
    victims = List.copyOf(victims);
  }
}
