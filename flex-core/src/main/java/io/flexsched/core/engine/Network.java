package io.flexsched.core.engine;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The cluster's network as gangs see it: the bandwidth between the domains of one topology level
 * (a node's domain is the value of its label of that name, e.g. {@code rack=r7}). Two nodes in one
 * domain are as close as the network gets; a node without the label, or in a domain the matrix
 * does not list, has unknown and so no usable bandwidth to any other node.
 *
 * @param level the label that names a node's domain
 * @param index each listed domain's row in {@code bandwidth}
 * @param bandwidth symmetric bandwidth between listed domains (the diagonal is not used)
 */
public record Network(String level, Map<String, Integer> index, LinkMatrix bandwidth) {
  /** The bandwidth between two nodes in one domain: closer than any link between domains. */
  public static final int SAME_DOMAIN = Integer.MAX_VALUE;

  public Network {
    index = Map.copyOf(index);
  }

  /**
   * A network over {@code domains} of {@code level}, the i-th domain being row i of
   * {@code bandwidth}.
   *
   * @throws InvalidSpecException naming the field when a name repeats or the sizes differ
   */
  public static Network of(String level, List<String> domains, LinkMatrix bandwidth) {
    if (level == null || level.isBlank()) {
      throw new InvalidSpecException("network.level", level == null ? "null" : "'" + level + "'", "must name a node label");
    }
    if (domains.size() != bandwidth.size()) {
      throw new InvalidSpecException("network.bandwidth", bandwidth.size() + "x" + bandwidth.size(),
          "must be sized to the " + domains.size() + " domains");
    }
    var index = new HashMap<String, Integer>();
    for (String d : domains) {
      if (d == null || d.isBlank()) {
        throw new InvalidSpecException("network.domains", d == null ? "null" : "'" + d + "'", "must be label values");
      }
      if (index.put(d, index.size()) != null) {
        throw new InvalidSpecException("network.domains", "'" + d + "'", "must not repeat");
      }
    }
    return new Network(level, index, bandwidth);
  }

  /** The domain of {@code node}, or null when the network does not know it. */
  @Nullable String domainOf(Node node) {
    String value = node.labels().get(level);
    return value != null && index.containsKey(value) ? value : null;
  }

  /** The bandwidth between two listed domains; {@link #SAME_DOMAIN} within one. */
  int between(String a, String b) {
    return a.equals(b) ? SAME_DOMAIN : bandwidth.score(index.get(a), index.get(b));
  }
}
