/**
 * Flex's engine and its built-in policies. Only {@code io.flexsched.core} is exported: the
 * {@link io.flexsched.core.Scheduler} facade, the plain {@link io.flexsched.core.PlacementEngine},
 * their outcomes and settings. The machinery lives in packages by what it does (the engine's
 * filter, selection, reservation, gangs and explanations; the queue's pending set, fair share,
 * quota gate, reclaim rules and reservations; preemption; the concurrent front; the extension
 * registry) and stays hidden.
 */
module io.flexsched.core {
  requires transitive io.flexsched.spi;
  requires static transitive org.jspecify;
  requires com.github.benmanes.caffeine;
  requires org.jctools.core;
  requires transitive micrometer.core;

  exports io.flexsched.core;

  uses io.flexsched.spi.ScoringPolicy.Provider;
  uses io.flexsched.spi.HardwareProvider;
  uses io.flexsched.spi.PreemptionPolicy.Provider;

  provides io.flexsched.spi.ScoringPolicy.Provider with
      io.flexsched.core.policy.RandomPolicy.Provider,
      io.flexsched.core.policy.DotProductPolicy.Provider,
      io.flexsched.core.policy.GpuClusteringPolicy.Provider,
      io.flexsched.core.policy.GpuPackingPolicy.Provider,
      io.flexsched.core.policy.BestFitPolicy.Provider,
      io.flexsched.core.policy.FgdPolicy.Provider,
      io.flexsched.core.policy.FgdPolicy.ExactProvider,
      io.flexsched.core.policy.FlexFitPolicy.Provider;
  provides io.flexsched.spi.HardwareProvider with
      io.flexsched.hardware.ascend.AscendHardware;
  provides io.flexsched.spi.PreemptionPolicy.Provider with
      io.flexsched.core.policy.GreedyPreemption.Provider,
      io.flexsched.core.policy.ExactPreemption.Provider;
}
