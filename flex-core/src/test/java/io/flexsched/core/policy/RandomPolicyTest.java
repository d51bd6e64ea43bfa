package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PlacementEngine;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random: the score is a uniform draw that depends only on (seed, decision, node); a share goes
 * to a random fitting device; whole devices are the lowest-index idle ones.
 */
class RandomPolicyTest {
  private static final double TWO_53 = 9007199254740992.0; // 2^53

  private final ScoringPolicy random = policy("random");

  private static DecisionContext at(long seed, long decision) {
    return DecisionContext.of(seed, decision);
  }

  @Test
  void nameAndStateIndependence() {
    assertThat(random.name()).isEqualTo("random");
    assertThat(random.dependsOnlyOnNodeState()).isFalse();
  }

  @Test
  void sameSeedDecisionAndNodeGiveTheSameScore() {
    PlacementEngine e = engine(List.of(g2Node("n1", 32_000, 4), g2Node("n2", 32_000, 4)));
    NodeView v = e.cluster().node("n1");
    double first = score(random, share("t", 1000, 500), v, at(7, 3)).score();
    // a second call, and a fresh policy instance, with an equal context: the same draw
    assertThat(score(random, share("t", 1000, 500), v, at(7, 3)).score()).isEqualTo(first);
    assertThat(score(policy("random"), share("t", 1000, 500), v, at(7, 3)).score()).isEqualTo(first);
    // the draw does not depend on the task
    assertThat(score(random, whole("other", 5000, 2), v, at(7, 3)).score()).isEqualTo(first);
    // it is an integer in [0, 2^53)
    assertThat(first).isBetween(0.0, TWO_53 - 1).isEqualTo(Math.rint(first));
  }

  @Test
  void drawChangesWithDecisionSeedAndNode() {
    PlacementEngine e = engine(List.of(g2Node("n1", 32_000, 4), g2Node("n2", 32_000, 4)));
    NodeView v1 = e.cluster().node("n1");
    NodeView v2 = e.cluster().node("n2");
    assertThat(v1.ordinal()).isNotEqualTo(v2.ordinal());
    double base = score(random, share("t", 1000, 500), v1, at(7, 3)).score();
    assertThat(score(random, share("t", 1000, 500), v1, at(7, 4)).score()).isNotEqualTo(base);
    assertThat(score(random, share("t", 1000, 500), v1, at(8, 3)).score()).isNotEqualTo(base);
    assertThat(score(random, share("t", 1000, 500), v2, at(7, 3)).score()).isNotEqualTo(base);
  }

  @Test
  void drawsLookUniform() {
    PlacementEngine e = engine(List.of(g2Node("n1", 32_000, 4), g2Node("n2", 32_000, 4)));
    NodeView v1 = e.cluster().node("n1");
    NodeView v2 = e.cluster().node("n2");
    int decisions = 4000;
    double sum = 0;
    int below = 0;
    int n1Wins = 0;
    var distinct = new HashSet<Double>();
    for (int i = 0; i < decisions; i++) {
      double a = score(random, whole("t", 1000, 1), v1, at(11, i)).score() / TWO_53;
      double b = score(random, whole("t", 1000, 1), v2, at(11, i)).score() / TWO_53;
      assertThat(a).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
      sum += a;
      if (a < 0.25) {
        below++;
      }
      if (a > b) {
        n1Wins++;
      }
      distinct.add(a);
    }
    // uniform on [0,1): mean 0.5 (sd of the mean ≈ 0.289/√4000 ≈ 0.0046), a quarter below 0.25
    // (sd ≈ √(4000*0.25*0.75) ≈ 27), each of two nodes wins half the time (sd ≈ 32)
    assertThat(sum / decisions).isBetween(0.48, 0.52);
    assertThat(below).isBetween(1000 - 150, 1000 + 150);
    assertThat(n1Wins).isBetween(2000 - 160, 2000 + 160);
    assertThat(distinct).hasSize(decisions);
  }

  @Test
  void shareGoesToARandomFittingDevice() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 800), "n1", 0, 800); // GPU0: 200 free
    place(e, share("s2", 1000, 900), "n1", 1, 900); // 900 does not fit GPU0 → GPU1: 100 free
    NodeView v = e.cluster().node("n1");
    assertFree(v, 200, 100, 1000, 1000);

    var chosen = new TreeSet<Integer>();
    for (int i = 0; i < 200; i++) {
      Scored s = score(random, share("t", 1000, 500), v, at(5, i));
      // exactly one device, one that fits 500 (GPU2 or GPU3), the same for the same context
      assertThat(s.devices()).hasSize(1);
      assertThat(s.devices()).isSubsetOf(2, 3);
      assertThat(score(random, share("t", 1000, 500), v, at(5, i)).devices()).isEqualTo(s.devices());
      chosen.add(s.devices().get(0));
    }
    // over 200 decisions both fitting devices come up (each with probability 1/2)
    assertThat(chosen).containsExactly(2, 3);

    // a small share fits everywhere: all four devices come up
    var small = new TreeSet<Integer>();
    for (int i = 0; i < 200; i++) {
      small.addAll(score(random, share("t", 1000, 100), v, at(5, i)).devices());
    }
    assertThat(small).containsExactly(0, 1, 2, 3);
  }

  @Test
  void wholeDevicesAreTheLowestIndexIdleOnes() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    place(e, share("s1", 1000, 800), "n1", 0, 800);
    place(e, share("s2", 1000, 900), "n1", 1, 900);
    NodeView v = e.cluster().node("n1");
    for (int i = 0; i < 20; i++) {
      assertThat(score(random, whole("t", 1000, 1), v, at(5, i)).devices()).containsExactly(2);
      assertThat(score(random, whole("t", 1000, 2), v, at(5, i)).devices()).containsExactly(2, 3);
    }
  }

  @Test
  void cpuOnlyTaskTakesNoDevice() {
    PlacementEngine e = engine(g2Node("n1", 32_000, 4));
    Scored s = score(random, cpuOnly("t", 1000), e.cluster().node("n1"), at(5, 0));
    assertThat(s.devices()).isEmpty();
    assertThat(s.score()).isBetween(0.0, TWO_53 - 1);
  }
}
