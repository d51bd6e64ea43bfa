package io.flexsched.sim.replay;

import io.flexsched.model.InvalidSpecException;
import java.util.Locale;

/**
 * The trace's QoS classes and how the time-driven replay schedules them: latency-sensitive (LS)
 * and Guaranteed pods at high priority and never preempted, best-effort (BE) pods at low priority
 * and preemptible, Burstable pods in between (preemptible by the high class).
 */
public enum QosClass {
  /** Latency-sensitive. */
  LS("LS", 2, false),
  /** Kubernetes Guaranteed. */
  GUARANTEED("Guaranteed", 2, false),
  /** Kubernetes Burstable. */
  BURSTABLE("Burstable", 1, true),
  /** Best effort. */
  BE("BE", 0, true);

  private final String label;
  private final int priority;
  private final boolean preemptible;

  QosClass(String label, int priority, boolean preemptible) {
    this.label = label;
    this.priority = priority;
    this.preemptible = preemptible;
  }

  /** The class as the trace writes it, e.g. {@code Burstable}. */
  public String label() {
    return label;
  }

  /** The priority its tasks are given. */
  public int priority() {
    return priority;
  }

  /** Whether its tasks may be preempted. */
  public boolean preemptible() {
    return preemptible;
  }

  /**
   * The class the trace calls {@code text} (case-insensitive).
   *
   * @throws InvalidSpecException naming the known classes
   */
  public static QosClass of(String text) {
    for (QosClass q : values()) {
      if (q.label.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
        return q;
      }
    }
    throw new InvalidSpecException("qos", "'" + text + "'", "must be one of LS, Guaranteed, Burstable, BE");
  }
}
