/** Flex's engine and its built-in policies. */
module io.flexsched.core {
  requires transitive io.flexsched.spi;
  requires static transitive org.jspecify;
  requires com.github.benmanes.caffeine;
  requires org.jctools.core;
  requires transitive micrometer.core;

  exports io.flexsched.core;
  exports io.flexsched.conformance;

  uses io.flexsched.spi.ScoringPolicyProvider;
  uses io.flexsched.spi.HardwareProvider;
  uses io.flexsched.spi.PreemptionPolicyProvider;

  provides io.flexsched.spi.ScoringPolicyProvider with
      io.flexsched.core.policy.RandomPolicy.Provider,
      io.flexsched.core.policy.DotProductPolicy.Provider,
      io.flexsched.core.policy.GpuClusteringPolicy.Provider,
      io.flexsched.core.policy.GpuPackingPolicy.Provider,
      io.flexsched.core.policy.BestFitPolicy.Provider,
      io.flexsched.core.policy.FgdPolicy.Provider,
      io.flexsched.core.policy.FgdPolicy.ExactProvider;
  provides io.flexsched.spi.HardwareProvider with
      io.flexsched.hardware.ascend.AscendHardware;
  provides io.flexsched.spi.PreemptionPolicyProvider with
      io.flexsched.core.policy.GreedyPreemption.Provider,
      io.flexsched.core.policy.ExactPreemption.Provider;
}
