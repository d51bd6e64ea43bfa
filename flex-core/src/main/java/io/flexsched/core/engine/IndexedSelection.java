package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.core.TieBreak;
import io.flexsched.spi.DeviceChoice;
import java.util.Arrays;

/**
 * Selection for a policy whose answers depend only on node state: each task shape has a
 * {@link ScoreIndex.Line} of answers for every node, brought up to date from the cluster's change
 * log (only nodes changed since the line was last used are asked again, and a node in a state
 * already seen borrows that state's answer); under node-order tie-breaking the best node comes
 * from per-block maxima, kept as answers change (a block is rescanned only when its best got
 * worse), and a tournament over the blocks, instead of a scan.
 */
final class IndexedSelection {
  private final ClusterState state;
  private final Scorer scorer;
  private final TieBreak tieBreak;
  private final TaskShapes shapes;
  private final ScoreIndex index = new ScoreIndex();
  private final DeviceChoice choice = new DeviceChoice();
  private long[] rank = new long[0];
  private int[] seenNode = new int[0];
  private int[] seenBlock = new int[0];
  private int[] dirtyBlock = new int[0];
  private boolean[] rebuild = new boolean[0];
  private int refreshEpoch;
  private NodeStateKey[] canonical = new NodeStateKey[0];
  private long[] canonicalStamp = new long[0];

  IndexedSelection(Scorer scorer, TaskShapes shapes) {
    this.state = scorer.state;
    this.scorer = scorer;
    this.tieBreak = scorer.tieBreak;
    this.shapes = shapes;
  }

  /** Its score index (tests look at how its lines are kept). */
  ScoreIndex index() {
    return index;
  }

  /** The attempt's shape's line, up to date with the cluster. */
  ScoreIndex.Line line(Attempt a) {
    int shape = shapes.of(a.task);
    int nodes = state.nodeSlots();
    ScoreIndex.Line line = index.line(shape, a.request.count(), a.request.profile() != null, nodes);
    ensureScratch(nodes);
    boolean blocks = tieBreak == TieBreak.NODE_ORDER;
    long end = state.logEnd();
    int blockCount = (nodes + ScoreIndex.BLOCK - 1) / ScoreIndex.BLOCK;
    if (line.position < state.logBase()) {
      for (int n = 0; n < nodes; n++) {
        line.set(n, answer(n, shape, a));
      }
      if (blocks) {
        for (int b = 0; b < blockCount; b++) {
          line.rebuildBlock(b, rank, nodes);
        }
        line.rebuildTop(rank, blockCount);
      }
    } else {
      try {
        refresh(line, shape, a, end, blocks, nodes);
      } catch (RuntimeException e) {
        // Block maxima may now disagree with the answers already stored: rebuild the line next time.
        line.position = -1;
        throw e;
      }
    }
    // Only now: a refresh cut short by a failing policy is redone next time.
    line.position = end;
    return line;
  }

  /** Asks again about the nodes changed since the line's position; keeps block maxima and the tournament. */
  private void refresh(ScoreIndex.Line line, int shape, Attempt a, long end, boolean blocks, int nodes) {
    int epoch = ++refreshEpoch;
    int moved = 0;
    for (long p = line.position; p < end; p++) {
      int n = state.changedAt(p);
      if (seenNode[n] == epoch) {
        continue;
      }
      seenNode[n] = epoch;
      double before = line.score[n];
      line.set(n, answer(n, shape, a));
      int how = blocks ? line.touch(n, before, rank) : ScoreIndex.Line.UNCHANGED;
      if (how == ScoreIndex.Line.UNCHANGED) {
        continue;
      }
      int b = n / ScoreIndex.BLOCK;
      if (seenBlock[b] != epoch) {
        seenBlock[b] = epoch;
        dirtyBlock[moved++] = b;
        rebuild[b] = false;
      }
      rebuild[b] |= how == ScoreIndex.Line.REBUILD;
    }
    for (int i = 0; i < moved; i++) {
      int b = dirtyBlock[i];
      if (rebuild[b]) {
        line.rebuildBlock(b, rank, nodes);
      }
      if (!line.topStale) {
        line.climb(b, rank);
      }
    }
    if (blocks && line.topStale) {
      line.rebuildTop(rank, (nodes + ScoreIndex.BLOCK - 1) / ScoreIndex.BLOCK);
    }
  }

