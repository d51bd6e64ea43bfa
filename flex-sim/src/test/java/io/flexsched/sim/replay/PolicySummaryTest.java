package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySummaryTest {
  private static double[] constant(double v) {
    double[] out = new double[PaperReplay.MAX_BUCKET + 1];
    Arrays.fill(out, v);
    return out;
  }

  private static RunResult run(String policy, long seed, double alloc, Map<String, double[]> utilisation) {
    return new RunResult(policy, "w", seed, constant(alloc), constant(alloc / 10), utilisation, 10, 9, 1_000_000_000L);
  }

  @Test
  void meansPerPolicyAndModelInFirstSeenOrder() {
    List<PolicySummary> s = PolicySummary.of(List.of(
        run("fgd", 1, 90, Map.of("T4", constant(80), "G2", constant(100))),
        run("random", 1, 80, Map.of("T4", constant(60))),
        run("fgd", 2, 94, Map.of("T4", constant(90), "G2", constant(96)))));
    assertThat(s).extracting(PolicySummary::policy).containsExactly("fgd", "random");
    PolicySummary fgd = s.get(0);
    assertThat(fgd.seeds()).containsExactly(1L, 2L);
    assertThat(fgd.allocationMean()[100]).isEqualTo(92.0);
    assertThat(fgd.allocationSd()[100]).isCloseTo(Math.sqrt(8), within(1e-9));
    assertThat(fgd.fragmentationMean()[7]).isCloseTo(9.2, within(1e-9));
    assertThat(fgd.utilisationMean().get("T4")[130]).isEqualTo(85.0);
    assertThat(fgd.utilisationMean().get("G2")[0]).isEqualTo(98.0);
    assertThat(fgd.seconds()).isEqualTo(2.0);
    assertThat(s.get(1).utilisationMean().keySet()).containsExactly("T4");
    assertThat(s.get(1).allocationSd()[50]).isZero();
  }

  @Test
  void aModelMissingFromSomeRunsIsLeftOutAndOldResultsStillSummarise() {
    // Results built with the constructor from before per-model utilisation carry none.
    RunResult old = new RunResult("fgd", "w", 3, constant(90), constant(5), 10, 9, 1L);
    assertThat(old.utilisation()).isEmpty();
    List<PolicySummary> s = PolicySummary.of(List.of(run("fgd", 1, 90, Map.of("T4", constant(80))), old));
    assertThat(s.get(0).utilisationMean()).isEmpty();
    assertThat(s.get(0).allocationMean()[0]).isEqualTo(90.0);
    PolicySummary legacy = new PolicySummary("p", "w", List.of(1L), constant(1), constant(0), constant(2), 0.5);
    assertThat(legacy.utilisationMean()).isEmpty();
  }
}
