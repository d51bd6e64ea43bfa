package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import org.junit.jupiter.api.Test;

/**
 * BestFit, hand-computed: ⌊100·(1 − [½·(cpuFree − cpuReq)/128000 + ½·(gpuFree − gpuReq)/8000])⌋.
 */
class BestFitPolicyTest {
  private final ScoringPolicy bestfit = policy("bestfit");

  @Test
  void nameIsBestfit() {
    assertThat(bestfit.name()).isEqualTo("bestfit");
  }

  @Test
  void exactValue() {
    PlacementEngine e = engine(g2Node("n1", 128_000, 8));
    Scored s = score(bestfit, whole("t", 0, 4), e.cluster().node("n1"));
    // ½*(128000-0)/128000 + ½*(8000-4000)/8000 = 0.5 + 0.25 = 0.75 → 100*(1-0.75) = 25
    assertThat(s.score()).isEqualTo(25.0);
    assertThat(s.devices()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void nothingLeftOverScores100() {
    PlacementEngine e = engine(g2Node("n1", 64_000, 8));
    // ½*0/128000 + ½*0/8000 = 0 → 100
    assertThat(score(bestfit, whole("t", 64_000, 8), e.cluster().node("n1")).score()).isEqualTo(100.0);
  }

  @Test
  void truncatesTheFraction() {
    PlacementEngine e = engine(g2Node("n1", 64_000, 8));
    Scored s = score(bestfit, share("t", 32_000, 500), e.cluster().node("n1"));
    // ½*32000/128000 + ½*7500/8000 = 0.125 + 0.46875 = 0.59375 → 100*0.40625 = 40.625 → 40
    assertThat(s.score()).isEqualTo(40.0);
    assertThat(s.devices()).containsExactly(0);
  }

  @Test
  void usesTheCurrentFreeResources() {
    PlacementEngine e = engine(g2Node("n1", 96_000, 8));
    place(e, share("s1", 32_000, 500), "n1", 0, 500);
    NodeView v = e.cluster().node("n1");
    Scored s = score(bestfit, share("t", 16_000, 300), v);
    // cpuFree 64000, gpuFree 7500: ½*(64000-16000)/128000 + ½*(7500-300)/8000
    // = ½*0.375 + ½*0.9 = 0.1875 + 0.45 = 0.6375 → 100*0.3625 = 36.25 → 36
    assertThat(s.score()).isEqualTo(36.0);
    // best-fit device: GPU0 (500 free)
    assertThat(s.devices()).containsExactly(0);
  }

  @Test
  void cpuOnlyTask() {
    PlacementEngine e = engine(g2Node("n1", 64_000, 2));
    Scored s = score(bestfit, cpuOnly("t", 32_000), e.cluster().node("n1"));
    // ½*32000/128000 + ½*2000/8000 = 0.125 + 0.125 = 0.25 → 75
    assertThat(s.score()).isEqualTo(75.0);
    assertThat(s.devices()).isEmpty();
  }
}
