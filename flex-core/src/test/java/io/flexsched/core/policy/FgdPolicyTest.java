package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.model.WorkloadDistribution;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FGD, hand-computed: Δ = F(before) − F(after); {@code fgd} scores ⌊100·σ(Δ/1000)⌋ (σ the
 * logistic), {@code fgd-exact} scores Δ. A share tries every fitting GPU and keeps the best (ties
 * to the lowest index); whole GPUs are the lowest-index idle ones.
 *
 * <p>σ values used (σ(x) = 1/(1 + e^−x)): σ(0) = 0.5; σ(0.2) = 1/(1 + 0.818731) = 0.549834;
 * σ(−0.4) = 1/(1 + 1.491825) = 0.401312; σ(−0.5) = 1/(1 + 1.648721) = 0.377541;
 * σ(−4) = 1/(1 + 54.59815) = 0.017986.
 */
class FgdPolicyTest {
  /** The target workload: one shape, 1 GPU × 500 milli, 1 core. */
  private static final WorkloadDistribution HALF_GPU =
      WorkloadDistribution.of(List.of(new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1)));

  private static ScoringPolicy fgd(WorkloadDistribution w) {
    return policy("fgd", w);
  }

  private static ScoringPolicy exact(WorkloadDistribution w) {
    return policy("fgd-exact", w);
  }

  @Test
  void names() {
    assertThat(fgd(HALF_GPU).name()).isEqualTo("fgd");
    assertThat(exact(HALF_GPU).name()).isEqualTo("fgd-exact");
  }


  @Test
  void shareTakesTheDeviceThatReducesFragmentationMost() {
    NodeView v = fragmentedNode();
    // before (1×500): GPUs with < 500 free: 300 + 100 → F = 400.
    // share 200 fits GPU0 (300), GPU2 (600), GPU3 (1000); not GPU1 (100):
    //   GPU0 → [100,100,600,1000]: F = 200, Δ = 400 − 200 = +200
    //   GPU2 → [300,100,400,1000]: F = 800, Δ = −400
    //   GPU3 → [300,100,600, 800]: F = 400, Δ = 0
    // best GPU0: ⌊100·σ(0.2)⌋ = ⌊54.98⌋ = 54; exact 200
    Scored s = score(fgd(HALF_GPU), share("t", 1000, 200), v);
    assertThat(s.devices()).containsExactly(0);
    assertThat(s.score()).isEqualTo(54.0);
    Scored x = score(exact(HALF_GPU), share("t", 1000, 200), v);
    assertThat(x.devices()).containsExactly(0);
    assertThat(x.score()).isEqualTo(200.0);
  }

  @Test
  void shareCanAvoidTheBestFitDevice() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 900), "n1", 0, 900); // GPU0: 100 free
    place(e, share("s2", 1000, 900), "n1", 1, 900); // GPU1: 100 free
    place(e, share("s3", 1000, 400), "n1", 2, 400); // GPU2: 600 free
    NodeView v = e.cluster().node("n1");
    assertFree(v, 100, 100, 600, 1000);
    // before: F = 100 + 100 = 200. Share 200 fits GPU2 and GPU3 only:
    //   GPU2 → 400 left: F = 100 + 100 + 400 = 600, Δ = −400 → ⌊100·σ(−0.4)⌋ = ⌊40.13⌋ = 40
    //   GPU3 → 800 left: F = 200, Δ = 0 → 50
    // FGD takes GPU3 (best fit would have taken GPU2)
    Scored s = score(fgd(HALF_GPU), share("t", 1000, 200), v);
    assertThat(s.devices()).containsExactly(3);
    assertThat(s.score()).isEqualTo(50.0);
    Scored x = score(exact(HALF_GPU), share("t", 1000, 200), v);
    assertThat(x.devices()).containsExactly(3);
    assertThat(x.score()).isEqualTo(0.0);
  }

  @Test
  void shareWhoseEveryChoiceFragmentsScoresBelow50() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 2));
    place(e, share("s1", 1000, 400), "n1", 0, 400); // GPU0: 600 free
    place(e, share("s2", 1000, 500), "n1", 0, 500); // 500 fits GPU0 (600, least) → 100 free
    NodeView v = e.cluster().node("n1");
    assertFree(v, 100, 1000);
    // before: F = 100. Share 600 fits GPU1 only: 400 left → F = 100 + 400 = 500, Δ = −400
    // ⌊100·σ(−0.4)⌋ = ⌊40.13⌋ = 40; exact −400
    Scored s = score(fgd(HALF_GPU), share("t", 1000, 600), v);
    assertThat(s.devices()).containsExactly(1);
    assertThat(s.score()).isEqualTo(40.0);
    assertThat(score(exact(HALF_GPU), share("t", 1000, 600), v).score()).isEqualTo(-400.0);
  }

  @Test
  void shareTiesGoToTheLowestIndex() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    NodeView v = e.cluster().node("n1");
    // idle: before F = 0; a share of 200 on any GPU leaves 800 ≥ 500 → F = 0, Δ = 0 on all four
    // → GPU0, ⌊100·σ(0)⌋ = 50; exact 0
    Scored s = score(fgd(HALF_GPU), share("t", 1000, 200), v);
    assertThat(s.devices()).containsExactly(0);
    assertThat(s.score()).isEqualTo(50.0);
    Scored x = score(exact(HALF_GPU), share("t", 1000, 200), v);
    assertThat(x.devices()).containsExactly(0);
    assertThat(x.score()).isEqualTo(0.0);
  }

  @Test
  void shareTieAmongPartlyUsedGpusGoesToTheLowestIndex() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 3));
    place(e, share("s1", 1000, 900), "n1", 0, 900); // GPU0: 100 free
    place(e, shares("s2", 1000, 2, 400), "n1", 1, 400, 2, 400); // GPUs 1, 2: 600 free each
    NodeView v = e.cluster().node("n1");
    assertFree(v, 100, 600, 600);
    // before: F = 100. Share 300 fits GPU1 and GPU2, each leaves 300 < 500:
    //   F = 100 + 300 = 400, Δ = −300 on both → tie → GPU1; exact −300
    Scored x = score(exact(HALF_GPU), share("t", 1000, 300), v);
    assertThat(x.devices()).containsExactly(1);
    assertThat(x.score()).isEqualTo(-300.0);
  }

  /** Workload: ½ of 1×500 and ½ of 2×1000. */
  private static final WorkloadDistribution HALF_AND_PAIRS = WorkloadDistribution.of(List.of(
      new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1), new WorkloadDistribution.Shape(1000, 2, 1000, Set.of(), 1)));

  private static NodeView halfUsedGpu0() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 500), "n1", 0, 500);
    NodeView v = e.cluster().node("n1");
    assertFree(v, 500, 1000, 1000, 1000);
    return v;
  }

  @Test
  void wholeGpusTakeTheLowestIndexIdleOnes() {
    NodeView v = halfUsedGpu0();
    // before: 1×500: all four have ≥ 500 → 0; 2×1000: GPUs 1,2,3 idle (3 ≥ 2) → GPU0's 500 → 500
    //   F = ½·0 + ½·500 = 250
    // whole(2) takes GPU1, GPU2 → free [500, 0, 0, 1000]:
    //   1×500: GPU0, GPU3 qualify → unusable GPU1 + GPU2 = 0 → 0
    //   2×1000: only GPU3 → 1 < 2 → G = 1500
    //   F = ½·0 + ½·1500 = 750; Δ = 250 − 750 = −500 → ⌊100·σ(−0.5)⌋ = ⌊37.75⌋ = 37
    Scored s = score(fgd(HALF_AND_PAIRS), whole("t", 1000, 2), v);
    assertThat(s.devices()).containsExactly(1, 2);
    assertThat(s.score()).isEqualTo(37.0);
    Scored x = score(exact(HALF_AND_PAIRS), whole("t", 1000, 2), v);
    assertThat(x.devices()).containsExactly(1, 2);
    assertThat(x.score()).isEqualTo(-500.0);
  }

  @Test
  void singleWholeGpuThatKeepsAPairFree() {
    NodeView v = halfUsedGpu0();
    // before F = 250 (above). whole(1) takes GPU1 → free [500, 0, 1000, 1000]:
    //   1×500: GPU0, GPU2, GPU3 qualify → unusable GPU1 = 0 → 0
    //   2×1000: GPU2, GPU3 → fits → unusable GPU0 500 + GPU1 0 = 500
    //   F = ½·0 + ½·500 = 250; Δ = 0 → 50
    Scored s = score(fgd(HALF_AND_PAIRS), whole("t", 1000, 1), v);
    assertThat(s.devices()).containsExactly(1);
    assertThat(s.score()).isEqualTo(50.0);
    assertThat(score(exact(HALF_AND_PAIRS), whole("t", 1000, 1), v).score()).isEqualTo(0.0);
  }

  @Test
  void cpuUseCanFragmentTheGpus() {
    WorkloadDistribution bigCpu = WorkloadDistribution.of(List.of(new WorkloadDistribution.Shape(20_000, 1, 500, Set.of(), 1)));
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    NodeView v = e.cluster().node("n1");
    // before: 32000 ≥ 20000 and all GPUs have 1000 ≥ 500 → F = 0
    // CPU-only task of 16000 → 16000 left < 20000 → F = G = 4000; Δ = −4000
    // ⌊100·σ(−4)⌋ = ⌊1.80⌋ = 1; exact −4000
    Scored s = score(fgd(bigCpu), cpuOnly("t", 16_000), v);
    assertThat(s.devices()).isEmpty();
    assertThat(s.score()).isEqualTo(1.0);
    assertThat(score(exact(bigCpu), cpuOnly("t", 16_000), v).score()).isEqualTo(-4000.0);
    // a CPU-only task of 12000 leaves 20000 → still fits → Δ = 0 → 50
    assertThat(score(fgd(bigCpu), cpuOnly("t", 12_000), v).score()).isEqualTo(50.0);
  }

  @Test
  void scoresFollowTheNodeAfterItChanges() {
    ScoringPolicy x = exact(HALF_GPU);
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    NodeView v = e.cluster().node("n1");
    // idle: share 600 on GPU0 leaves 400 < 500 → F = 400, Δ = −400 (all GPUs tie → GPU0)
    Scored first = score(x, share("t", 1000, 600), v);
    assertThat(first.devices()).containsExactly(0);
    assertThat(first.score()).isEqualTo(-400.0);
    place(e, share("s1", 1000, 700), "n1", 0, 700); // GPU0: 300 free
    // before is now F = 300 (GPU0). Share 600 fits GPUs 1..3, each leaves 400:
    //   F = 300 + 400 = 700, Δ = 300 − 700 = −400 → GPU1
    // share 300 fits GPU0 too: GPU0 → 0 left: F = 0, Δ = +300 → GPU0
    Scored second = score(x, share("t", 1000, 600), e.cluster().node("n1"));
    assertThat(second.devices()).containsExactly(1);
    assertThat(second.score()).isEqualTo(-400.0);
    Scored third = score(x, share("t", 1000, 300), e.cluster().node("n1"));
    assertThat(third.devices()).containsExactly(0);
    assertThat(third.score()).isEqualTo(300.0);
  }
}
