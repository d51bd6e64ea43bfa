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
 * best winning (ties by the seeded rule).
 *
 * <p>Draw i first tries up to {@link #TRIES} node slots drawn uniformly over all slots (the
 * decision's random values for node -1 - i, salts 0 and up) and keeps the first the task may use and fits: each
 * accepted slot is uniform over the fitting nodes, in O(1) expected time while a fair share of the
 * cluster fits. When all tries miss, few nodes fit, and the draw takes the j-th fitting node in
 * ordinal order instead (j the next random value modulo their number), still uniform. That set is
 * kept per task shape as a {@link FitLine} (a Fenwick tree brought up to date from the change log,
 * as score-index lines are), so the fallback costs O(log n) beyond the refresh; a task restricted
 * to some nodes (a caller's subset, its selector or taints) lists them by a scan instead. A plain
 * implementation that makes the same draws over a list picks the same nodes.
 */
final class SampledSelection {
  private static final int MAX_LINES = 256;
  /** Uniform draws over all node slots before the fitting set is consulted: O(1) expected while a fair share fits. */
  static final int TRIES = 32;
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
    last = null;
    int nodes = state.nodeSlots();
    int bestNode = -1;
    double bestScore = 0;
    int fitting = -1;
    FitLine line = null;
    for (int i = 0; i < k; i++) {
      int n = -1;
      for (int t = 0; t < TRIES && nodes > 0 && n < 0; t++) {
        int drawn = (int) Long.remainderUnsigned(scorer.context.random(-1 - i, t), nodes);
        n = state.isLive(drawn) && a.mayUse(drawn) && scorer.filter.reject(drawn, a) == null ? drawn : -1;
      }
      if (n < 0) {
        // Few nodes fit: the j-th of those that do, counted by the shape's line or listed.
        if (fitting < 0) {
          line = a.restricted() ? null : line(a);
          fitting = line != null ? line.fitting() : list(a);
        }
        if (fitting == 0) {
          last = line;
          return -1;
        }
        int j = (int) Long.remainderUnsigned(scorer.context.random(-1 - i, TRIES), fitting);
        n = line != null ? line.nth(j) : listed[j];
      }
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

  /** Per reason, how many nodes rejected the last attempt's shape when it fit nowhere; null when that attempt was restricted. */
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
