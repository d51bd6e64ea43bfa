package io.flexsched.spi;

import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.WorkloadDistribution;

/**
 * What a provider may use to build a policy for one engine.
 *
 * @param seed the engine's seed
 * @param workload the target workload distribution; {@link WorkloadDistribution#EMPTY} when none
 *     was given
 * @param catalogue the device models the engine knows
 * @param fragmentation the fragmentation measure the engine reports, which fragmentation-aware
 *     policies minimise (by default {@link FragmentationMeasure#of} the workload)
 */
public record PolicyContext(long seed, WorkloadDistribution workload, DeviceCatalogue catalogue,
    FragmentationMeasure fragmentation) {

  /** A context whose fragmentation measure is the FGD paper's, over {@code workload}. */
  public PolicyContext(long seed, WorkloadDistribution workload, DeviceCatalogue catalogue) {
    this(seed, workload, catalogue, FragmentationMeasure.of(workload));
  }
}
