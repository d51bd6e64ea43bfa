package io.flexsched.core.policy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.Victim;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * What one node lacks for one preemptor, per resource (CPU, memory, accelerator compute on
 * devices of allowed models), and the necessary conditions on victims it gives: a set of victims
 * that does not free that much cannot make the preemptor fit, so it need not be probed.
 *
 * <p>Each victim is credited with everything it holds, as if all of it were usable, so the
 * conditions never rule out a set that would fit.
 */
final class Deficit {
  private final long cpu;
  private final long memory;
  private final long gpu;

  private Deficit(long cpu, long memory, long gpu) {
    this.cpu = cpu;
    this.memory = memory;
    this.gpu = gpu;
  }

  /** What {@code node} lacks for {@code task}, as it stands. */
  static Deficit of(Task task, NodeView node) {
    AcceleratorRequest r = task.accelerators();
    long gpu = 0;
    // A profile's share of a device depends on the model; leave it to the probe.
    if (r.count() > 0 && r.profile() == null) {
      long free = 0;
      for (int d = 0; d < node.deviceCount(); d++) {
        if (r.allows(node.model(d))) {
          free += node.freeMilli(d);
        }
      }
      gpu = r.totalMilli() - free;
    }
    return new Deficit(task.cpuMilli() - node.freeCpuMilli(), task.memoryMiB() - node.freeMemoryMiB(), gpu);
  }

  /** True when {@code victims} together free at least what is lacking. */
  boolean coveredBy(Collection<Victim> victims) {
    long c = 0;
    long m = 0;
    long g = 0;
    for (Victim v : victims) {
      c += v.task().cpuMilli();
      m += v.task().memoryMiB();
      g += v.gpuMilli();
    }
    return c >= cpu && m >= memory && g >= gpu;
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
      c[i] = v.task().cpuMilli();
      m[i] = v.task().memoryMiB();
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
