package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GpuPacking, hand-computed: all chosen GPUs partly used → max(50, 100 − Σ⌊free%⌋/10); some
 * chosen GPU idle on a partly used node → max(33, 50 − idle GPUs taken); idle node →
 * max(#GPUs, 33 − #GPUs); CPU-only → 0.
 */
class GpuPackingPolicyTest {
  private final ScoringPolicy packing = policy("packing");

  @Test
  void nameIsPacking() {
    assertThat(packing.name()).isEqualTo("packing");
  }

  @Test
  void tier1SharedOnPartlyUsedGpu() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 300), "n1", 0, 300);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 700, 1000, 1000, 1000);

    Scored s = score(packing, share("t", 1000, 500), v);
    // best fit: GPU0 (700 free, the least that fits), partly used.
    // free% = 700*100/1000 = 70 → 100 − 70/10 = 100 − 7 = 93; max(50, 93) = 93
    assertThat(s.devices()).containsExactly(0);
    assertThat(s.score()).isEqualTo(93.0);
  }

  @Test
  void tier1TruncatesPercentPerGpuAndTheTenth() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 345), "n1", 0, 345);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 655, 1000, 1000, 1000);

    Scored s = score(packing, share("t", 1000, 400), v);
    // GPU0 has 655 free: ⌊655*100/1000⌋ = ⌊65.5⌋ = 65 %; 65/10 = ⌊6.5⌋ = 6 → 100 − 6 = 94
    assertThat(s.devices()).containsExactly(0);
    assertThat(s.score()).isEqualTo(94.0);
  }

  @Test
  void tier1SumsOverSeveralPartlyUsedGpus() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 950), "n1", 0, 950); // GPU0: 50 free
    place(e, share("s2", 1000, 100), "n1", 1, 100); // 100 does not fit GPU0 → GPU1: 900 free
    NodeView v = e.cluster().node("n1");
    assertFree(v, 50, 900, 1000, 1000);

    Scored s = score(packing, shares("t", 1000, 2, 40), v);
    // best fit for 2×40: GPU0 (50) and GPU1 (900), both partly used.
    // Σ free% = 5 + 90 = 95 → 95/10 = 9 → 100 − 9 = 91
    assertThat(s.devices()).containsExactly(0, 1);
    assertThat(s.score()).isEqualTo(91.0);
  }

  @Test
  void tier1FloorsAt50() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 8));
    place(e, shares("s1", 1000, 6, 10), "n1", 0, 10, 1, 10, 2, 10, 3, 10, 4, 10, 5, 10);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 990, 990, 990, 990, 990, 990, 1000, 1000);

    Scored s = score(packing, shares("t", 1000, 6, 100), v);
    // best fit: the six GPUs with 990 free (0..5), all partly used.
    // Σ free% = 6*99 = 594 → 594/10 = 59 → 100 − 59 = 41 < 50 → 50
    assertThat(s.devices()).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(s.score()).isEqualTo(50.0);
  }

  @Test
  void tier2ShareOnIdleGpuOfPartlyUsedNode() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 800), "n1", 0, 800);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 200, 1000, 1000, 1000);

    Scored s = score(packing, share("t", 1000, 500), v);
    // 500 does not fit GPU0 (200 free) → GPU1, idle: one idle GPU taken → max(33, 50 − 1) = 49
    assertThat(s.devices()).containsExactly(1);
    assertThat(s.score()).isEqualTo(49.0);
  }

  @Test
  void tier2WholeGpusOnPartlyUsedNode() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 800), "n1", 0, 800);
    NodeView v = e.cluster().node("n1");

    Scored s = score(packing, whole("t", 1000, 2), v);
    // whole GPUs: lowest-index idle ones, GPU1 and GPU2 → 2 idle taken → max(33, 50 − 2) = 48
    assertThat(s.devices()).containsExactly(1, 2);
    assertThat(s.score()).isEqualTo(48.0);
  }

  @Test
  void tier2WhenOnlySomeChosenGpusAreIdle() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 400), "n1", 0, 400);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 600, 1000, 1000, 1000);

    Scored s = score(packing, shares("t", 1000, 2, 500), v);
    // best fit 2×500: GPU0 (600, partly used) and GPU1 (idle) → one idle taken → 50 − 1 = 49
    assertThat(s.devices()).containsExactly(0, 1);
    assertThat(s.score()).isEqualTo(49.0);
  }

  @Test
  void tier2FloorsAt33() {
    PlacementEngine e = engine(g2Node("n1", 64_000, 20));
    place(e, share("s1", 1000, 100), "n1", 0, 100);
    NodeView v = e.cluster().node("n1");

    Scored s = score(packing, whole("t", 1000, 19), v);
    // GPUs 1..19 are idle and all taken: 50 − 19 = 31 < 33 → 33
    assertThat(s.devices()).hasSize(19).first().isEqualTo(1);
    assertThat(s.score()).isEqualTo(33.0);
  }

  @Test
  void tier3IdleNodeScores33MinusGpus() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    NodeView v = e.cluster().node("n1");
    // idle 4-GPU node: max(4, 33 − 4) = 29
    assertThat(score(packing, share("t", 1000, 500), v).score()).isEqualTo(29.0);
    assertThat(score(packing, whole("w", 1000, 2), v).score()).isEqualTo(29.0);
  }

  @Test
  void tier3IdleEightGpuNode() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 8));
    // idle 8-GPU node: max(8, 33 − 8) = 25
    assertThat(score(packing, whole("t", 1000, 1), e.cluster().node("n1")).score()).isEqualTo(25.0);
  }

  @Test
  void tier3LargeIdleNodeTakesTheGpuCount() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 20));
    // idle 20-GPU node: max(20, 33 − 20 = 13) = 20
    assertThat(score(packing, share("t", 1000, 500), e.cluster().node("n1")).score()).isEqualTo(20.0);
  }

  @Test
  void cpuOnlyTaskScoresZero() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 300), "n1", 0, 300);
    Scored s = score(packing, cpuOnly("t", 1000), e.cluster().node("n1"));
    assertThat(s.score()).isEqualTo(0.0);
    assertThat(s.devices()).isEmpty();
    PlacementEngine idle = engine(List.of(g2Node("n2", 32_000, 4)));
    assertThat(score(packing, cpuOnly("t", 1000), idle.cluster().node("n2")).score()).isEqualTo(0.0);
  }
}
