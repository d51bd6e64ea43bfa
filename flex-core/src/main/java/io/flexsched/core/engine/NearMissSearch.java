package io.flexsched.core.engine;

import io.flexsched.core.Explanation;
import io.flexsched.core.RejectReason;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Explanations: every live node filtered for a task, counted by reason, and the rejecting node
 * that comes closest to taking it (see {@link Explanation.NearMiss} for the measure). Read-only.
 * A node rejected for NUMA affinity alone is measured on its closest NUMA node.
 */
final class NearMissSearch {
  private static final String[] LACKS = {"cpuMilli", "memoryMiB", "gpus", "gpuMilli", "gpuMemoryMiB", "computeUnits"};
  private static final int GPUS = 2;
  private static final int GPU_MILLI = 3;
  private static final int GPU_MEMORY = 4;
  private static final int UNITS = 5;

  private final ClusterState state;
  private final Filter filter;
  private final long[] lacks = new long[LACKS.length];
  private double[] fractions = new double[8];
  private long[] compute = new long[8];
  private long[] memory = new long[8];
  private int[] order = new int[8];

  NearMissSearch(ClusterState state, Filter filter) {
    this.state = state;
    this.filter = filter;
  }

  Explanation explain(Task task) {
    Attempt a = new Attempt(task, state, null, null);
    int[] rejected = new int[RejectReason.values().length];
    int fitting = 0;
    int nearest = -1;
    RejectReason nearestWhy = null;
    int nearestNuma = -1;
    double nearestDistance = Double.POSITIVE_INFINITY;
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (!state.isLive(n)) {
        continue;
      }
      RejectReason why = filter.reject(n, a);
      if (why == null) {
        fitting++;
        continue;
      }
      rejected[why.ordinal()]++;
      if (why == RejectReason.NODE_SELECTOR || why == RejectReason.TAINT) {
        // No amount of freed capacity brings the task there.
        continue;
      }
      int numa = why == RejectReason.NUMA ? closestNuma(n, a) : -1;
      double d = shortfall(n, a, numa);
      if (d < nearestDistance) {
        nearest = n;
        nearestWhy = why;
        nearestNuma = numa;
        nearestDistance = d;
      }
    }
    Explanation.NearMiss miss = null;
    if (nearest >= 0) {
      shortfall(nearest, a, nearestNuma);
      var named = new LinkedHashMap<String, Long>();
      for (int i = 0; i < LACKS.length; i++) {
        if (lacks[i] > 0) {
          named.put(LACKS[i], lacks[i]);
        }
      }
      miss = new Explanation.NearMiss(state.spec(nearest).name(), nearestWhy, named, nearestDistance);
    }
    return new Explanation(task, fitting, Filter.reasonMap(rejected), miss);
  }

  /** The NUMA node of node {@code n} closest to taking the task (lowest on a tie). */
  private int closestNuma(int n, Attempt a) {
    int closest = 0;
    double distance = Double.POSITIVE_INFINITY;
    for (int k = 0; k < state.numa.count(n); k++) {
      double d = shortfall(n, a, k);
      if (d < distance) {
        closest = k;
        distance = d;
      }
    }
    return closest;
  }

  /**
   * How far node {@code n} is from taking the task, with its CPU and devices from NUMA node
   * {@code numa} (-1: from anywhere on the node); what it lacks goes to {@link #lacks}, indexed as
   * {@link #LACKS}.
   */
  private double shortfall(int n, Attempt a, int numa) {
    Task task = a.task;
    AcceleratorRequest r = a.request;
    Arrays.fill(lacks, 0);
    double distance = 0;
    long cpuFree = numa < 0 ? state.cpuFree[n] : Math.min(state.cpuFree[n], state.numa.unpinned(n, numa));
    lacks[0] = Math.max(0, task.cpuMilli() - cpuFree);
    lacks[1] = Math.max(0, task.memoryMiB() - state.memFree[n]);
    if (task.cpuMilli() > 0) {
      distance += (double) lacks[0] / task.cpuMilli();
    }
    if (task.memoryMiB() > 0) {
      distance += (double) lacks[1] / task.memoryMiB();
    }
    int need = r.count();
    if (need == 0) {
      return distance;
    }
    int base = state.devStart[n];
    int count = state.devCount[n];
    grow(count);
    int hostable = 0;
    int candidates = 0;
    for (int g = base; g < base + count; g++) {
      int m = state.modelId[g];
      if (!a.compatible[m] || (numa >= 0 && state.numa.of(n, g - base) != numa)) {
        continue;
      }
      if (state.hostsNow(g, r, a.profiles[m])) {
        hostable++;
        continue;
      }
      deviceShortfall(g, r, a.profiles[m], candidates++);
    }
    int missing = need - hostable;
    if (missing <= 0) {
      return distance;
    }
    sortByFraction(candidates);
    double devices = 0;
    for (int i = 0; i < missing; i++) {
      if (i < candidates) {
        int c = order[i];
        devices += fractions[c];
        lacks[r.profile() != null ? UNITS : GPU_MILLI] += compute[c];
        lacks[GPU_MEMORY] += memory[c];
      } else {
        devices += 1;
      }
    }
    lacks[GPUS] = missing;
    return distance + devices / need;
  }

  /**
   * For device slot {@code g}, compatible with {@code r} but unable to host it now, as candidate
   * {@code c}: the fraction of one device's worth it lacks (1 when it is blocked by its sharer
   * limit, by being given whole, or by its slot layout alone), then the compute (milli or units)
   * and memory it lacks.
   */
  private void deviceShortfall(int g, AcceleratorRequest r, @Nullable Profile profile, int c) {
    double fraction;
    long lackCompute;
    long lackMemory;
    if (profile != null) {
      lackCompute = Math.max(0, profile.computeUnits() - state.unitsFree[g]);
      lackMemory = Math.max(0, profile.memoryMiB() - state.dmemFree[g]);
      fraction = Math.max((double) lackCompute / Math.max(1, profile.computeUnits()),
          (double) lackMemory / Math.max(1, profile.memoryMiB()));
    } else {
      lackCompute = Math.max(0, r.milliPerDevice() - state.milliFree[g]);
      lackMemory = Math.max(0, r.memoryMiBPerDevice() - state.dmemFree[g]);
      fraction = Math.max((double) lackCompute / r.milliPerDevice(),
          r.memoryMiBPerDevice() > 0 ? (double) lackMemory / r.memoryMiBPerDevice() : 0);
    }
    boolean blocked = state.tenants[g] >= state.model[g].maxSharers()
        || (profile == null && r.milliPerDevice() == DeviceModel.WHOLE_MILLI && state.tenants[g] > 0);
    if (fraction == 0 || blocked) {
      fraction = 1;
    }
    fractions[c] = Math.min(1, fraction);
    compute[c] = lackCompute;
    memory[c] = lackMemory;
    order[c] = c;
  }

  /** Orders the first {@code k} candidates by fraction lacked, stably (insertion sort: k is at most 64). */
  private void sortByFraction(int k) {
    for (int i = 1; i < k; i++) {
      int c = order[i];
      int j = i - 1;
      while (j >= 0 && fractions[order[j]] > fractions[c]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = c;
    }
  }

  private void grow(int count) {
    if (fractions.length < count) {
      fractions = new double[count];
      compute = new long[count];
      memory = new long[count];
      order = new int[count];
    }
  }
}
