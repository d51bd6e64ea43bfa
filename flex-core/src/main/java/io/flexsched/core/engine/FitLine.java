package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import java.util.Arrays;
import java.util.Map;

/**
 * The nodes one task shape fits, for a sampling policy: per node whether it fits or the reason it
 * does not, per reason how many nodes reject the shape, and a Fenwick tree over node ordinals so
 * that the number of fitting nodes and the j-th of them (in ordinal order) cost O(log n).
 */
final class FitLine {
  static final byte FITS = -1;
  static final byte GONE = -2;
  private byte[] state = new byte[0];
  private int[] tree = new int[1];
  private final int[] rejected = new int[RejectReason.values().length];
  private int fitting;
  /** The change-log position this line is up to date with; -1 before its first build. */
  long position = -1;

  /** Makes room for {@code nodes} node slots; a new slot is gone until it is set. */
  void ensure(int nodes) {
    if (state.length >= nodes) {
      return;
    }
    int old = state.length;
    state = Arrays.copyOf(state, Math.max(nodes, old * 2));
    Arrays.fill(state, old, state.length, GONE);
    // A Fenwick tree cannot grow in place: its upper cells cover ranges that now exist. Rebuilt in O(n).
    tree = new int[state.length + 1];
    for (int i = 1; i <= state.length; i++) {
      tree[i] += state[i - 1] == FITS ? 1 : 0;
      int up = i + (i & -i);
      if (up <= state.length) {
        tree[up] += tree[i];
      }
    }
  }

  /** Records node {@code n}'s answer: {@link #FITS}, {@link #GONE} or a reason's ordinal. */
  void set(int n, byte now) {
    byte was = state[n];
    if (was == now) {
      return;
    }
    if (was >= 0) {
      rejected[was]--;
    }
    if (now >= 0) {
      rejected[now]++;
    }
    if (was == FITS || now == FITS) {
      int delta = now == FITS ? 1 : -1;
      fitting += delta;
      for (int i = n + 1; i < tree.length; i += i & -i) {
        tree[i] += delta;
      }
    }
    state[n] = now;
  }

  /** How many nodes the shape fits. */
  int fitting() {
    return fitting;
  }

  /** The ordinal of the {@code j}-th fitting node (from 0, in ordinal order); {@code j < fitting()}. */
  int nth(int j) {
    int pos = 0;
    int rest = j + 1;
    for (int step = Integer.highestOneBit(tree.length - 1); step > 0; step >>= 1) {
      int next = pos + step;
      if (next < tree.length && tree[next] < rest) {
        pos = next;
        rest -= tree[next];
      }
    }
    return pos;
  }

  /** Per reason, how many nodes reject the shape. */
  Map<RejectReason, Integer> reasons() {
    return Filter.reasonMap(rejected);
  }
}
