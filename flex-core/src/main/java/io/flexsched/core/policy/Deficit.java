package io.flexsched.core.policy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.Victim;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * What one node lacks for one preemptor, taken from a snapshot of the node before any eviction,
 * and the necessary conditions on victims it gives, so that sets that cannot make room need not
 * be probed: enough CPU and memory freed, and enough devices that could then each host one
 * device's worth of the request (a whole device once every task on it is evicted; a share once
 * enough compute, memory and a sharer are free). Profile requests are checked by total compute
 * only. A gang victim's CPU, memory and compute count whole, wherever its members run: a looser bound, never
 * a wrong one. The conditions never rule out a set that would fit.
 */
final class Deficit {
  private final String node;
  private final AcceleratorRequest request;
  private final long cpu;
  private final long memory;
  private final long gpu;
  private final boolean[] usable;
  private final int[] freeMilli;
  private final long[] freeMemory;
  private final long[] freeSharers;
  private final long[] tenants;

  private Deficit(Task task, NodeView view) {
    this.node = view.spec().name();
    this.request = task.accelerators();
    this.cpu = task.cpuMilli() - view.freeCpuMilli();
    this.memory = task.memoryMiB() - view.freeMemoryMiB();
    int n = view.deviceCount();
    usable = new boolean[n];
    freeMilli = new int[n];
    freeMemory = new long[n];
    freeSharers = new long[n];
    tenants = new long[n];
    long free = 0;
    for (int d = 0; d < n; d++) {
      DeviceModel m = view.model(d);
      usable[d] = serves(m, request);
      freeMilli[d] = view.freeMilli(d);
      freeMemory[d] = view.freeDeviceMemoryMiB(d);
      freeSharers[d] = view.freeSharers(d);
      tenants[d] = (long) m.maxSharers() - view.freeSharers(d);
      if (request.allows(m)) {
        free += view.freeMilli(d);
      }
    }
    // A profile's share of a device depends on the model; leave its compute to the probe.
    this.gpu = request.count() > 0 && request.profile() == null ? request.totalMilli() - free : 0;
  }

  /** What {@code node} lacks for {@code task}, as it stands. */
  static Deficit of(Task task, NodeView node) {
    return new Deficit(task, node);
  }

  /** Whether a device of {@code m} could ever host one device's worth of {@code r} (as the engine's filter has it). */
  private static boolean serves(DeviceModel m, AcceleratorRequest r) {
    return r.count() > 0 && r.couldBeServedBy(m);
  }

  /** True when evicting {@code victims} could make room: the probe decides the rest. */
  boolean coveredBy(Collection<Victim> victims) {
    long c = 0;
    long m = 0;
    long g = 0;
    int n = usable.length;
    int[] addMilli = new int[n];
    long[] addMemory = new long[n];
    long[] evicted = new long[n];
    for (Victim v : victims) {
      c += v.cpuMilli();
      m += v.memoryMiB();
      g += v.gpuMilli();
      for (Assignment a : v.assignments()) {
        // Slices free devices where they are: a remote victim's are on its device node.
        if (a.deviceNode().equals(node)) {
          for (Slice s : a.slices()) {
            if (s.device() < n) {
              addMilli[s.device()] += s.milli();
              addMemory[s.device()] += s.memoryMiB();
              evicted[s.device()]++;
            }
          }
        }
      }
    }
    if (c < cpu || m < memory || g < gpu) {
      return false;
    }
    if (request.count() == 0 || request.profile() != null) {
      return true;
    }
    boolean whole = request.milliPerDevice() == DeviceModel.WHOLE_MILLI;
    int hostable = 0;
    for (int d = 0; d < n; d++) {
      if (!usable[d]) {
        continue;
      }
      boolean hosts = whole
          ? tenants[d] == evicted[d]
          : freeMilli[d] + addMilli[d] >= request.milliPerDevice()
              && freeMemory[d] + addMemory[d] >= request.memoryMiBPerDevice()
              && freeSharers[d] + evicted[d] > 0;
      if (hosts) {
        hostable++;
      }
    }
    return hostable >= request.count();
  }

  /**
   * The fewest victims of {@code candidates} that could free what is lacking, by each resource
   * alone; {@link Integer#MAX_VALUE} when even all of them could not.
   */
  int minVictims(List<Victim> candidates) {
    int n = candidates.size();
    long[] c = new long[n];
    long[] m = new long[n];
    long[] g = new long[n];
    for (int i = 0; i < n; i++) {
      Victim v = candidates.get(i);
      c[i] = v.cpuMilli();
      m[i] = v.memoryMiB();
      g[i] = v.gpuMilli();
    }
    return Math.max(fewest(c, cpu), Math.max(fewest(m, memory), fewest(g, gpu)));
  }

  private static int fewest(long[] values, long need) {
    if (need <= 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    long sum = 0;
    for (int k = 1; k <= sorted.length; k++) {
      sum += sorted[sorted.length - k];
      if (sum >= need) {
        return k;
      }
    }
    return Integer.MAX_VALUE;
  }

  /** What is lacking of CPU, memory and compute, for the branch and bound's coverage bound. */
  long[] needs() {
    return new long[] {cpu, memory, gpu};
  }
}
