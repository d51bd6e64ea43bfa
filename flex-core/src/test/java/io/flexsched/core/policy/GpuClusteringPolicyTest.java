package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import org.junit.jupiter.api.Test;

/**
 * GpuClustering, hand-computed, with u = ⌊25·(8000 − gpuFree)/8000⌋: only this tag → 75 + u;
 * this tag among others → 50 + u; no GPU tasks → 25 + u; only other tags → u. Tags: share,
 * 1-, 2-, 4-, 8-GPU. CPU-only → 0.
 */
class GpuClusteringPolicyTest {
  private final ScoringPolicy clustering = policy("clustering");

  @Test
  void nameIsClustering() {
    assertThat(clustering.name()).isEqualTo("clustering");
  }

  @Test
  void onlyThisShareTag() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 2));
    place(e, share("s1", 1000, 500), "n1", 0, 500);
    NodeView v = e.cluster().node("n1");
    assertThat(v.totalFreeMilli()).isEqualTo(1500);

    Scored s = score(clustering, share("t", 1000, 300), v);
    // gpuFree 1500 → u = ⌊25*(8000-1500)/8000⌋ = ⌊162500/8000⌋ = ⌊20.3125⌋ = 20; only share tag → 75+20 = 95
    assertThat(s.score()).isEqualTo(95.0);
    // best-fit device: GPU0 (500 free, least that fits 300)
    assertThat(s.devices()).containsExactly(0);
  }

  @Test
  void onlyThisTwoGpuTag() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, whole("w2", 1000, 2), "n1", 0, 1000, 1, 1000);
    NodeView v = e.cluster().node("n1");

    Scored s = score(clustering, whole("t", 1000, 2), v);
    // gpuFree 2000 → u = ⌊25*6000/8000⌋ = ⌊18.75⌋ = 18; only the 2-GPU tag → 75+18 = 93
    assertThat(s.score()).isEqualTo(93.0);
    assertThat(s.devices()).containsExactly(2, 3);
  }

  @Test
  void thisTagAmongOthers() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, whole("w1", 1000, 1), "n1", 0, 1000);
    place(e, share("s1", 1000, 500), "n1", 1, 500); // GPU0 is taken whole → GPU1
    NodeView v = e.cluster().node("n1");
    assertThat(v.totalFreeMilli()).isEqualTo(2500);
    // gpuFree = 4000 − 1000 − 500 = 2500 → u = ⌊25*5500/8000⌋ = ⌊137500/8000⌋ = ⌊17.1875⌋ = 17

    // share tag present alongside the 1-GPU tag → 50+17 = 67
    assertThat(score(clustering, share("t", 1000, 200), v).score()).isEqualTo(67.0);
    // 1-GPU tag present alongside the share tag → 50+17 = 67
    assertThat(score(clustering, whole("t1", 1000, 1), v).score()).isEqualTo(67.0);
  }

  @Test
  void onlyOtherTags() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, whole("w1", 1000, 1), "n1", 0, 1000);
    place(e, share("s1", 1000, 500), "n1", 1, 500);
    NodeView v = e.cluster().node("n1");
    // u = 17 as above; the 2-GPU tag is not on the node, others are → u = 17
    Scored s = score(clustering, whole("t", 1000, 2), v);
    assertThat(s.score()).isEqualTo(17.0);
    assertThat(s.devices()).containsExactly(2, 3);
  }

  @Test
  void shareAndOneGpuAreDifferentTags() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, whole("w2", 1000, 2), "n1", 0, 1000, 1, 1000);
    NodeView v = e.cluster().node("n1");
    // only 2-GPU tasks on the node, gpuFree 2000 → u = 18 (see onlyThisTwoGpuTag)
    // a share and a 1-GPU task are other tags → u = 18
    assertThat(score(clustering, share("t", 1000, 500), v).score()).isEqualTo(18.0);
    assertThat(score(clustering, whole("t1", 1000, 1), v).score()).isEqualTo(18.0);
    // a 4-GPU task is another tag too (scored directly, whether or not it would fit) → 18
    assertThat(score(clustering, whole("t4", 1000, 4), v).score()).isEqualTo(18.0);
  }

  @Test
  void oneGpuTagAloneIsNotTheShareTag() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 8));
    place(e, whole("w1", 1000, 1), "n1", 0, 1000);
    NodeView v = e.cluster().node("n1");
    // gpuFree 7000 → u = ⌊25*1000/8000⌋ = ⌊3.125⌋ = 3
    // 1-GPU task: only its tag → 75+3 = 78; share task: only other tag → 3
    assertThat(score(clustering, whole("t1", 1000, 1), v).score()).isEqualTo(78.0);
    assertThat(score(clustering, share("ts", 1000, 999), v).score()).isEqualTo(3.0);
  }

  @Test
  void noGpuTasksOnIdleEightGpuNode() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 8));
    // gpuFree 8000 → u = 25*0/8000 = 0; no GPU tasks → 25+0 = 25
    assertThat(score(clustering, share("t", 1000, 500), e.cluster().node("n1")).score()).isEqualTo(25.0);
  }

  @Test
  void noGpuTasksIgnoresCpuOnlyTasks() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, cpuOnly("c1", 4000), "n1");
    NodeView v = e.cluster().node("n1");
    Scored s = score(clustering, whole("t", 1000, 2), v);
    // gpuFree 4000 → u = ⌊25*4000/8000⌋ = ⌊12.5⌋ = 12; only a CPU-only task → no GPU tasks → 25+12 = 37
    assertThat(s.score()).isEqualTo(37.0);
    assertThat(s.devices()).containsExactly(0, 1);
  }

  @Test
  void cpuOnlyTaskScoresZero() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 2));
    place(e, share("s1", 1000, 500), "n1", 0, 500);
    // would be 25+u or more for a GPU task; CPU-only → 0
    Scored s = score(clustering, cpuOnly("t", 1000), e.cluster().node("n1"));
    assertThat(s.score()).isEqualTo(0.0);
    assertThat(s.devices()).isEmpty();
    PlacementEngine idle = engine(g2Node("n2", 32_000, 8));
    assertThat(score(clustering, cpuOnly("t", 1000), idle.cluster().node("n2")).score()).isEqualTo(0.0);
  }
}
