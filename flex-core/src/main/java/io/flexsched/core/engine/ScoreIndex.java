package io.flexsched.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flexsched.core.RejectReason;
import io.flexsched.spi.DeviceChoice;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a state-dependent policy answered, kept so that a decision rarely has to ask again.
 *
 * <p>Two levels. A {@link Line} per task shape holds, per node, the score (negative infinity
 * where the shape does not fit) and the device choice, plus the best node of every block of 64
 * nodes; it is brought up to date from the cluster's change log, so a decision touches only the
 * nodes changed since the shape was last placed and then the blocks' best nodes, not every node.
 * Behind the lines, answers are shared by node state: canonical {@link NodeStateKey}s, kept in a
 * bounded Caffeine cache, carry the answers given in their state, so nodes in the same state (all
 * empty nodes of one kind, say) are scored once.
 */
final class ScoreIndex {
  static final int BLOCK = 64;
  private static final int MAX_LINES = 256;
  private static final long MAX_STATES = 200_000;

  /**
   * A policy's answer for one state and one shape; {@code starts} only for profile requests.
   * Where the shape does not fit, the score is negative infinity and {@code reason} says why (null
   * for a node that is gone).
   */
  record Answer(double score, long devices, int[] starts, RejectReason reason) {
    private static final RejectReason[] REASONS = RejectReason.values();
    private static final Answer[] UNFIT = new Answer[REASONS.length];
    /** The answer for a node that is no longer in the cluster: unfit, and counted under no reason. */
    static final Answer GONE = new Answer(Double.NEGATIVE_INFINITY, 0, null, null);

    static {
      for (RejectReason r : REASONS) {
        UNFIT[r.ordinal()] = new Answer(Double.NEGATIVE_INFINITY, 0, null, r);
      }
    }

    /** The (shared) answer for a shape the node rejects for {@code reason}. */
    static Answer unfit(RejectReason reason) {
      return UNFIT[reason.ordinal()];
    }
  }


  private final Map<Integer, Line> lines = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Line> eldest) {
      return size() > MAX_LINES;
    }
  };
  // Canonical node states; each carries the answers given in it. Maintenance runs on the caller's
  // thread: the engine is single-writer, and cross-thread signalling costs more than it saves.
  private final Cache<NodeStateKey, NodeStateKey> states =
      Caffeine.newBuilder().maximumSize(MAX_STATES).executor(Runnable::run).build();

  /** The line of shape {@code shape}, whose tasks take {@code count} devices. */
  Line line(int shape, int count, boolean profile) {
    return lines.computeIfAbsent(shape, k -> new Line(count, profile));
  }

  /** The canonical instance of a node state: the one that carries its remembered answers. */
  NodeStateKey canonical(NodeStateKey state) {
    return states.get(state, k -> k);
  }

  /**
   * Encodes a policy's device choice, already checked to fit: a mask of device indices, and
   * starts in device order.
   */
  static Answer encode(double score, DeviceChoice choice, boolean profile) {
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
    return new Answer(score, mask, starts, null);
  }

  /**
   * One shape's answers for every node, the best node of each block, and per rejection reason how
   * many nodes reject the shape (kept as answers change, so a task that fits nowhere is explained
   * without filtering every node again).
   */
  static final class Line {
    private static final byte NONE = -1;
    final int count;
    final boolean profile;
    double[] score = new double[0];
    private byte[] reason = new byte[0];
    private final int[] rejected = new int[RejectReason.values().length];
    long[] devices = new long[0];
    int[][] starts = new int[0][];
    int[] blockBest = new int[0];
    // A tournament over the blocks' best nodes: top[1] is the line's best, top[leaves + b] block b's.
    private int[] top = new int[2];
    private int leaves = 1;
    /** True when the tournament must be rebuilt whole (a new line, or one grown for new nodes). */
    boolean topStale = true;
    /** The change-log position this line is up to date with; -1 before its first build. */
    long position = -1;

    Line(int count, boolean profile) {
      this.count = count;
      this.profile = profile;
    }

    void ensure(int nodes) {
      if (score.length >= nodes) {
        return;
      }
      int old = score.length;
      int cap = Math.max(nodes, old * 2);
      score = Arrays.copyOf(score, cap);
      Arrays.fill(score, old, cap, Double.NEGATIVE_INFINITY);
      reason = Arrays.copyOf(reason, cap);
      Arrays.fill(reason, old, cap, NONE);
      devices = Arrays.copyOf(devices, cap);
      if (profile) {
        starts = Arrays.copyOf(starts, cap);
      }
      int blocks = (cap + BLOCK - 1) / BLOCK;
      int oldBlocks = blockBest.length;
      blockBest = Arrays.copyOf(blockBest, blocks);
      Arrays.fill(blockBest, oldBlocks, blocks, -1);
      leaves = Integer.highestOneBit(Math.max(1, blocks - 1)) << 1;
      top = new int[2 * leaves];
      topStale = true;
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
      devices[node] = a.devices();
      if (profile) {
        starts[node] = a.starts();
      }
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

    /** Writes node {@code n}'s device choice into {@code into}. */
    void load(int n, DeviceChoice into) {
      into.clear();
      long mask = devices[n];
      int k = 0;
      for (int d = 0; d < 64; d++) {
        if ((mask & (1L << d)) != 0) {
          into.add(d, profile ? starts[n][k++] : -1);
        }
      }
    }
  }
}
