package io.flexsched.model;

/**
 * A quantity a device publishes and a placement consumes, after the Kubernetes DRA
 * partitionable-device model: every sharing mode is expressed as counters.
 */
public enum Counter {
  /** Compute share in milli; 1000 is one whole device. */
  COMPUTE_MILLI,
  /** Device memory in MiB. */
  MEMORY_MIB,
  /** How many tenants may still share the device. */
  SHARERS,
  /** Compute units of a profile-partitioned device (MIG: 7; Ascend 910B3: 20 AI cores). */
  COMPUTE_UNITS,
  /** Memory slots of a profile-partitioned device with placement geometry (MIG: 8). */
  SLOTS
}