  /** The best node of an up-to-date line the attempt may use, its device choice in {@code best}; -1 when none. */
  int best(ScoreIndex.Line line, Attempt a, DeviceChoice best) {
    int nodes = state.nodeSlots();
    int n = tieBreak == TieBreak.NODE_ORDER && !a.restricted() ? line.best() : scan(line, a, nodes);
    if (n >= 0) {
      line.load(fitting(line, n), best);
    }
    return n;
  }

  /**
   * The answer behind node {@code n}'s score in an up-to-date line: its canonical state's, looked
   * up when the line last refreshed the node, so it is the one the score came from.
   */
  private ScoreIndex.Answer fitting(ScoreIndex.Line line, int n) {
    NodeStateKey key = canonical[n];
    ScoreIndex.Answer answer = key == null || canonicalStamp[n] != state.stamp[n] ? null : key.answer(line.shape);
    if (answer == null || Double.compare(answer.score(), line.score[n]) != 0) {
      throw new IllegalStateException("the score index is out of step with node " + n + " for shape " + line.shape);
    }
    return answer;
  }

  /** Per-decision tie-breaking, or a restriction to some nodes: a scan of the line's scores. */
  private int scan(ScoreIndex.Line line, Attempt a, int nodes) {
    int best = -1;
    long bestTie = 0;
    for (int n = 0; n < nodes; n++) {
      double s = line.score[n];
      if (s == Double.NEGATIVE_INFINITY || !a.mayUse(n)) {
        continue;
      }
      if (best < 0 || s > line.score[best]) {
        best = n;
        bestTie = scorer.rank(n);
      } else if (s == line.score[best]) {
        long tie = scorer.rank(n);
        if (tie < bestTie) {
          best = n;
          bestTie = tie;
        }
      }
    }
    return best;
  }

  /** The policy's answer for node {@code n} and the attempt's shape, shared between equal node states. */
  private ScoreIndex.Answer answer(int n, int shape, Attempt a) {
    if (!state.isLive(n)) {
      return ScoreIndex.Answer.GONE;
    }
    if (state.fenced[n]) {
      return ScoreIndex.Answer.unfit(RejectReason.FENCED);
    }
    NodeStateKey key = canonicalKey(n);
    ScoreIndex.Answer answer = key.answer(shape);
    if (answer == null) {
      RejectReason why = scorer.filter.rejectShape(n, a);
      if (why != null) {
        answer = index.unfit(shape, why);
      } else {
        // Checked before it is remembered: one bad answer would otherwise serve every node in this state.
        double score = scorer.score(n, a, choice);
        answer = ScoreIndex.encode(shape, score, choice, a.request.profile() != null);
      }
      key.remember(answer);
    }
    return answer;
  }

  /** The canonical state key of node {@code n}, looked up once per change of the node. */
  private NodeStateKey canonicalKey(int n) {
    if (canonicalStamp[n] != state.stamp[n] || canonical[n] == null) {
      canonical[n] = index.canonical(state.stateKey(n));
      canonicalStamp[n] = state.stamp[n];
    }
    return canonical[n];
  }

  private void ensureScratch(int nodes) {
    if (seenNode.length < nodes) {
      int cap = Math.max(nodes, seenNode.length * 2);
      seenNode = Arrays.copyOf(seenNode, cap);
      int blocks = cap / ScoreIndex.BLOCK + 1;
      seenBlock = Arrays.copyOf(seenBlock, blocks);
      dirtyBlock = Arrays.copyOf(dirtyBlock, blocks);
      rebuild = Arrays.copyOf(rebuild, blocks);
    }
    if (canonical.length < nodes) {
      canonical = Arrays.copyOf(canonical, Math.max(nodes, canonical.length * 2));
      canonicalStamp = Arrays.copyOf(canonicalStamp, canonical.length);
    }
    if (rank.length < nodes) {
      int old = rank.length;
      rank = Arrays.copyOf(rank, Math.max(nodes, old * 2));
      for (int n = old; n < rank.length; n++) {
        rank[n] = scorer.context.rank(TieBreak.NODE_ORDER, n);
      }
    }
  }
}
