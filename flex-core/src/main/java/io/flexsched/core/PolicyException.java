package io.flexsched.core;

import org.jspecify.annotations.Nullable;

/**
 * An extension (a scoring or preemption policy, a hardware provider's device rules, a
 * fragmentation measure) failed or answered something the engine cannot use: it threw, scored a
 * node with a number that is not finite, chose devices that do not fit, or named victims that are
 * not candidates. The operation that asked changed nothing, and the engine keeps serving requests
 * that do not need the failing extension.
 */
public final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String extension;
  private final @Nullable String node;
  private final @Nullable String task;

  /**
   * @param extension what failed, e.g. {@code scoring policy 'fgd'}
   * @param node the node it was asked about, or null
   * @param task the task it was asked about, or null
   * @param problem what went wrong
   * @param cause what it threw, or null when it answered nonsense
   */
  public PolicyException(String extension, @Nullable String node, @Nullable String task, String problem,
      @Nullable Throwable cause) {
    super(extension + (task == null ? "" : " for task " + task) + (node == null ? "" : " on node " + node) + ": " + problem,
        cause);
    this.extension = extension;
    this.node = node;
    this.task = task;
  }

  /** What failed, e.g. {@code scoring policy 'fgd'} or {@code device rules of huawei}. */
  public String extension() {
    return extension;
  }

  /** The node it was asked about, or null. */
  public @Nullable String node() {
    return node;
  }

  /** The task it was asked about, or null. */
  public @Nullable String task() {
    return task;
  }
}
