package io.flexsched.core;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;

/**
 * An amount of the three resources queues account for: accelerator compute (milli, 1000 = one
 * device), CPU (milli-cores) and host memory (MiB). {@link #UNBOUNDED} in a component means "no
 * bound": sums saturate at it and differences leave it unbounded.
 *
 * @param gpuMilli accelerator compute
 * @param cpuMilli CPU
 * @param memoryMiB host memory
 */
public record Resources(long gpuMilli, long cpuMilli, long memoryMiB) {
  /** A component without a bound. */
  public static final long UNBOUNDED = Long.MAX_VALUE;
  /** Nothing. */
  public static final Resources ZERO = new Resources(0, 0, 0);
  /** No bound on anything. */
  public static final Resources UNLIMITED = new Resources(UNBOUNDED, UNBOUNDED, UNBOUNDED);

  public Resources {
    if (gpuMilli < 0 || cpuMilli < 0 || memoryMiB < 0) {
      throw new InvalidSpecException("resources", gpuMilli + "/" + cpuMilli + "/" + memoryMiB,
          "must not be negative (gpuMilli/cpuMilli/memoryMiB)");
    }
  }

  /** What {@code task} asks for: its devices' compute, its CPU and its memory. */
  public static Resources of(Task task) {
    return new Resources(task.accelerators().totalMilli(), task.cpuMilli(), task.memoryMiB());
  }

  /** The sum, saturating at {@link #UNBOUNDED}. */
  public Resources plus(Resources o) {
    return new Resources(add(gpuMilli, o.gpuMilli), add(cpuMilli, o.cpuMilli), add(memoryMiB, o.memoryMiB));
  }

  /**
   * The difference; an unbounded component stays unbounded.
   *
   * @throws IllegalStateException when a bounded component would go below zero
   */
  public Resources minus(Resources o) {
    return new Resources(sub(gpuMilli, o.gpuMilli), sub(cpuMilli, o.cpuMilli), sub(memoryMiB, o.memoryMiB));
  }

  /** True when no component exceeds {@code bound}'s. */
  public boolean within(Resources bound) {
    return gpuMilli <= bound.gpuMilli && cpuMilli <= bound.cpuMilli && memoryMiB <= bound.memoryMiB;
  }

  /** True when every component is at least {@code other}'s. */
  public boolean covers(Resources other) {
    return other.within(this);
  }

  private static long add(long a, long b) {
    return a == UNBOUNDED || b == UNBOUNDED || a > UNBOUNDED - b ? UNBOUNDED : a + b;
  }

  private static long sub(long a, long b) {
    if (a == UNBOUNDED) {
      return UNBOUNDED;
    }
    if (b > a) {
      throw new IllegalStateException("resources would go negative: " + a + " - " + b);
    }
    return a - b;
  }

  @Override
  public String toString() {
    return "{gpuMilli=" + text(gpuMilli) + ", cpuMilli=" + text(cpuMilli) + ", memoryMiB=" + text(memoryMiB) + "}";
  }

  private static String text(long v) {
    return v == UNBOUNDED ? "unbounded" : Long.toString(v);
  }
}
