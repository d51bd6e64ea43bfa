package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The MIG start-choice experiment runs and is reproducible. It reports, and does not assert, which
 * start rule places more: on this mix the fragmentation-aware rule has measured about 0.1 points
 * below lowest-start-first (see the hardware issue's closing note), so no claim is made here.
 */
class MigExperimentTest {
  @Test
  void bothStartRulesRunReproduciblyAndReportTheirAllocation() {
    double aware = MigExperiment.allocationAt100(100, "bestfit", true, 42);
    double naive = MigExperiment.allocationAt100(100, "bestfit", false, 42);
    System.out.printf("MIG, 100 nodes x 8 A100-40GB, bestfit, seed 42: allocation at 100%% arrivals:"
        + " fragmentation-aware starts %.2f%%, lowest start first %.2f%%%n", aware, naive);
    assertThat(MigExperiment.allocationAt100(100, "bestfit", true, 42)).isEqualTo(aware);
    // With arrivals at 100% of capacity, allocation lies below it but well above half.
    assertThat(aware).isBetween(50.0, 100.0);
    assertThat(naive).isBetween(50.0, 100.0);
  }
}
