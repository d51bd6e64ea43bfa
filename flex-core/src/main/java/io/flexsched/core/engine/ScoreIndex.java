package io.flexsched.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flexsched.core.RejectReason;
import io.flexsched.spi.DeviceChoice;
import java.util.Arrays;
import java.util.Map;

/**
 * What a state-dependent policy answered, kept so that a decision rarely has to ask again.
 *
 * <p>Two levels. A {@link Line} per task shape holds, per node, the score (negative infinity
 * where the shape does not fit) and why it does not fit, plus the best node of every block of 64
 * nodes; it is brought up to date from the cluster's change log, so a decision touches only the
 * nodes changed since the shape was last placed and then the blocks' best nodes, not every node.
 * Behind the lines, answers are shared by node state: canonical {@link NodeStateKey}s, kept in a
 * bounded Caffeine cache, carry the answers given in their state (device choices included), so
 * nodes in the same state (all empty nodes of one kind, say) are scored once. Lines are bounded
 * by the memory their columns take: a line evicted is built again from scratch when its shape
 * comes back, from the same answers.
 */
final class ScoreIndex {
  static final int BLOCK = 64;
  private static final long MAX_STATES = 200_000;
  /** Heap the lines may take unless a test says otherwise: an eighth of the heap. */
  private static final long LINE_BYTES = Runtime.getRuntime().maxMemory() / 8;
  /**
   * Test-only: when positive, the bytes the lines of indexes created from now on may take, so
   * that a test can make lines evicted and built again; nothing else sets it.
   */
  static volatile long lineBytesForTests;

  /**
   * A policy's answer for one state and one shape; {@code starts} only for profile requests.
   * Where the shape does not fit, the score is negative infinity and {@code reason} says why (null
   * for a node that is gone). It names its shape, so that a state's table of answers needs no
   * column of shapes beside it (the field fills what would be padding).
   */
  record Answer(int shape, double score, long devices, int[] starts, RejectReason reason) {
    private static final RejectReason[] REASONS = RejectReason.values();
    private static final Answer[] UNFIT = new Answer[REASONS.length];
    /** The answer for a node that is no longer in the cluster: unfit, and counted under no reason. */
    static final Answer GONE = new Answer(-1, Double.NEGATIVE_INFINITY, 0, null, null);

    static {
      for (RejectReason r : REASONS) {
        UNFIT[r.ordinal()] = new Answer(-1, Double.NEGATIVE_INFINITY, 0, null, r);
      }
    }

    /** The answer, for no shape in particular, for a node that rejects every shape for {@code reason}. */
    static Answer unfit(RejectReason reason) {
      return UNFIT[reason.ordinal()];
    }
  }

  // Per shape and reason, the one unfit answer a state remembers (the answers a state keeps name their shape).
  private Answer[][] unfit = new Answer[0][];

  // Weighed by their per-node columns; eviction runs on the caller's thread (single writer).
  private final Cache<Integer, Line> lines;
  private long built;

  ScoreIndex() {
    long budget = lineBytesForTests > 0 ? lineBytesForTests : LINE_BYTES;
    lines = Caffeine.newBuilder().maximumWeight(budget).weigher((Integer shape, Line line) -> line.weight())
        .executor(Runnable::run).build();
  }

  // Canonical node states; each carries the answers given in it. Maintenance runs on the caller's
  // thread: the engine is single-writer, and cross-thread signalling costs more than it saves.
  private final Cache<NodeStateKey, NodeStateKey> states =
      Caffeine.newBuilder().maximumSize(MAX_STATES).executor(Runnable::run).build();

  /**
   * The line of shape {@code shape}, whose tasks take {@code count} devices, with room for
   * {@code nodes} nodes; a new line (never built, or evicted) is at position -1.
   */
  Line line(int shape, int count, boolean profile, int nodes) {
    Line line = lines.getIfPresent(shape);
    if (line == null) {
      line = new Line(shape, count, profile);
      line.ensure(nodes);
      built++;
      lines.put(shape, line);
    } else if (line.ensure(nodes)) {
      // Weighed again: a weight is taken when a line is put.
      lines.put(shape, line);
    }
    return line;
  }

