package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Node;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.NodeView;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The FGD node fragmentation ({@link FragmentationMeasure#of} a workload) F(n) = Σ_m p_m·F_n(m), hand-computed: F_n(m) = G (all free GPU
 * milli) when m asks for no GPU, when no allowed device may serve it, when it does not fit (too
 * few GPUs with ≥ milli free, or CPU short); else the free milli of the GPUs with free < milli.
 */
class WorkloadFragmentationTest {
  /**
   * n1: 32 cores, 4×G2, with free milli [300, 100, 600, 1000] (G = 2000) and 29 cores free.
   */
  private static NodeView fragmentedNode() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 700), "n1", 0, 700); // GPU0: 300 free
    place(e, share("s2", 1000, 900), "n1", 1, 900); // 900 > 300 → GPU1: 100 free
    place(e, share("s3", 1000, 400), "n1", 2, 400); // 400 > 300, > 100 → GPU2: 600 free
    NodeView v = e.cluster().node("n1");
    assertFree(v, 300, 100, 600, 1000);
    assertThat(v.freeCpuMilli()).isEqualTo(29_000);
    return v;
  }

  private static double frag(NodeView v, WorkloadDistribution.Shape... shapes) {
    return FragmentationMeasure.of(WorkloadDistribution.of(List.of(shapes))).fragmentation(v);
  }

  @Test
  void cpuOnlyShapeSeesAllFreeGpuAsFragmented() {
    // m asks for no GPU → F = G = 300+100+600+1000 = 2000
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 1))).isEqualTo(2000.0);
  }

  @Test
  void disallowedModelSeesAllFreeGpuAsFragmented() {
    // m allows only T4; the node has G2 only → F = G = 2000
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(1000, 1, 500, Set.of("T4"), 1))).isEqualTo(2000.0);
  }

  @Test
  void tooFewGpusWithEnoughFreeSeesAllFreeGpuAsFragmented() {
    // m = 2 GPUs × 700: only GPU3 (1000) has ≥ 700 free → 1 < 2 → F = G = 2000
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(1000, 2, 700, Set.of(), 1))).isEqualTo(2000.0);
  }

  @Test
  void cpuShortSeesAllFreeGpuAsFragmented() {
    // m needs 30000 CPU, the node has 29000 free → F = G = 2000
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(30_000, 1, 100, Set.of(), 1))).isEqualTo(2000.0);
    // with exactly the free CPU it fits: 1×100 → GPUs with free < 100: none → F = 0
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(29_000, 1, 100, Set.of(), 1))).isEqualTo(0.0);
  }

  @Test
  void fittingShapeCountsGpusWithTooLittleFree() {
    // m = 1 × 500 fits (GPU2, GPU3); GPUs with free < 500: GPU0 (300) + GPU1 (100) → F = 400
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1))).isEqualTo(400.0);
  }

  @Test
  void freeEqualToTheShareIsUsable() {
    // m = 2 × 300: GPUs with ≥ 300 free: GPU0 (300), GPU2, GPU3 → 3 ≥ 2 fits;
    // only GPU1 (100) has less → F = 100
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(1000, 2, 300, Set.of(), 1))).isEqualTo(100.0);
  }

  @Test
  void wholeGpuShape() {
    // m = 1 × 1000: only GPU3 is fully free → fits; F = 300 + 100 + 600 = 1000
    assertThat(frag(fragmentedNode(), new WorkloadDistribution.Shape(1000, 1, 1000, Set.of(), 1))).isEqualTo(1000.0);
  }

  @Test
  void weightsAreRenormalisedAndSummed() {
    NodeView v = fragmentedNode();
    // p = 1/4 CPU-only (F = 2000) and 3/4 of 1×500 (F = 400): 0.25*2000 + 0.75*400 = 500 + 300 = 800
    assertThat(frag(v, new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 1), new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 3)))
        .isCloseTo(800.0, within(1e-9));
    // weights 2 and 6 are the same distribution → 800
    assertThat(frag(v, new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 2), new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 6)))
        .isCloseTo(800.0, within(1e-9));
    // three shapes, equal weights: (2000 + 400 + 100)/3 = 2500/3
    assertThat(frag(v,
            new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 1),
            new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1),
            new WorkloadDistribution.Shape(1000, 2, 300, Set.of(), 1)))
        .isCloseTo(2500.0 / 3, within(1e-9));
  }

  @Test
  void idleNodeIsUnfragmentedForAFittingShape() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    NodeView v = e.cluster().node("n1");
    // all four GPUs have 1000 ≥ 500 free → none counts → F = 0
    assertThat(frag(v, new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1))).isEqualTo(0.0);
    // 8 GPUs asked, 4 on the node → does not fit → F = G = 4000
    assertThat(frag(v, new WorkloadDistribution.Shape(1000, 8, 1000, Set.of(), 1))).isEqualTo(4000.0);
  }

  @Test
  void mixedNodeCountsDisallowedDevicesAsUnusable() {
    Node mixed = Node.builder("m1").cpuMilli(32_000).memoryMiB(1_048_576).devices(G2, 2).devices(T4, 2).build();
    PlacementEngine e = engine(mixed);
    NodeView v = e.cluster().node("m1");
    assertThat(v.model(0).name()).isEqualTo("G2");
    assertThat(v.model(3).name()).isEqualTo("T4");
    // m = 1×500 on T4 only: T4 GPUs 2, 3 serve it → fits; the G2 GPUs cannot → F = 1000 + 1000 = 2000
    assertThat(frag(v, new WorkloadDistribution.Shape(1000, 1, 500, Set.of("T4"), 1))).isEqualTo(2000.0);
    // m = 3×500 on T4 only: only 2 T4 → does not fit → F = G = 4000
    assertThat(frag(v, new WorkloadDistribution.Shape(1000, 3, 500, Set.of("T4"), 1))).isEqualTo(4000.0);
    // m = 1×500 on any model → F = 0
    assertThat(frag(v, new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1))).isEqualTo(0.0);
  }

  @Test
  void emptyWorkloadMeasuresNothing() {
    assertThat(FragmentationMeasure.of(WorkloadDistribution.EMPTY).fragmentation(fragmentedNode())).isEqualTo(0.0);
  }
}
