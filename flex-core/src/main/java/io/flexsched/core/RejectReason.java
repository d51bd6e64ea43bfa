package io.flexsched.core;

/** Why a node was ruled out for a task. Each has a stable kebab-case name for reports. */
public enum RejectReason {
  /** Not enough free CPU. */
  INSUFFICIENT_CPU("insufficient-cpu"),
  /** Not enough free host memory. */
  INSUFFICIENT_MEMORY("insufficient-memory"),
  /** The task wants devices and the node has none. */
  NO_DEVICES("no-devices"),
  /** No device on the node is of an allowed model that can serve the request's kind of share or profile. */
  MODEL_MISMATCH("model-mismatch"),
  /** Fewer devices of an allowed model than the task asks for, even if all were free. */
  INSUFFICIENT_DEVICE_COUNT("insufficient-gpu-count"),
  /** Enough devices of an allowed model, but too few with enough free share, memory or slots. */
  INSUFFICIENT_DEVICE_SHARE("insufficient-gpu"),
  /** The node's devices are not linked closely enough for the task's minimum link score. */
  LINK_SCORE("link-score"),
  /**
   * Enough free devices, but no set of them that the hardware's rules allow (an Ascend request
   * for 3 NPUs, or 2 free NPUs in different rings, say).
   */
  DEVICE_RULES("device-rules"),
  /** The node lies outside the topology domain the task's gang is bound to. */
  TOPOLOGY("topology"),
  /** The task's queue may not take it now (its limit, or for a non-preemptible task its guarantee): every node counts. */
  QUOTA("quota"),
  /** The node is fenced: it keeps its tasks but takes no new ones. */
  FENCED("fenced"),
  /** The node lacks a label of the task's node selector, or has another value for it. */
  NODE_SELECTOR("node-selector"),
  /** The node has a taint the task does not tolerate. */
  TAINT("taint"),
  /**
   * The node is outside every set of network domains linked well enough for the task's gang (its
   * minimum bandwidth), or outside the set being tried.
   */
  BANDWIDTH("bandwidth"),
  /**
   * The node would take the task, but no single NUMA node of it holds the task's devices and its
   * CPU together, as the task's {@code numa: required} asks.
   */
  NUMA("numa");

  private final String label;

  RejectReason(String label) {
    this.label = label;
  }

  /** The reason's stable kebab-case name, e.g. {@code insufficient-gpu}. */
  public String label() {
    return label;
  }
}
