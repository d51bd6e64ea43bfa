package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import org.junit.jupiter.api.Test;

/**
 * DotProd, hand-computed: d = ½·(cpuFree·cpuReq/128000² + gpuFree·gpuReq/8000²), score =
 * ⌊100·(1 − d)⌋, 0 when cpuFree < cpuReq. Best-fit devices.
 */
class DotProductPolicyTest {
  private final ScoringPolicy dotprod = policy("dotprod");

  @Test
  void nameIsDotprod() {
    assertThat(dotprod.name()).isEqualTo("dotprod");
  }

  @Test
  void exactValueOnIdleNode() {
    PlacementEngine e = engine(g2Node("n1", 128_000, 8));
    Scored s = score(dotprod, whole("t", 64_000, 4), e.cluster().node("n1"));
    // cpu: (128000/128000)*(64000/128000) = 1*0.5 = 0.5; gpu: (8000/8000)*(4000/8000) = 0.5
    // d = (0.5+0.5)/2 = 0.5 → 100*(1-0.5) = 50
    assertThat(s.score()).isEqualTo(50.0);
    assertThat(s.devices()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void truncatesTheFraction() {
    PlacementEngine e = engine(g2Node("n1", 64_000, 8));
    Scored s = score(dotprod, share("t", 32_000, 500), e.cluster().node("n1"));
    // cpu: 0.5*0.25 = 0.125; gpu: 1*(500/8000) = 0.0625; d = 0.1875/2 = 0.09375
    // 100*(1-0.09375) = 90.625 → 90
    assertThat(s.score()).isEqualTo(90.0);
    assertThat(s.devices()).containsExactly(0);
  }

  @Test
  void usesTheCurrentFreeResources() {
    PlacementEngine e = engine(g2Node("n1", 96_000, 8));
    place(e, share("s1", 32_000, 500), "n1", 0, 500);
    NodeView v = e.cluster().node("n1");
    assertThat(v.freeCpuMilli()).isEqualTo(64_000);
    assertThat(v.totalFreeMilli()).isEqualTo(7_500);

    Scored s = score(dotprod, whole("t", 16_000, 2), v);
    // cpu: (64000/128000)*(16000/128000) = 0.5*0.125 = 0.0625
    // gpu: (7500/8000)*(2000/8000) = 0.9375*0.25 = 0.234375
    // d = 0.296875/2 = 0.1484375 → 100*(1-0.1484375) = 85.15625 → 85
    assertThat(s.score()).isEqualTo(85.0);
    // whole GPUs: lowest-index idle → GPU1, GPU2
    assertThat(s.devices()).containsExactly(1, 2);
  }

  @Test
  void cpuOnlyTaskUsesOnlyTheCpuTerm() {
    PlacementEngine e = engine(g2Node("n1", 128_000, 8));
    Scored s = score(dotprod, cpuOnly("t", 32_000), e.cluster().node("n1"));
    // cpu: 1*0.25 = 0.25; gpu: 1*0 = 0; d = 0.125 → 87.5 → 87
    assertThat(s.score()).isEqualTo(87.0);
    assertThat(s.devices()).isEmpty();
  }

  @Test
  void insufficientCpuScoresZero() {
    PlacementEngine e = engine(g2Node("n1", 96_000, 8));
    place(e, share("s1", 32_000, 500), "n1", 0, 500);
    // cpuFree 64000 < cpuReq 64001 → 0
    assertThat(score(dotprod, share("t", 64_001, 100), e.cluster().node("n1")).score()).isEqualTo(0.0);
    // cpuFree 64000 = cpuReq 64000 is not short: cpu (0.5*0.5 = 0.25); gpu (7500/8000)*(100/8000)
    // = 0.9375*0.0125 = 0.01171875; d = 0.26171875/2 = 0.130859375 → 86.9140625 → 86
    assertThat(score(dotprod, share("t2", 64_000, 100), e.cluster().node("n1")).score()).isEqualTo(86.0);
  }
}
