package io.flexsched.spi;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;

/** {@link DeviceRules#standard()}. */
final class StandardDeviceRules implements DeviceRules {
  static final StandardDeviceRules INSTANCE = new StandardDeviceRules(true);
  static final StandardDeviceRules LOWEST_START = new StandardDeviceRules(false);

  /** Past this many candidate sets a link-aware choice is built greedily instead. */
  private static final long MAX_SETS = 20_000;

  private final boolean awareStarts;

  private StandardDeviceRules(boolean awareStarts) {
    this.awareStarts = awareStarts;
  }

  @Override
  public boolean select(Task task, NodeView node, DeviceChoice choice) {
    AcceleratorRequest r = task.accelerators();
    int need = r.count();
    if (need == 0) {
      return true;
    }
    if (r.profile() != null) {
      return selectProfiles(r, node, choice);
    }
    LinkMatrix links = node.spec().links();
    if (need >= 2 && links != null) {
      return selectLinked(r, node, links, choice);
    }
    if (need >= 2 && r.minLinkScore() > 0) {
      return false; // links unknown: the limit cannot be shown to hold
    }
    if (r.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      for (int d = 0; d < node.deviceCount() && choice.size() < need; d++) {
        if (node.canHost(d, r)) {
          choice.add(d);
        }
      }
      return choice.size() == need;
    }
    // Shares: repeatedly the fitting device with the least free compute not yet taken.
    long taken = 0;
    for (int k = 0; k < need; k++) {
      int best = -1;
      int bestFree = Integer.MAX_VALUE;
      for (int d = 0; d < node.deviceCount(); d++) {
        if ((taken & (1L << d)) == 0 && node.freeMilli(d) < bestFree && node.canHost(d, r)) {
          best = d;
          bestFree = node.freeMilli(d);
        }
      }
      if (best < 0) {
        return false;
      }
      taken |= 1L << best;
      choice.add(best);
    }
    choice.sort();
    return true;
  }

  @Override
  public boolean admits(Task task, NodeView node, DeviceChoice choice) {
    int min = task.accelerators().minLinkScore();
    if (min <= 0 || choice.size() < 2) {
      return true;
    }
    LinkMatrix links = node.spec().links();
    if (links == null) {
      return false;
    }
    for (int i = 0; i < choice.size(); i++) {
      for (int j = i + 1; j < choice.size(); j++) {
        if (links.score(choice.device(i), choice.device(j)) < min) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Link-aware choice: among sets of hostable devices, the greatest weakest link, then the
   * greatest sum of links, then the greatest sum of links left among the other hostable devices
   * (so the best-connected free sets stay intact), then the lowest indices.
   */
  private static boolean selectLinked(AcceleratorRequest r, NodeView node, LinkMatrix links, DeviceChoice choice) {
    int n = node.deviceCount();
    int[] cand = new int[n];
    int m = 0;
    for (int d = 0; d < n; d++) {
      if (node.canHost(d, r)) {
        cand[m++] = d;
      }
    }
    int k = r.count();
    if (m < k) {
      return false;
    }
    int[] best = combinations(m, k) <= MAX_SETS ? bestSet(cand, m, k, links, r.minLinkScore()) : greedySet(cand, m, k, links, r.minLinkScore());
    if (best == null) {
      return false;
    }
    for (int d : best) {
      choice.add(d);
    }
    return true;
  }

  private static long combinations(int m, int k) {
    long c = 1;
    for (int i = 0; i < k; i++) {
      c = c * (m - i) / (i + 1);
      if (c > MAX_SETS) {
        return c;
      }
    }
    return c;
  }

  private static int[] bestSet(int[] cand, int m, int k, LinkMatrix links, int min) {
    int[] idx = new int[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    int[] best = null;
    long bestWeakest = Long.MIN_VALUE;
    long bestSum = Long.MIN_VALUE;
    long bestLeft = Long.MIN_VALUE;
    while (true) {
      long weakest = Long.MAX_VALUE;
      long sum = 0;
      long inSet = 0;
      for (int i = 0; i < k; i++) {
        inSet |= 1L << cand[idx[i]];
        for (int j = i + 1; j < k; j++) {
          int s = links.score(cand[idx[i]], cand[idx[j]]);
          weakest = Math.min(weakest, s);
          sum += s;
        }
      }
      if (weakest >= min) {
        long left = 0;
        for (int i = 0; i < m; i++) {
          if ((inSet & (1L << cand[i])) == 0) {
            for (int j = i + 1; j < m; j++) {
              if ((inSet & (1L << cand[j])) == 0) {
                left += links.score(cand[i], cand[j]);
              }
            }
          }
        }
        if (weakest > bestWeakest || (weakest == bestWeakest && (sum > bestSum || (sum == bestSum && left > bestLeft)))) {
          best = new int[k];
          for (int i = 0; i < k; i++) {
            best[i] = cand[idx[i]];
          }
          bestWeakest = weakest;
          bestSum = sum;
          bestLeft = left;
        }
      }
      // Next combination in lexicographic order.
      int i = k - 1;
      while (i >= 0 && idx[i] == m - k + i) {
        i--;
      }
      if (i < 0) {
        return best;
      }
      idx[i]++;
      for (int j = i + 1; j < k; j++) {
        idx[j] = idx[j - 1] + 1;
      }
    }
  }

  /** For very large nodes: grow from the best-linked pair, adding the device that keeps the weakest link highest. */
  private static int[] greedySet(int[] cand, int m, int k, LinkMatrix links, int min) {
    int[] set = new int[k];
    boolean[] used = new boolean[m];
    int bi = -1;
    int bj = -1;
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j < m; j++) {
        if (bi < 0 || links.score(cand[i], cand[j]) > links.score(cand[bi], cand[bj])) {
          bi = i;
          bj = j;
        }
      }
    }
    set[0] = cand[bi];
    set[1] = cand[bj];
    used[bi] = true;
    used[bj] = true;
    for (int size = 2; size < k; size++) {
      int pick = -1;
      int pickWeakest = Integer.MIN_VALUE;
      for (int c = 0; c < m; c++) {
        if (!used[c]) {
          int weakest = Integer.MAX_VALUE;
          for (int s = 0; s < size; s++) {
            weakest = Math.min(weakest, links.score(cand[c], set[s]));
          }
          if (weakest > pickWeakest) {
            pick = c;
            pickWeakest = weakest;
          }
        }
      }
      used[pick] = true;
      set[size] = cand[pick];
    }
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        if (links.score(set[i], set[j]) < min) {
          return null;
        }
      }
    }
    java.util.Arrays.sort(set);
    return set;
  }

