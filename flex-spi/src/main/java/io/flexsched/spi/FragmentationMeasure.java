package io.flexsched.spi;

/**
 * How much of a node's free accelerator compute a target workload cannot use: the quantity a
 * fragmentation-aware policy keeps small.
 */
public interface FragmentationMeasure {
  /** The measure's name. */
  String name();

  /** The node's fragmented compute, in milli of a device (0 = none, up to its free compute). */
  double fragmentation(NodeView node);
}
