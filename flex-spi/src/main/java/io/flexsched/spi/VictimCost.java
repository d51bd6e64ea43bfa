package io.flexsched.spi;

import io.flexsched.model.Task;
import java.util.Collection;

/**
 * What evicting a set of victims costs, compared lexicographically: fewer victims first (a placed
 * gang counts as one), then less resource lost (accelerator compute, then CPU, then memory), then
 * lower priorities (the highest victim priority, then the sum, over every evicted task). The order
 * every built-in preemption policy minimises; a custom policy may use it too.
 *
 * @param victims how many victims are evicted (a gang is one)
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
      cpu += v.cpuMilli();
      memory += v.memoryMiB();
      for (Task t : v.members()) {
        top = Math.max(top, t.priority());
        sum += t.priority();
      }
    }
    return new VictimCost(set.size(), gpu, cpu, memory, top, sum);
  }

  /** The cost of evicting {@code victim} alone (a gang is one victim, with all its members' resources). */
  public static VictimCost of(Victim victim) {
    long sum = 0;
    for (Task t : victim.members()) {
      sum += t.priority();
    }
    return new VictimCost(1, victim.gpuMilli(), victim.cpuMilli(), victim.memoryMiB(), victim.priority(), sum);
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
