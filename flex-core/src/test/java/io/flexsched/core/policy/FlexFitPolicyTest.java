package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FlexFit, hand-computed: FGD's ⌊100·σ(Δ/1000)⌋ with Δ measured against the workload's device
 * shapes only (at their weight in the workload), a share tied between devices of a node taking the
 * one it leaves fullest, and no key of its own between nodes (the engine's node order decides).
 *
 * <p>σ values used: σ(0) = 0.5; σ(0.1) = 1/(1 + 0.904837) = 0.524979; σ(0.2) = 0.549834.
 */
class FlexFitPolicyTest {
  /** One shape, 1 GPU × 500 milli, 1 core. */
  private static final WorkloadDistribution HALF_GPU =
      WorkloadDistribution.of(List.of(new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1)));
  /** ½ of 1 GPU × 500 milli, ½ CPU-only. */
  private static final WorkloadDistribution HALF_GPU_HALF_CPU = WorkloadDistribution.of(List.of(
      new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1), new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 1)));
  /** CPU-only shapes alone. */
  private static final WorkloadDistribution CPU_ONLY =
      WorkloadDistribution.of(List.of(new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 1)));

  private static ScoringPolicy flexfit(WorkloadDistribution w) {
    return policy("flexfit", w);
  }

  @Test
  void isRegisteredAsFlexfitAndCachesByNodeState() {
    ScoringPolicy p = flexfit(HALF_GPU);
    assertThat(p.name()).isEqualTo("flexfit");
    assertThat(p).isInstanceOf(FlexFitPolicy.class);
    assertThat(p.dependsOnlyOnNodeState()).isTrue();
  }


  @Test
  void withOnlyDeviceShapesItScoresAsFgd() {
    NodeView v = fragmentedNode();
    // before (1×500): 300 + 100 = 400. Share 200: GPU0 → F = 200, Δ = +200 (best); GPU2 → −400;
    // GPU3 → 0. ⌊100·σ(0.2)⌋ = 54 on GPU0, as FGD.
    Scored f = score(flexfit(HALF_GPU), share("t", 1000, 200), v);
    Scored g = score(policy("fgd", HALF_GPU), share("t", 1000, 200), v);
    assertThat(f.devices()).containsExactly(0);
    assertThat(f.score()).isEqualTo(54.0);
    assertThat(g).isEqualTo(f);
  }

  @Test
  void cpuOnlyShapesAddNothingToTheGradient() {
    NodeView frag = fragmentedNode();
    NodeView idle = engine(g2Node("n2", 32_000, 4)).cluster().node("n2");
    // FGD: a CPU-only shape counts all free compute G as fragmented, before and after, so its
    // part of Δ is w·(G_before − G_after) = ½·200 = +100 on every node:
    //   fragmented node: ½·(+200) + 100 = 200 → 54; idle node: ½·0 + 100 = 100 → ⌊52.50⌋ = 52.
    // flexfit keeps only the device shape's part, at its weight ½:
    //   fragmented node: ½·(+200) = 100 → 52; idle node: 0 → 50.
    ScoringPolicy fgd = policy("fgd", HALF_GPU_HALF_CPU);
    ScoringPolicy flexfit = flexfit(HALF_GPU_HALF_CPU);
    assertThat(score(fgd, share("t", 1000, 200), frag).score()).isEqualTo(54.0);
    assertThat(score(fgd, share("t", 1000, 200), idle).score()).isEqualTo(52.0);
    Scored onFrag = score(flexfit, share("t", 1000, 200), frag);
    assertThat(onFrag.devices()).containsExactly(0);
    assertThat(onFrag.score()).isEqualTo(52.0);
    assertThat(score(flexfit, share("t", 1000, 200), idle).score()).isEqualTo(50.0);
  }

  @Test
  void aShareTiedBetweenDevicesTakesTheOneItLeavesFullest() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, whole("w0", 1000, 1), "n1", 0, 1000);
    place(e, share("s1", 1000, 300), "n1", 1, 300);
    e.release("w0");
    NodeView v = e.cluster().node("n1");
    assertFree(v, 1000, 700, 1000, 1000);
    // before (1×500): nothing below 500, F = 0. Share 200 leaves 800, 500, 800 or 800: each ≥ 500,
    // F = 0, Δ = 0 → 50 on every device. FGD takes the lowest index (GPU0, an idle card);
    // flexfit takes GPU1, left with 500, and keeps three idle cards for whole-GPU tasks.
    Scored f = score(flexfit(HALF_GPU), share("t", 1000, 200), v);
    assertThat(f.devices()).containsExactly(1);
    assertThat(f.score()).isEqualTo(50.0);
    assertThat(score(policy("fgd", HALF_GPU), share("t", 1000, 200), v).devices()).containsExactly(0);
  }

  @Test
  void nodesThatTieKeepTheirTieForTheEnginesNodeOrder() {
    NodeView idle = engine(g2Node("a", 32_000, 4)).cluster().node("a");
    PlacementEngine e = engine(g2Node("b", 32_000, 4));
    place(e, share("s1", 1000, 300), "b", 0, 300);
    NodeView used = e.cluster().node("b");
    assertFree(used, 700, 1000, 1000, 1000);
    // A whole GPU takes GPU0 of a and GPU1 of b; all that is left is 0 or ≥ 500, so F stays 0 and
    // Δ = 0 on both: 50 and 50. No packing key separates them (measured: one loses, docs/flexfit.md).
    Scored onIdle = score(flexfit(HALF_GPU), whole("t", 1000, 1), idle);
    Scored onUsed = score(flexfit(HALF_GPU), whole("t", 1000, 1), used);
    assertThat(onIdle.devices()).containsExactly(0);
    assertThat(onUsed.devices()).containsExactly(1);
    assertThat(onIdle.score()).isEqualTo(50.0).isEqualTo(onUsed.score());
  }

  @Test
  void aWorkloadWithoutDeviceShapesFallsBackToTheEnginesMeasure() {
    NodeView idle = engine(g2Node("n1", 32_000, 4)).cluster().node("n1");
    // Only a CPU-only shape: the engine's measure (F = G) is used, as FGD uses it. Share 200:
    // Δ = 4000 − 3800 = +200 → 54.
    Scored f = score(flexfit(CPU_ONLY), share("t", 1000, 200), idle);
    assertThat(f.score()).isEqualTo(54.0);
    assertThat(score(policy("fgd", CPU_ONLY), share("t", 1000, 200), idle)).isEqualTo(f);
  }
}
