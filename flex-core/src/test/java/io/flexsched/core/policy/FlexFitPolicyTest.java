package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FlexFit, hand-computed: FGD itself when every device shape may use every model, and
 * ⌊100·σ(Δ/8000)⌋ instead of ⌊100·σ(Δ/1000)⌋ when some device shape is restricted to models.
 *
 * <p>σ values used: σ(0.2) = 0.549834; σ(−1.25) = 1/(1 + e^1.25) = 0.222700; σ(−0.75) = 0.320821;
 * σ(−6) = 0.002473; σ(−10) = 0.0000454.
 */
class FlexFitPolicyTest {
  /** One shape, 1 GPU × 500 milli, 1 core, any model. */
  private static final WorkloadDistribution HALF_GPU =
      WorkloadDistribution.of(List.of(new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1)));
  /** ½ of 1 GPU × 500 milli, ½ CPU-only: no device shape is restricted. */
  private static final WorkloadDistribution HALF_GPU_HALF_CPU = WorkloadDistribution.of(List.of(
      new WorkloadDistribution.Shape(1000, 1, 500, Set.of(), 1), new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 1)));
  /** One whole T4 with 10 cores: the restricted demand. */
  private static final WorkloadDistribution T4_ONLY =
      WorkloadDistribution.of(List.of(new WorkloadDistribution.Shape(10_000, 1, 1000, Set.of("T4"), 1)));

  private static ScoringPolicy flexfit(WorkloadDistribution w) {
    return policy("flexfit", w);
  }

  @Test
  void isRegisteredAsFlexfitAndCachesByNodeState() {
    ScoringPolicy p = flexfit(HALF_GPU);
    assertThat(p.name()).isEqualTo("flexfit");
    assertThat(p).isInstanceOf(FlexFitPolicy.class);
    assertThat(p.dependsOnlyOnNodeState()).isTrue();
    assertThat(flexfit(T4_ONLY).dependsOnlyOnNodeState()).isTrue();
  }

  @Test
  void onlyDeviceShapesRestrictedToModelsWidenTheScale() {
    assertThat(FlexFitPolicy.restricted(HALF_GPU)).isFalse();
    assertThat(FlexFitPolicy.restricted(HALF_GPU_HALF_CPU)).isFalse();
    assertThat(FlexFitPolicy.restricted(WorkloadDistribution.EMPTY)).isFalse();
    assertThat(FlexFitPolicy.restricted(T4_ONLY)).isTrue();
    // A CPU-only shape has no models to restrict; one restricted device shape among others suffices.
    assertThat(FlexFitPolicy.restricted(WorkloadDistribution.of(List.of(
        new WorkloadDistribution.Shape(1000, 0, 0, Set.of(), 5),
        new WorkloadDistribution.Shape(1000, 1, 200, Set.of(), 5),
        new WorkloadDistribution.Shape(1000, 2, 1000, Set.of("V100M16", "V100M32"), 1))))).isTrue();
  }

  @Test
  void withoutRestrictedDemandItScoresAndChoosesAsFgd() {
    NodeView frag = fragmentedNode();
    NodeView idle = engine(g2Node("n2", 32_000, 4)).cluster().node("n2");
    List<Task> tasks = List.of(share("a", 1000, 200), share("b", 1000, 600), whole("c", 1000, 1), whole("d", 2000, 2),
        shares("e", 1000, 2, 300), cpuOnly("f", 4000));
    for (WorkloadDistribution w : List.of(HALF_GPU, HALF_GPU_HALF_CPU, WorkloadDistribution.EMPTY)) {
      for (NodeView v : List.of(frag, idle)) {
        for (Task t : tasks) {
          assertThat(score(flexfit(w), t, v)).as("%s on %s", t.id(), v.spec().name())
              .isEqualTo(score(policy("fgd", w), t, v));
        }
      }
    }
    // One of them by hand: before (1×500) 300 + 100 = 400; share 200 on GPU0 leaves F = 200, Δ = +200 → 54.
    assertThat(score(flexfit(HALF_GPU), share("t", 1000, 200), frag)).isEqualTo(new Scored(54.0, List.of(0)));
  }

  @Test
  void restrictedDemandKeepsApartPlacementsFgdScoresAlike() {
    // 6 whole GPUs and 8 cores on a T4 node with 16 cores leave 8 cores, less than the T4 shape's
    // 10: every T4 left there is lost to the restricted demand. With 16 T4s, 10 are lost
    // (Δ = −10,000); with 12 T4s, 6 (Δ = −6,000). FGD scores both ⌊100·σ(−10)⌋ = ⌊100·σ(−6)⌋ = 0
    // and leaves the choice to the node order; flexfit scores ⌊100·σ(−1.25)⌋ = 22 and
    // ⌊100·σ(−0.75)⌋ = 32 and takes the node that strands fewer cards.
    NodeView sixteen = engine(Node.of("t16", 16_000, 1_048_576, T4, 16)).cluster().node("t16");
    NodeView twelve = engine(Node.of("t12", 16_000, 1_048_576, T4, 12)).cluster().node("t12");
    Task six = whole("six", 8000, 6);
    assertThat(score(policy("fgd", T4_ONLY), six, sixteen).score()).isEqualTo(0.0);
    assertThat(score(policy("fgd", T4_ONLY), six, twelve).score()).isEqualTo(0.0);
    Scored on16 = score(flexfit(T4_ONLY), six, sixteen);
    Scored on12 = score(flexfit(T4_ONLY), six, twelve);
    assertThat(on16.score()).isEqualTo(22.0);
    assertThat(on12.score()).isEqualTo(32.0);
    assertThat(on12.devices()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void restrictedDemandScoresEveryTaskOnTheWiderScale() {
    NodeView frag = fragmentedNode();
    // The T4 shape may use no G2 card: all free G2 compute (2,000) is lost to it before, and 1,800
    // after a share of 200 (any device), so Δ = +200: FGD ⌊100·σ(0.2)⌋ = 54, flexfit
    // ⌊100·σ(0.025)⌋ = ⌊50.62⌋ = 50.
    assertThat(score(policy("fgd", T4_ONLY), share("t", 1000, 200), frag).score()).isEqualTo(54.0);
    assertThat(score(flexfit(T4_ONLY), share("t", 1000, 200), frag).score()).isEqualTo(50.0);
  }
}
