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
  PROFILES,
  /**
   * Weighted time-slicing (Flex:ai's Ascend NPU time slices): a task asks a quota, its guaranteed
   * share of the device's time in milli (a multiple of the model's granularity), and a weight,
   * by which time that no quota guarantees, or that a resident leaves idle, is divided; plus a
   * memory quota. The quotas on one device never sum above 1000. A plain compute share placed on
   * such a device is a time slice of its milli with weight 1.
   */
  TIME_SLICED
}
