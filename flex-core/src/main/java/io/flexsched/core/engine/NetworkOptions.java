package io.flexsched.core.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where a gang may go under a {@link Network}, best first: sets of domains whose every pair is
 * linked at least as well as a threshold, for each threshold from one domain alone (the best
 * there is) down to the gang's minimum. A gang placed within one set has a weakest link of at
 * least that threshold, so the first set that holds the gang maximises its weakest link.
 *
 * <p>Exactness: for each threshold every maximal set of domains that are pairwise linked at least
 * that well (a maximal clique of the threshold graph, found by Bron-Kerbosch with pivoting) is an
 * option, up to {@value #MAX_PER_THRESHOLD} per threshold; a subset of a maximal set never holds
 * a gang its superset cannot, because the members are then placed on a superset of nodes. So the
 * weakest link found is the best possible, up to how the members are packed inside a set (largest
 * first, each by the scoring policy, as every gang), and up to the cap on sets per threshold,
 * beyond which the sets found first are tried. Within a threshold the tightest set (least free
 * accelerator compute, then names) is tried first, so roomy sets stay free for larger jobs.
 */
final class NetworkOptions {
  /** Maximal sets of domains tried per threshold. */
  static final int MAX_PER_THRESHOLD = 1_000;

  /**
   * One place to try.
   *
   * @param threshold every two of its domains are linked at least this well
   * @param domains its domains, in name order
   * @param nodes the live nodes in them that the request may use
   */
  record Option(int threshold, List<String> domains, BitSet nodes) {
    String label() {
      return String.join("+", domains);
    }
  }

  private NetworkOptions() {}

  /**
   * The options for a request needing {@code needMilli} of accelerator compute, best first; sets
   * with less free compute than that are left out.
   *
   * @param allowed the nodes the request may use, or null for every live node
   */
  static List<Option> of(Network network, ClusterState state, @Nullable BitSet allowed, int minBandwidth, long needMilli) {
    var nodesOf = new TreeMap<String, BitSet>();
    var free = new HashMap<String, Long>();
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (!state.isLive(n) || (allowed != null && !allowed.get(n))) {
        continue;
      }
      String d = network.domainOf(state.spec(n));
      if (d != null) {
        nodesOf.computeIfAbsent(d, k -> new BitSet()).set(n);
        free.merge(d, state.totalFreeMilli[n], Long::sum);
      }
    }
    List<String> domains = new ArrayList<>(nodesOf.keySet());
    var thresholds = new TreeSet<Integer>(java.util.Comparator.reverseOrder());
    thresholds.add(Network.SAME_DOMAIN);
    for (int i = 0; i < domains.size(); i++) {
      for (int j = i + 1; j < domains.size(); j++) {
        int bw = network.between(domains.get(i), domains.get(j));
        if (bw >= Math.max(1, minBandwidth)) {
          thresholds.add(bw);
        }
      }
    }
    var out = new ArrayList<Option>();
    Set<List<String>> seen = new HashSet<>();
    for (int threshold : thresholds) {
      var level = new ArrayList<Option>();
      for (List<String> clique : maximalCliques(network, domains, threshold)) {
        long room = 0;
        BitSet nodes = new BitSet();
        for (String d : clique) {
          room += free.get(d);
          nodes.or(nodesOf.get(d));
        }
        if (room >= needMilli && seen.add(clique)) {
          level.add(new Option(threshold, clique, nodes));
        }
      }
      level.sort((a, b) -> {
        int c = Long.compare(freeOf(a, free), freeOf(b, free));
        return c != 0 ? c : a.label().compareTo(b.label());
      });
      out.addAll(level);
    }
    return out;
  }

  private static long freeOf(Option o, Map<String, Long> free) {
    long sum = 0;
    for (String d : o.domains()) {
      sum += free.get(d);
    }
    return sum;
  }

  /** The maximal sets of {@code domains} whose every pair is linked at least {@code threshold}. */
  static List<List<String>> maximalCliques(Network network, List<String> domains, int threshold) {
    int n = domains.size();
    var adjacent = new BitSet[n];
    for (int i = 0; i < n; i++) {
      adjacent[i] = new BitSet(n);
      for (int j = 0; j < n; j++) {
        if (i != j && network.between(domains.get(i), domains.get(j)) >= threshold) {
          adjacent[i].set(j);
        }
      }
    }
    var out = new ArrayList<List<String>>();
    var all = new BitSet(n);
    all.set(0, n);
    expand(new BitSet(n), all, new BitSet(n), adjacent, domains, out);
    return out;
  }

  /** Bron-Kerbosch with a pivot: cliques extending {@code r} by {@code p}, none by {@code x}. */
  private static void expand(BitSet r, BitSet p, BitSet x, BitSet[] adjacent, List<String> domains, List<List<String>> out) {
    if (out.size() >= MAX_PER_THRESHOLD) {
      return;
    }
    if (p.isEmpty() && x.isEmpty()) {
      var clique = new ArrayList<String>();
      r.stream().forEach(i -> clique.add(domains.get(i)));
      out.add(clique);
      return;
    }
    BitSet px = (BitSet) p.clone();
    px.or(x);
    int pivot = -1;
    int most = -1;
    for (int u = px.nextSetBit(0); u >= 0; u = px.nextSetBit(u + 1)) {
      BitSet common = (BitSet) p.clone();
      common.and(adjacent[u]);
      if (common.cardinality() > most) {
        most = common.cardinality();
        pivot = u;
      }
    }
    BitSet candidates = (BitSet) p.clone();
    candidates.andNot(adjacent[pivot]);
    for (int v = candidates.nextSetBit(0); v >= 0; v = candidates.nextSetBit(v + 1)) {
      BitSet r2 = (BitSet) r.clone();
      r2.set(v);
      BitSet p2 = (BitSet) p.clone();
      p2.and(adjacent[v]);
      BitSet x2 = (BitSet) x.clone();
      x2.and(adjacent[v]);
      expand(r2, p2, x2, adjacent, domains, out);
      p.clear(v);
      x.set(v);
    }
  }
}