  private boolean selectProfiles(AcceleratorRequest r, NodeView node, DeviceChoice choice) {
    long taken = 0;
    for (int k = 0; k < r.count(); k++) {
      int best = -1;
      int bestStart = NodeView.NO_START;
      int bestUnits = Integer.MAX_VALUE;
      for (int d = 0; d < node.deviceCount(); d++) {
        if ((taken & (1L << d)) != 0 || !r.allows(node.model(d))) {
          continue;
        }
        Profile p = node.model(d).profile(r.profile()).orElse(null);
        if (p == null || node.firstFreeStart(d, p) == NodeView.NO_START) {
          continue;
        }
        if (node.freeComputeUnits(d) < bestUnits) {
          best = d;
          bestStart = awareStarts ? bestStart(node, d, p) : node.firstFreeStart(d, p);
          bestUnits = node.freeComputeUnits(d);
        }
      }
      if (best < 0) {
        return false;
      }
      taken |= 1L << best;
      choice.add(best, bestStart);
    }
    choice.sort();
    return true;
  }

  /**
   * The allowed start of {@code p} on device {@code d} that leaves the most placements of larger
   * profiles (more slots, or as many slots and more compute units) possible on the device; ties to
   * the lowest start. -1 for a profile without slots.
   */
  static int bestStart(NodeView node, int d, Profile p) {
    if (p.slots() == 0) {
      return -1;
    }
    DeviceModel model = node.model(d);
    long free = node.freeSlots(d);
    int unitsAfter = node.freeComputeUnits(d) - p.computeUnits();
    long memoryAfter = node.freeDeviceMemoryMiB(d) - p.memoryMiB();
    int best = NodeView.NO_START;
    int bestRoom = -1;
    for (int start : p.starts()) {
      long mask = p.slotMask(start);
      if ((free & mask) != mask) {
        continue;
      }
      long after = free & ~mask;
      int room = 0;
      for (Profile q : model.profiles()) {
        boolean larger = q.slots() > p.slots() || (q.slots() == p.slots() && q.computeUnits() > p.computeUnits());
        if (!larger || q.computeUnits() > unitsAfter || q.memoryMiB() > memoryAfter) {
          continue;
        }
        for (int t : q.starts()) {
          long qm = q.slotMask(t);
          if ((after & qm) == qm) {
            room++;
          }
        }
      }
      if (room > bestRoom) {
        best = start;
        bestRoom = room;
      }
    }
    return best;
  }
}
