package io.flexsched.model;

import org.jspecify.annotations.Nullable;

/**
 * One schedulable unit (a pod): host resources, an accelerator request, and how it competes.
 *
 * @param id unique among live tasks
 * @param cpuMilli CPU in milli-cores
 * @param memoryMiB host memory
 * @param accelerators what it asks of accelerators ({@link AcceleratorRequest#NONE} if nothing)
 * @param priority higher wins
 * @param preemptible whether a higher-priority task may evict it
 * @param queue the queue it is charged to, or null
 * @param gang its gang, or null
 */
public record Task(
    String id,
    long cpuMilli,
    long memoryMiB,
    AcceleratorRequest accelerators,
    int priority,
    boolean preemptible,
    @Nullable String queue,
    @Nullable Gang gang) {

  public Task {
    Checks.name("task.id", id);
    Checks.atLeast("cpuMilli", cpuMilli, 0);
    Checks.atLeast("memoryMiB", memoryMiB, 0);
    if (accelerators == null) {
      throw new InvalidSpecException("task " + id + " accelerators", "null", "must not be null (use AcceleratorRequest.NONE)");
    }
    if (queue != null) {
      Checks.name("queue", queue);
    }
  }

  /** A builder for a task called {@code id}; defaults: no resources, priority 0, preemptible. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder holding this task's values. */
  public Builder toBuilder() {
    return new Builder(id)
        .cpuMilli(cpuMilli).memoryMiB(memoryMiB).accelerators(accelerators)
        .priority(priority).preemptible(preemptible).queue(queue).gang(gang);
  }

  /** Builds a {@link Task}; validation happens in {@link #build()}. */
  public static final class Builder {
    private String id;
    private long cpuMilli;
    private long memoryMiB;
    private AcceleratorRequest accelerators = AcceleratorRequest.NONE;
    private int priority;
    private boolean preemptible = true;
    private @Nullable String queue;
    private @Nullable Gang gang;

    private Builder(String id) {
      this.id = id;
    }

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder cpuMilli(long value) {
      this.cpuMilli = value;
      return this;
    }

    public Builder memoryMiB(long value) {
      this.memoryMiB = value;
      return this;
    }

    public Builder accelerators(AcceleratorRequest value) {
      this.accelerators = value;
      return this;
    }

    public Builder priority(int value) {
      this.priority = value;
      return this;
    }

    public Builder preemptible(boolean value) {
      this.preemptible = value;
      return this;
    }

    public Builder queue(@Nullable String value) {
      this.queue = value;
      return this;
    }

    public Builder gang(@Nullable Gang value) {
      this.gang = value;
      return this;
    }

    public Task build() {
      return new Task(id, cpuMilli, memoryMiB, accelerators, priority, preemptible, queue, gang);
    }
  }
}
