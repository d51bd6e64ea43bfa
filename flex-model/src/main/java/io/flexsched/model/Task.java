package io.flexsched.model;

import java.util.List;
import java.util.Map;
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
 * @param nodeSelector labels a node must carry, each with the given value, to take the task
 * @param tolerations the node taints the task accepts (see {@link #mayRunOn(Node)})
 * @param numa whether its devices and its CPU must, may or need not come from one NUMA node
 */
public record Task(
    String id,
    long cpuMilli,
    long memoryMiB,
    AcceleratorRequest accelerators,
    int priority,
    boolean preemptible,
    @Nullable String queue,
    @Nullable Gang gang,
    Map<String, String> nodeSelector,
    List<Task.Toleration> tolerations,
    Task.Numa numa) {

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
    nodeSelector = Checks.copyLabels("task " + id + " nodeSelector", nodeSelector);
    tolerations = Checks.copy("task " + id + " tolerations", tolerations);
    if (numa == null) {
      throw new InvalidSpecException("task " + id + " numa", "null", "must not be null (use Numa.NONE)");
    }
    if (numa == Numa.REQUIRED && accelerators.remote() != null) {
      throw new InvalidSpecException("task " + id + " numa", "required",
          "cannot be combined with remote devices (a remote device is on no NUMA node of the task's host)");
    }
  }

  /** A task without NUMA affinity (the form before NUMA affinity was modelled). */
  public Task(String id, long cpuMilli, long memoryMiB, AcceleratorRequest accelerators, int priority,
      boolean preemptible, @Nullable String queue, @Nullable Gang gang, Map<String, String> nodeSelector,
      List<Task.Toleration> tolerations) {
    this(id, cpuMilli, memoryMiB, accelerators, priority, preemptible, queue, gang, nodeSelector, tolerations, Numa.NONE);
  }

  /**
   * NUMA affinity (the kubelet topology manager's single-numa-node policy, per task): on a node
   * that declares NUMA nodes ({@link Node#numa()}), a task with affinity takes all its devices
   * from one NUMA node and pins its CPU to that NUMA node's share. A node without a NUMA layout
   * takes such a task as it takes any other.
   */
  public enum Numa {
    /** No affinity: CPU from the node's shared pool, devices from anywhere on the node. */
    NONE,
    /** Affinity when some node can give it; otherwise placed as {@link #NONE}. */
    PREFERRED,
    /** Affinity or nothing: on a node with NUMA nodes, one NUMA node must hold it. */
    REQUIRED
  }

  /**
   * Whether the task may go to {@code node} at all, whatever is free there: the node carries every
   * label of the {@link #nodeSelector} and the task tolerates every one of its taints.
   */
  public boolean mayRunOn(Node node) {
    return selects(node) && toleratesAll(node);
  }

  /** Whether {@code node} carries every label of the {@link #nodeSelector}. */
  public boolean selects(Node node) {
    for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
      if (!e.getValue().equals(node.labels().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the task tolerates every taint of {@code node}. */
  public boolean toleratesAll(Node node) {
    for (Node.Taint taint : node.taints()) {
      if (!tolerates(taint)) {
        return false;
      }
    }
    return true;
  }

  private boolean tolerates(Node.Taint taint) {
    for (Toleration t : tolerations) {
      if (t.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Accepts the node taints it matches (Kubernetes' toleration, with the operator and effect
   * resolved by the embedder): a null key matches every key, a null value every value
   * ({@code Exists}), a null effect every effect.
   *
   * @param key the taint key it matches, or null for every taint (then the value must be null too)
   * @param value the taint value it matches, or null for any
   * @param effect the taint effect it matches, or null for any
   */
  public record Toleration(@Nullable String key, @Nullable String value, @Nullable String effect) {
    public Toleration {
      if (key != null) {
        Checks.name("toleration.key", key);
      } else if (value != null) {
        throw new InvalidSpecException("toleration.value", "'" + value + "'", "must be null when the key is (a toleration of every taint)");
      }
    }

    /** Tolerates every taint with this key, whatever its value and effect. */
    public static Toleration exists(String key) {
      return new Toleration(key, null, null);
    }

    /** Whether this toleration accepts {@code taint}. */
    public boolean tolerates(Node.Taint taint) {
      return (key == null || key.equals(taint.key()))
          && (value == null || value.equals(taint.value()))
          && (effect == null || effect.equals(taint.effect()));
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
        .priority(priority).preemptible(preemptible).queue(queue).gang(gang)
        .nodeSelector(nodeSelector).tolerations(tolerations).numa(numa);
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
    private Map<String, String> nodeSelector = Map.of();
    private List<Toleration> tolerations = List.of();
    private Numa numa = Numa.NONE;

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

    public Builder nodeSelector(Map<String, String> value) {
      this.nodeSelector = value;
      return this;
    }

    public Builder tolerations(List<Toleration> value) {
      this.tolerations = value;
      return this;
    }

    /** NUMA affinity; default {@link Numa#NONE}. */
    public Builder numa(Numa value) {
      this.numa = value;
      return this;
    }

    public Task build() {
      return new Task(id, cpuMilli, memoryMiB, accelerators, priority, preemptible, queue, gang, nodeSelector, tolerations, numa);
    }
  }
}