  /** How many lines were made: one per shape, plus one per line evicted and needed again. */
  long linesBuilt() {
    return built;
  }

  /** The weight of the lines kept now, after pending evictions. */
  long lineBytes() {
    lines.cleanUp();
    return lines.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** The (shared) answer remembered for shape {@code shape} where a node rejects it for {@code reason}. */
  Answer unfit(int shape, RejectReason reason) {
    if (shape >= unfit.length) {
      unfit = Arrays.copyOf(unfit, Math.max(shape + 1, unfit.length * 2));
    }
    if (unfit[shape] == null) {
      unfit[shape] = new Answer[Answer.REASONS.length];
    }
    Answer a = unfit[shape][reason.ordinal()];
    if (a == null) {
      a = new Answer(shape, Double.NEGATIVE_INFINITY, 0, null, reason);
      unfit[shape][reason.ordinal()] = a;
    }
    return a;
  }

  /** The canonical instance of a node state: the one that carries its remembered answers. */
  NodeStateKey canonical(NodeStateKey state) {
    return states.get(state, k -> k);
  }

  /**
   * Encodes a policy's device choice, already checked to fit: a mask of device indices, and
   * starts in device order.
   */
  static Answer encode(int shape, double score, DeviceChoice choice, boolean profile) {
    long mask = 0;
    for (int i = 0; i < choice.size(); i++) {
      int d = choice.device(i);
      if (d < 0 || d >= 64 || (mask & (1L << d)) != 0) {
        throw new IllegalStateException("an unchecked device choice reached the cache: " + choice);
      }
      mask |= 1L << d;
    }
    int[] starts = null;
    if (profile) {
      starts = new int[choice.size()];
      int k = 0;
      for (int d = 0; d < 64; d++) {
        if ((mask & (1L << d)) != 0) {
          for (int i = 0; i < choice.size(); i++) {
            if (choice.device(i) == d) {
              starts[k++] = choice.start(i);
            }
          }
        }
      }
    }
    return new Answer(shape, score, mask, starts, null);
  }

  /**
   * One shape's scores for every node, the best node of each block, and per rejection reason how
   * many nodes reject the shape (kept as answers change, so a task that fits nowhere is explained
   * without filtering every node again). Device choices are not copied per node: the chosen
   * node's come from the answer its canonical state carries.
   */
  static final class Line {
    private static final byte NONE = -1;
    final int shape;
    final int count;
    final boolean profile;
    double[] score = new double[0];
    private byte[] reason = new byte[0];
    private final int[] rejected = new int[RejectReason.values().length];
    int[] blockBest = new int[0];
    // A tournament over the blocks' best nodes: top[1] is the line's best, top[leaves + b] block b's.
    private int[] top = new int[2];
    private int leaves = 1;
    /** True when the tournament must be rebuilt whole (a new line, or one grown for new nodes). */
    boolean topStale = true;
    /** The change-log position this line is up to date with; -1 before its first build. */
    long position = -1;

    Line(int shape, int count, boolean profile) {
      this.shape = shape;
      this.count = count;
      this.profile = profile;
    }

    /** Makes room for {@code nodes} nodes; true when the columns grew. */
    boolean ensure(int nodes) {
      if (score.length >= nodes) {
        return false;
      }
      int old = score.length;
      int cap = Math.max(nodes, old * 2);
      score = Arrays.copyOf(score, cap);
      Arrays.fill(score, old, cap, Double.NEGATIVE_INFINITY);
      reason = Arrays.copyOf(reason, cap);
      Arrays.fill(reason, old, cap, NONE);
      int blocks = (cap + BLOCK - 1) / BLOCK;
      int oldBlocks = blockBest.length;
      blockBest = Arrays.copyOf(blockBest, blocks);
      Arrays.fill(blockBest, oldBlocks, blocks, -1);
      leaves = Integer.highestOneBit(Math.max(1, blocks - 1)) << 1;
      top = new int[2 * leaves];
      topStale = true;
      return true;
    }

    /** The heap its columns take, in bytes (array headers aside), for the cache's weigher. */
    int weight() {
      long bytes = 9L * score.length + 4L * blockBest.length + 4L * top.length;
      return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    void set(int node, Answer a) {
      byte was = reason[node];
      byte now = a.reason() == null ? NONE : (byte) a.reason().ordinal();
      if (was != now) {
        if (was != NONE) {
          rejected[was]--;
        }
        if (now != NONE) {
          rejected[now]++;
        }
        reason[node] = now;
      }
      score[node] = a.score();
    }

    /** Recomputes the best node of block {@code b}: highest score, then lowest rank. */
    void rebuildBlock(int b, long[] rank, int nodes) {
      int best = -1;
      int end = Math.min(nodes, (b + 1) * BLOCK);
      for (int n = b * BLOCK; n < end; n++) {
        double s = score[n];
        if (s != Double.NEGATIVE_INFINITY && (best < 0 || s > score[best] || (s == score[best] && rank[n] < rank[best]))) {
          best = n;
        }
      }
      blockBest[b] = best;
    }

    /**
     * Keeps block maxima after node {@code n}'s score moved from {@code before}: a node that now
     * beats its block's best becomes it, a best that improved stays it; only a best that got worse
     * needs its block rebuilt.
     *
     * @return {@link #UNCHANGED}, {@link #MOVED} (the block's best or its score changed) or {@link #REBUILD}
     */
    int touch(int n, double before, long[] rank) {
      double now = score[n];
      if (now == before) {
        return UNCHANGED;
      }
      int b = n / BLOCK;
      int best = blockBest[b];
      if (best == n) {
        return now > before ? MOVED : REBUILD;
      }
      if (now != Double.NEGATIVE_INFINITY && (best < 0 || better(n, best, rank) == n)) {
        blockBest[b] = n;
        return MOVED;
      }
      return UNCHANGED;
    }

    static final int UNCHANGED = 0;
    static final int MOVED = 1;
    static final int REBUILD = 2;

    /** Brings the tournament up to date with block {@code b}'s best: O(log blocks). */
    void climb(int b, long[] rank) {
      int i = leaves + b;
      top[i] = blockBest[b];
      for (i >>= 1; i >= 1; i >>= 1) {
        top[i] = better(top[2 * i], top[2 * i + 1], rank);
      }
    }

    /** Rebuilds the whole tournament from the blocks' best nodes: O(blocks). */
    void rebuildTop(long[] rank, int blocks) {
      topStale = false;
      Arrays.fill(top, leaves, top.length, -1);
      System.arraycopy(blockBest, 0, top, leaves, blocks);
      for (int i = leaves - 1; i >= 1; i--) {
        top[i] = better(top[2 * i], top[2 * i + 1], rank);
      }
    }

    /** Of two nodes (-1: none), the one with the higher score, then the lower rank. */
    private int better(int a, int b, long[] rank) {
      if (a < 0 || b < 0) {
        return a < 0 ? b : a;
      }
      double sa = score[a];
      double sb = score[b];
      return sa > sb || (sa == sb && rank[a] < rank[b]) ? a : b;
    }

    /** The best node over all blocks, or -1 when the shape fits nowhere. */
    int best() {
      return top[1];
    }

    /** Per reason, how many nodes reject this line's shape. */
    Map<RejectReason, Integer> reasons() {
      return Filter.reasonMap(rejected);
    }

    /** Writes the device choice of {@code a}, an answer that fits, into {@code into}. */
    void load(Answer a, DeviceChoice into) {
      into.clear();
      long mask = a.devices();
      int k = 0;
      for (int d = 0; d < 64; d++) {
        if ((mask & (1L << d)) != 0) {
          into.add(d, profile ? a.starts()[k++] : -1);
        }
      }
    }
  }
}
