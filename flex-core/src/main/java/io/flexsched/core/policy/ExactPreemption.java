package io.flexsched.core.policy;

import io.flexsched.model.Task;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionPolicy.FitProbe;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.PreemptionRequest.Candidate;
import io.flexsched.spi.Victim;
import io.flexsched.spi.VictimCost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Branch and bound for the cheapest victim set by {@link VictimCost}: starting from
 * {@link GreedyPreemption}'s answer as the incumbent, it tries sets of one victim, then two, and
 * so on, on every candidate node with at most {@code maxVictims} victims (over all candidates at
 * once when no single node can make room), pruning sets that cannot free enough or cannot cost
 * less than the incumbent. When it finishes it has the optimum; when a bound stops it, it returns
 * the best set found, never worse than greedy's.
 *
 * <p>Bounds: probes and search steps (deterministic: the same inputs give the same answer), and a
 * wall-clock limit as a safety net (should it ever fire first, the answer depends on the
 * machine's speed). Nodes with more victims than {@code maxVictims} keep greedy's answer.
 */
public final class ExactPreemption implements PreemptionPolicy {
  static final String NAME = "exact";
  /** Default largest candidate set searched exactly. */
  public static final int MAX_VICTIMS = 16;
  /** Default most probes per search. */
  public static final int MAX_PROBES = 512;
  /** Default most branch-and-bound steps per search. */
  public static final long MAX_STEPS = 200_000;
  /** Default wall-clock limit per search. */
  public static final Duration TIME_LIMIT = Duration.ofMillis(50);

  private final int maxVictims;
  private final int maxProbes;
  private final long maxSteps;
  private final long timeLimitNanos;
  private long searches;
  private long stopped;
  private long timedOut;

  /** An exact search with the default bounds. */
  public ExactPreemption() {
    this(MAX_VICTIMS, MAX_PROBES, MAX_STEPS, TIME_LIMIT);
  }

  /** An exact search with these bounds. */
  public ExactPreemption(int maxVictims, int maxProbes, long maxSteps, Duration timeLimit) {
    if (maxVictims < 1 || maxProbes < 1 || maxSteps < 1 || timeLimit.isNegative() || timeLimit.isZero()) {
      throw new IllegalArgumentException("exact preemption bounds must be positive: maxVictims " + maxVictims
          + ", maxProbes " + maxProbes + ", maxSteps " + maxSteps + ", timeLimit " + timeLimit);
    }
    this.maxVictims = maxVictims;
    this.maxProbes = maxProbes;
    this.maxSteps = maxSteps;
    this.timeLimitNanos = timeLimit.toNanos();
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * How many searches ran, how many a bound stopped before they proved optimality, and how many
   * of those the wall-clock limit stopped (the only machine-dependent outcome).
   */
  public long[] stats() {
    return new long[] {searches, stopped, timedOut};
  }

  @Override
  public Optional<List<Victim>> selectVictims(PreemptionRequest request, FitProbe probe) {
    searches++;
    Search s = new Search(probe);
    s.take(new GreedyPreemption().selectVictims(request, probe).orElse(null));
    if (request.candidates().isEmpty()) {
      return Optional.ofNullable(s.best);
    }
    boolean complete = request.single() && s.overNodes(request.preemptors().get(0), request.candidates());
    if (!complete || s.best == null || !onOneNode(s.best)) {
      // Several preemptors, no single node makes room, or not every node could be searched:
      // search the union of the candidates when it is small enough.
      List<Victim> all = request.victims();
      // Evicting more never frees less: if evicting every candidate makes no room, no subset does.
      complete = s.best == null && !s.fits(all)
          || all.size() <= maxVictims
              && s.subsets(List.of(new Candidate("*", request.candidates().get(0).view(), all)), null);
    }
    if (!complete) {
      stopped++;
    }
    if (s.timedOut) {
      timedOut++;
    }
    return Optional.ofNullable(s.best);
  }

  private static boolean onOneNode(List<Victim> set) {
    for (Victim v : set) {
      if (!v.node().equals(set.get(0).node())) {
        return false;
      }
    }
    return true;
  }

  /** One search's incumbent and budget. */
  private final class Search {
    private final FitProbe probe;
    private final long deadline = System.nanoTime() + timeLimitNanos;
    private int probes;
    private long steps;
    boolean stopped;
    boolean timedOut;
    @Nullable List<Victim> best;
    @Nullable VictimCost bestCost;

    Search(FitProbe probe) {
      this.probe = probe;
    }

    void take(@Nullable List<Victim> set) {
      if (set != null && (bestCost == null || VictimCost.of(set).isBelow(bestCost))) {
        best = List.copyOf(set);
        bestCost = VictimCost.of(set);
      }
    }

    boolean fits(List<Victim> set) {
      probes++;
      return probe.fits(set);
    }

    boolean exhausted() {
      if (!stopped) {
        if (probes >= maxProbes || steps >= maxSteps) {
          stopped = true;
        } else if ((steps & 255) == 0 && System.nanoTime() > deadline) {
          stopped = true;
          timedOut = true;
        }
      }
      return stopped;
    }

    /** Node-local sets for one task; true when every node was searched to the end. */
    boolean overNodes(Task task, List<Candidate> candidates) {
      var searchable = new ArrayList<Candidate>();
      boolean all = true;
      for (Candidate c : candidates) {
        if (c.victims().size() > maxVictims) {
          all = false;
        } else if (Deficit.of(task, c.view()).minVictims(c.victims()) <= c.victims().size() && fits(c.victims())) {
          // For one task, a node where evicting every candidate makes no room has no subset that does.
          searchable.add(c);
        }
      }
      return subsets(searchable, task) && all;
    }

    /**
     * Sets of one victim, then two, ... up to the incumbent's size, each within one of
     * {@code nodes}; {@code task} (null for several preemptors) enables the coverage bound.
     * True when it ran to the end.
     */
    boolean subsets(List<Candidate> nodes, @Nullable Task task) {
      int largest = 0;
      for (Candidate c : nodes) {
        largest = Math.max(largest, c.victims().size());
      }
      for (int k = 1; k <= largest; k++) {
        if (bestCost != null && bestCost.victims() < k) {
          return true;
        }
        for (Candidate c : nodes) {
          if (c.victims().size() < k) {
            continue;
          }
          Subsets sets = new Subsets(c, task, k);
          if (sets.possible()) {
            sets.branch(0, 0, new ArrayList<>());
          }
          if (stopped) {
            return false;
          }
        }
      }
      return true;
    }

    /** The k-subsets of one node's victims, cheapest alone first. */
    private final class Subsets {
      private final List<Victim> victims;
      private final @Nullable Deficit deficit;
      private final long[] needs;
      private final long[][] values;
      private final long[][] suffixMax;
      private final int k;

      Subsets(Candidate c, @Nullable Task task, int k) {
        this.victims = GreedyPreemption.sorted(c.victims(), GreedyPreemption.BY_COST);
        this.deficit = task == null ? null : Deficit.of(task, c.view());
        this.needs = deficit == null ? new long[3] : deficit.needs();
        this.k = k;
        int n = victims.size();
        values = new long[3][n];
        suffixMax = new long[3][n + 1];
        for (int i = 0; i < n; i++) {
          Victim v = victims.get(i);
          values[0][i] = v.cpuMilli();
          values[1][i] = v.memoryMiB();
          values[2][i] = v.gpuMilli();
        }
        for (int r = 0; r < 3; r++) {
          for (int i = n - 1; i >= 0; i--) {
            suffixMax[r][i] = Math.max(suffixMax[r][i + 1], values[r][i]);
          }
        }
      }

      boolean possible() {
        return deficit == null || deficit.minVictims(victims) <= k;
      }

      /** Extends {@code chosen} with victims from index {@code from} on; {@code gpu} is its compute. */
      void branch(int from, long gpu, List<Victim> chosen) {
        steps++;
        if (exhausted()) {
          return;
        }
        int left = k - chosen.size();
        if (left == 0) {
          VictimCost cost = VictimCost.of(chosen);
          if ((bestCost == null || cost.isBelow(bestCost))
              && (deficit == null || deficit.coveredBy(chosen)) && fits(chosen)) {
            best = List.copyOf(chosen);
            bestCost = cost;
          }
          return;
        }
        for (int i = from; i <= victims.size() - left; i++) {
          // Cost bound: at the incumbent's size, the cheapest completion must not cost more compute.
          if (bestCost != null && bestCost.victims() == k) {
            long least = gpu;
            for (int j = i; j < i + left; j++) {
              least += values[2][j];
            }
            if (least > bestCost.gpuMilli()) {
              // Victims are sorted by compute first, so later starts cost at least as much.
              return;
            }
          }
          if (!coverable(chosen, i, left)) {
            return;
          }
          chosen.add(victims.get(i));
          branch(i + 1, gpu + values[2][i], chosen);
          chosen.remove(chosen.size() - 1);
          if (stopped) {
            return;
          }
        }
      }

      /** Whether {@code chosen} plus {@code left} victims from index {@code i} on can free enough. */
      private boolean coverable(List<Victim> chosen, int i, int left) {
        if (deficit == null) {
          return true;
        }
        long[] have = new long[3];
        for (Victim v : chosen) {
          have[0] += v.cpuMilli();
          have[1] += v.memoryMiB();
          have[2] += v.gpuMilli();
        }
        for (int r = 0; r < 3; r++) {
          if (needs[r] > 0 && have[r] + left * suffixMax[r][i] < needs[r]) {
            return false;
          }
        }
        return true;
      }
    }
  }

  /** Registers {@code exact}. */
  public static final class Provider implements PreemptionPolicy.Provider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "branch and bound for the cheapest victim set, bounded by probes, steps and "
          + TIME_LIMIT.toMillis() + " ms; greedy's answer where the bounds stop it";
    }

    @Override
    public PreemptionPolicy create(PolicyContext context) {
      return new ExactPreemption();
    }
  }
}
