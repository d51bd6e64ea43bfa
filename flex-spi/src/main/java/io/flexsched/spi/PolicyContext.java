package io.flexsched.spi;

import io.flexsched.model.DeviceCatalogue;

/**
 * What a {@link ScoringPolicyProvider} may use to build a policy for one engine.
 *
 * @param seed the engine's seed
 * @param workload the target workload distribution (fragmentation-aware policies use it);
 *     {@link WorkloadDistribution#EMPTY} when none was given
 * @param catalogue the device models the engine knows
 */
public record PolicyContext(long seed, WorkloadDistribution workload, DeviceCatalogue catalogue) {}
