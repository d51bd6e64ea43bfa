package io.flexsched.model;

/** How one physical device can be shared between tasks. */
public enum SharingMode {
  /** Only whole devices are handed out. */
  WHOLE,
  /**
   * Any share of compute (in milli, a multiple of the model's granularity) plus a memory quota,
   * time-sliced between tenants (HAMi / Flex:ai-style virtual devices).
   */
  FRACTIONAL,
  /**
   * Fixed partitions (NVIDIA MIG profiles, Ascend vNPU templates): a profile consumes compute
   * units and memory, and, where the model has slots, a contiguous run of slots at an allowed
   * start.
   */
  PROFILES
}
