package io.flexsched.core;

import io.flexsched.model.InvalidSpecException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A queue's share of the cluster: what it is guaranteed, the most it may hold, and its weight in
 * fair sharing. Use above the guarantee (up to the limit) is borrowed: only preemptible tasks
 * may borrow, and a queue that needs its guarantee back reclaims borrowed resources from other
 * queues. A resource the queue does not govern has an {@link Resources#UNBOUNDED} guarantee and
 * limit.
 *
 * @param name the queue's name, which tasks give as {@link io.flexsched.model.Task#queue()}
 * @param guaranteed what the queue can always get back
 * @param limit the most the queue may hold; at least the guarantee in every component
 * @param weight its weight in dominant-resource fair sharing, positive
 */
public record QueueSpec(String name, Resources guaranteed, Resources limit, double weight) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

  public QueueSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidSpecException("queue.name", "'" + name + "'",
          "must start with a letter or digit and hold only letters, digits, '.', '_', '/' and '-'");
    }
    if (guaranteed.gpuMilli() > limit.gpuMilli()) {
      throw new InvalidSpecException("queue " + name + " guaranteedGpus", gpus(guaranteed.gpuMilli()),
          "must be at most limitGpus " + gpus(limit.gpuMilli()));
    }
    if (guaranteed.cpuMilli() > limit.cpuMilli()) {
      throw new InvalidSpecException("queue " + name + " guaranteedCpuMilli", guaranteed.cpuMilli(),
          "must be at most limitCpuMilli " + limit.cpuMilli());
    }
    if (guaranteed.memoryMiB() > limit.memoryMiB()) {
      throw new InvalidSpecException("queue " + name + " guaranteedMemoryMiB", guaranteed.memoryMiB(),
          "must be at most limitMemoryMiB " + limit.memoryMiB());
    }
    if (!(weight > 0 && Double.isFinite(weight))) {
      throw new InvalidSpecException("queue " + name + " weight", weight, "must be a positive number");
    }
  }

  private static String gpus(long milli) {
    return milli == Resources.UNBOUNDED ? "unbounded" : Double.toString(milli / 1000.0);
  }

  /** A builder for a queue called {@code name}: no guarantee, no limit, weight 1. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** True when the queue holds more than its guarantee of some resource it governs. */
  public boolean borrowing(Resources usage) {
    return !usage.within(guaranteed);
  }

  /**
   * Builds a {@link QueueSpec}. GPUs are always governed (guarantee 0 and no limit unless set);
   * CPU and memory only when a guarantee or a limit is set for them (a limit alone gives a
   * guarantee of 0, a guarantee alone no limit).
   */
  public static final class Builder {
    private final String name;
    private long guaranteedGpu;
    private long limitGpu = Resources.UNBOUNDED;
    private @Nullable Long guaranteedCpu;
    private @Nullable Long limitCpu;
    private @Nullable Long guaranteedMemory;
    private @Nullable Long limitMemory;
    private double weight = 1;

    private Builder(String name) {
      this.name = name;
    }

    /** The guaranteed accelerator compute, in milli (1000 = one device). */
    public Builder guaranteedGpuMilli(long milli) {
      this.guaranteedGpu = nonNegative("guaranteedGpus", milli);
      return this;
    }

    /** The limit of accelerator compute, in milli. */
    public Builder limitGpuMilli(long milli) {
      this.limitGpu = nonNegative("limitGpus", milli);
      return this;
    }

    /** The guaranteed CPU, in milli-cores. */
    public Builder guaranteedCpuMilli(long milli) {
      this.guaranteedCpu = nonNegative("guaranteedCpuMilli", milli);
      return this;
    }

    /** The limit of CPU, in milli-cores. */
    public Builder limitCpuMilli(long milli) {
      this.limitCpu = nonNegative("limitCpuMilli", milli);
      return this;
    }

    /** The guaranteed host memory, in MiB. */
    public Builder guaranteedMemoryMiB(long mib) {
      this.guaranteedMemory = nonNegative("guaranteedMemoryMiB", mib);
      return this;
    }

    /** The limit of host memory, in MiB. */
    public Builder limitMemoryMiB(long mib) {
      this.limitMemory = nonNegative("limitMemoryMiB", mib);
      return this;
    }

    /** The weight in fair sharing (default 1). */
    public Builder weight(double value) {
      this.weight = value;
      return this;
    }

    private long nonNegative(String field, long value) {
      if (value < 0) {
        throw new InvalidSpecException("queue " + name + " " + field, value, "must be at least 0");
      }
      return value;
    }

    public QueueSpec build() {
      long gc = guaranteedCpu != null ? guaranteedCpu : limitCpu != null ? 0 : Resources.UNBOUNDED;
      long lc = limitCpu != null ? limitCpu : Resources.UNBOUNDED;
      long gm = guaranteedMemory != null ? guaranteedMemory : limitMemory != null ? 0 : Resources.UNBOUNDED;
      long lm = limitMemory != null ? limitMemory : Resources.UNBOUNDED;
      return new QueueSpec(name, new Resources(guaranteedGpu, gc, gm), new Resources(limitGpu, lc, lm), weight);
    }
  }
}
