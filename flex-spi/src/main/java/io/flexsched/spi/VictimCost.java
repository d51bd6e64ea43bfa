package io.flexsched.spi;

import java.util.Collection;

/**
 * What evicting a set of victims costs, compared lexicographically: fewer victims first, then
 * less resource lost (accelerator compute, then CPU, then memory), then lower priorities (the
 * highest victim priority, then the sum). The order every built-in preemption policy minimises;
 * a custom policy may use it too.
 *
 * @param victims how many tasks are evicted
 * @param gpuMilli accelerator compute they held, in milli
 * @param cpuMilli CPU they held
 * @param memoryMiB host memory they held
 * @param topPriority the highest priority among them ({@link Integer#MIN_VALUE} for none)
 * @param prioritySum the sum of their priorities
 */
public record VictimCost(int victims, long gpuMilli, long cpuMilli, long memoryMiB, int topPriority, long prioritySum)
    implements Comparable<VictimCost> {

  /** The cost of evicting nobody. */
  public static final VictimCost NONE = new VictimCost(0, 0, 0, 0, Integer.MIN_VALUE, 0);

  /** The cost of evicting {@code set}. */
  public static VictimCost of(Collection<Victim> set) {
    long gpu = 0;
    long cpu = 0;
    long memory = 0;
    int top = Integer.MIN_VALUE;
    long sum = 0;
    for (Victim v : set) {
      gpu += v.gpuMilli();
      cpu += v.task().cpuMilli();
      memory += v.task().memoryMiB();
      top = Math.max(top, v.task().priority());
      sum += v.task().priority();
    }
    return new VictimCost(set.size(), gpu, cpu, memory, top, sum);
  }

  /** The cost of evicting {@code victim} alone. */
  public static VictimCost of(Victim victim) {
    return new VictimCost(1, victim.gpuMilli(), victim.task().cpuMilli(), victim.task().memoryMiB(),
        victim.task().priority(), victim.task().priority());
  }

  @Override
  public int compareTo(VictimCost o) {
    int c = Integer.compare(victims, o.victims);
    if (c == 0) {
      c = Long.compare(gpuMilli, o.gpuMilli);
    }
    if (c == 0) {
      c = Long.compare(cpuMilli, o.cpuMilli);
    }
    if (c == 0) {
      c = Long.compare(memoryMiB, o.memoryMiB);
    }
    if (c == 0) {
      c = Integer.compare(topPriority, o.topPriority);
    }
    if (c == 0) {
      c = Long.compare(prioritySum, o.prioritySum);
    }
    return c;
  }

  /** True when this cost is strictly lower than {@code other}. */
  public boolean isBelow(VictimCost other) {
    return compareTo(other) < 0;
  }
}
