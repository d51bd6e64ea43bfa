package io.flexsched.core.policy;

import io.flexsched.model.Task;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionPolicy.FitProbe;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.PreemptionRequest.Candidate;
import io.flexsched.spi.Victim;
import io.flexsched.spi.VictimCost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The default victim search: per candidate node, the cheapest single victim that makes room if
 * there is one, else a minimal set found by reprieving victims one at a time from "evict every
 * candidate" (two orders: protect higher priorities first, and protect small tasks first); the
 * node with the cheapest set by {@link VictimCost} wins, ties to the earlier node. When no single
 * node can make room (a queue limit that needs victims elsewhere) it reprieves over every
 * candidate at once, first whole nodes, then single victims. For several preemptors (a gang,
 * whose victims may span nodes) it takes the cheapest single victim that makes room for all of
 * them if there is one, else the cheaper of the two reprieve orders over every candidate.
 *
 * <p>The sets it returns are minimal (no victim can be spared), and a single victim is found
 * whenever one suffices; {@link ExactPreemption} finds the cheapest set where this one may not.
 * Probes: about three per candidate victim.
 */
public final class GreedyPreemption implements PreemptionPolicy {
  static final String NAME = "greedy";

  /** Cheapest alone first; ties keep placement order (the sort is stable). */
  static final Comparator<Victim> BY_COST = (a, b) -> VictimCost.of(a).compareTo(VictimCost.of(b));

  private static final Comparator<Victim> PROTECT_PRIORITY = Comparator
      .comparingInt((Victim v) -> v.priority()).reversed()
      .thenComparing(Comparator.comparingLong(Victim::gpuMilli).reversed())
      .thenComparing(Comparator.comparingLong((Victim v) -> v.cpuMilli()).reversed())
      .thenComparing(Comparator.comparingLong((Victim v) -> v.memoryMiB()).reversed());

  private static final Comparator<Victim> PROTECT_SMALL = Comparator
      .comparingLong(Victim::gpuMilli)
      .thenComparingLong(v -> v.cpuMilli())
      .thenComparingLong(v -> v.memoryMiB())
      .thenComparing(Comparator.comparingInt((Victim v) -> v.priority()).reversed());

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<List<Victim>> selectVictims(PreemptionRequest request, FitProbe probe) {
    if (request.single()) {
      Optional<List<Victim>> local = onOneNode(request, probe);
      if (local.isPresent()) {
        return local;
      }
      return acrossNodes(request.candidates(), probe);
    }
    return forSeveral(request.candidates(), probe);
  }

  /**
   * Several preemptors (a gang): the cheapest single victim when one makes room for all of them,
   * else the cheaper of two reprieves over every candidate (protect higher priorities first, and
   * protect small tasks first, which tends to leave fewer victims).
   */
  private static Optional<List<Victim>> forSeveral(List<Candidate> candidates, FitProbe probe) {
    var all = new ArrayList<Victim>();
    for (Candidate c : candidates) {
      all.addAll(c.victims());
    }
    if (!probe.fits(all)) {
      return Optional.empty();
    }
    for (Victim v : sorted(all, BY_COST)) {
      List<Victim> one = List.of(v);
      if (probe.fits(one)) {
        return Optional.of(one);
      }
    }
    List<Victim> set = withoutWholeNodes(candidates, all, probe);
    List<Victim> a = reprieve(set, sorted(set, PROTECT_PRIORITY), null, probe);
    List<Victim> b = reprieve(set, sorted(set, PROTECT_SMALL), null, probe);
    return Optional.of(VictimCost.of(b).isBelow(VictimCost.of(a)) ? b : a);
  }

  private static Optional<List<Victim>> onOneNode(PreemptionRequest request, FitProbe probe) {
    Task task = request.preemptors().get(0);
    List<Victim> best = null;
    VictimCost bestCost = null;
    for (Candidate c : request.candidates()) {
      List<Victim> found = onNode(task, c, probe, bestCost);
      if (found != null) {
        VictimCost cost = VictimCost.of(found);
        if (bestCost == null || cost.isBelow(bestCost)) {
          best = found;
          bestCost = cost;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * A minimal set of {@code c}'s victims that makes room for {@code task} there, or null when
   * none does or none can cost less than {@code bound}.
   */
  static @Nullable List<Victim> onNode(Task task, Candidate c, FitProbe probe, @Nullable VictimCost bound) {
    List<Victim> all = sorted(c.victims(), BY_COST);
    Deficit deficit = Deficit.of(task, c.view());
    int fewest = deficit.minVictims(all);
    if (fewest == Integer.MAX_VALUE || (bound != null && fewest > bound.victims()) || !probe.fits(all)) {
      return null;
    }
    if (fewest <= 1) {
      // Cheapest first, so the first single that fits is the best single.
      for (Victim v : all) {
        if (bound != null && !VictimCost.of(v).isBelow(bound)) {
          break;
        }
        List<Victim> one = List.of(v);
        if (deficit.coveredBy(one) && probe.fits(one)) {
          return one;
        }
      }
    }
    if (bound != null && bound.victims() <= 1) {
      return null;
    }
    List<Victim> a = reprieve(all, sorted(all, PROTECT_PRIORITY), deficit, probe);
    List<Victim> b = reprieve(all, sorted(all, PROTECT_SMALL), deficit, probe);
    return VictimCost.of(b).isBelow(VictimCost.of(a)) ? b : a;
  }

  /** Starting from {@code all} (which fits), spares each victim in {@code order} that can be spared. */
  private static List<Victim> reprieve(List<Victim> all, List<Victim> order, @Nullable Deficit deficit, FitProbe probe) {
    var set = new ArrayList<>(all);
    for (Victim v : order) {
      var trial = new ArrayList<>(set);
      trial.remove(v);
      if ((deficit == null || deficit.coveredBy(trial)) && probe.fits(trial)) {
        set = trial;
      }
    }
    return List.copyOf(set);
  }

  /** Reprieve over every candidate: whole nodes (most expensive first), then single victims. */
  static Optional<List<Victim>> acrossNodes(List<Candidate> candidates, FitProbe probe) {
    var all = new ArrayList<Victim>();
    for (Candidate c : candidates) {
      all.addAll(c.victims());
    }
    if (!probe.fits(all)) {
      return Optional.empty();
    }
    List<Victim> set = withoutWholeNodes(candidates, all, probe);
    return Optional.of(reprieve(set, sorted(set, PROTECT_PRIORITY), null, probe));
  }

  /**
   * Starting from {@code all} (which fits), spares each candidate node's victims together where
   * that still fits, the most expensive node first.
   */
  private static List<Victim> withoutWholeNodes(List<Candidate> candidates, List<Victim> all, FitProbe probe) {
    var nodes = new ArrayList<>(candidates);
    nodes.sort(Comparator.comparing((Candidate c) -> VictimCost.of(c.victims())).reversed());
    List<Victim> set = all;
    for (Candidate c : nodes) {
      var trial = new ArrayList<>(set);
      if (trial.removeAll(c.victims()) && probe.fits(trial)) {
        set = trial;
      }
    }
    return set;
  }

  static List<Victim> sorted(List<Victim> victims, Comparator<Victim> order) {
    var out = new ArrayList<>(victims);
    out.sort(order);
    return out;
  }

  /** Registers {@code greedy}. */
  public static final class Provider implements PreemptionPolicy.Provider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "per node the cheapest single victim, else a minimal set by reprieve; the cheapest node wins (default)";
    }

    @Override
    public PreemptionPolicy create(PolicyContext context) {
      return new GreedyPreemption();
    }
  }
}
