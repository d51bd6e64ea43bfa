package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.spi.DeviceChoice;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Selection for a policy that samples ({@link io.flexsched.spi.ScoringPolicy#sampleSize} k > 0):
 * k nodes drawn uniformly and independently from the nodes the task fits, each scored afresh, the
 * best winning (ties by the seeded rule). Draw i takes the j-th fitting node in ordinal order, j
 * the decision's i-th random value modulo the number of fitting nodes, so a plain scan that lists
 * the fitting nodes picks the same ones.
 *
 * <p>Each task shape keeps a {@link FitLine}, brought up to date from the cluster's change log as
 * score-index lines are, so a draw costs O(log n) at any fill; a task restricted to some nodes
 * (a caller's subset, its selector or taints) lists its fitting nodes by a scan instead.
 */
final class SampledSelection {
  private static final int MAX_LINES = 256;
  private final ClusterState state;
  private final Scorer scorer;
  private final TaskShapes shapes;
  private final int k;
  private final DeviceChoice choice = new DeviceChoice();
  private final Map<Integer, FitLine> lines = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, FitLine> eldest) {
      return size() > MAX_LINES;
    }
  };
  private int[] seen = new int[0];
  private int epoch;
  private int[] listed = new int[0];
  private @Nullable FitLine last;

  SampledSelection(Scorer scorer, TaskShapes shapes, int k) {
    this.state = scorer.state;
    this.scorer = scorer;
    this.shapes = shapes;
    this.k = k;
  }

  /** The best of k sampled nodes for the attempt, its device choice in {@code best}; -1 when it fits nowhere. */
  int best(Attempt a, DeviceChoice best) {
    int fitting;
    FitLine line = null;
    if (a.restricted()) {
      fitting = list(a);
    } else {
      line = line(a);
      fitting = line.fitting();
    }
    last = line;
    if (fitting == 0) {
      return -1;
    }
    int bestNode = -1;
    double bestScore = 0;
    for (int i = 0; i < k; i++) {
      int j = (int) Long.remainderUnsigned(scorer.context.random(-1, i), fitting);
      int n = line != null ? line.nth(j) : listed[j];
      if (n == bestNode) {
        continue;
      }
      double score = scorer.score(n, a, choice);
      if (bestNode < 0 || score > bestScore || (score == bestScore && scorer.rank(n) < scorer.rank(bestNode))) {
        bestNode = n;
        bestScore = score;
        best.copyFrom(choice);
      }
    }
    return bestNode;
  }

  /** Per reason, how many nodes rejected the last attempt's shape; null when that attempt was restricted. */
  @Nullable Map<RejectReason, Integer> reasons() {
    return last == null ? null : last.reasons();
  }

  private FitLine line(Attempt a) {
    FitLine line = lines.computeIfAbsent(shapes.of(a.task), s -> new FitLine());
    int nodes = state.nodeSlots();
    line.ensure(nodes);
    long end = state.logEnd();
    if (line.position < state.logBase()) {
      for (int n = 0; n < nodes; n++) {
        line.set(n, answer(n, a));
      }
    } else {
      if (seen.length < nodes) {
        seen = Arrays.copyOf(seen, Math.max(nodes, seen.length * 2));
      }
      int now = ++epoch;
      for (long p = line.position; p < end; p++) {
        int n = state.changedAt(p);
        if (seen[n] != now) {
          seen[n] = now;
          line.set(n, answer(n, a));
        }
      }
    }
    // Only now: a refresh cut short by a failing device rule is redone from the old position next time.
    line.position = end;
    return line;
  }

  private byte answer(int n, Attempt a) {
    if (!state.isLive(n)) {
      return FitLine.GONE;
    }
    RejectReason why = state.fenced[n] ? RejectReason.FENCED : scorer.filter.rejectShape(n, a);
    return why == null ? FitLine.FITS : (byte) why.ordinal();
  }

  /** Lists, in ordinal order, the live nodes a restricted attempt may use and fits; returns how many. */
  private int list(Attempt a) {
    int count = 0;
    int nodes = state.nodeSlots();
    if (listed.length < nodes) {
      listed = new int[Math.max(nodes, listed.length * 2)];
    }
    for (int n = 0; n < nodes; n++) {
      if (state.isLive(n) && a.mayUse(n) && scorer.filter.reject(n, a) == null) {
        listed[count++] = n;
      }
    }
    return count;
  }
}
