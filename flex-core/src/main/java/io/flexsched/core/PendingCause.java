package io.flexsched.core;

/** Why a task of a {@link SchedulingQueue} is still pending. Each has a stable kebab-case name. */
public enum PendingCause {
  /** Submitted (or preempted) since the last scheduling pass, so not tried yet. */
  NOT_TRIED("not-tried"),
  /** No node can take it, and no victims the rules allow would make room. */
  NO_FIT("no-fit"),
  /** Its queue would go above its limit. */
  QUEUE_LIMIT("queue-limit"),
  /** It is not preemptible, so it may not borrow, and its queue would go above its guarantee. */
  QUEUE_GUARANTEE("queue-guarantee"),
  /** Strict FIFO: a task ahead of it in its queue could not be placed. */
  BLOCKED("blocked"),
  /** The only node it would take is reserved for a task that has waited longer. */
  RESERVED("reserved");

  private final String label;

  PendingCause(String label) {
    this.label = label;
  }

  /** The cause's stable kebab-case name, e.g. {@code queue-limit}. */
  public String label() {
    return label;
  }
}
