package io.flexsched.core.policy;

import static io.flexsched.core.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.PolicyException;
import io.flexsched.core.RejectReason;
import io.flexsched.core.Scheduler;
import io.flexsched.core.engine.Engine;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A sampling policy ({@link ScoringPolicy#sampleSize}): {@code random} draws one node uniformly from
 * the nodes a task fits, as the fitting set changes and within a caller's subset; a policy sampling
 * k nodes gets the best of k uniform draws. Each distribution is checked with a chi-square test at
 * the 0.1% level on a fixed seed, and the test is shown to reject a policy that does not draw
 * uniformly.
 */
class SamplingTest {
  /** 20 nodes of 4 GPUs; the last 8 have too little CPU for the probe task. */
  private static List<Node> cluster() {
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < 20; i++) {
      nodes.add(g2Node("n" + i, i < 12 ? 32_000 : 1_000, 4));
    }
    return nodes;
  }

  private static PlacementEngine engine(String policy) {
    return Scheduler.builder().policy(policy).seed(7).nodes(cluster()).buildEngine();
  }

  /** Places and releases {@code rounds} probe tasks; per node index, how often it was chosen. */
  private static long[] draw(PlacementEngine e, int rounds, String prefix) {
    long[] count = new long[e.cluster().nodes().size() + 4];
    for (int i = 0; i < rounds; i++) {
      Task t = whole(prefix + i, 2_000, 1);
      Outcome o = e.place(t);
      assertThat(o.placed()).as("probe %d", i).isTrue();
      count[Integer.parseInt(((Outcome.Placed) o).assignments().get(0).node().substring(1))]++;
      e.release(t.id());
    }
    return count;
  }

  /**
   * The Wilson-Hilferty normal deviate of Pearson's statistic for {@code observed} against {@code p}
   * (per index, the expected share; indices with a share of 0 must not be observed at all).
   */
  private static double chiSquareZ(long[] observed, double[] p) {
    long total = Arrays.stream(observed).sum();
    double chi2 = 0;
    int cells = 0;
    for (int i = 0; i < observed.length; i++) {
      if (p[i] == 0) {
        assertThat(observed[i]).as("draws of index %d, which should never be drawn", i).isZero();
        continue;
      }
      double expected = total * p[i];
      chi2 += (observed[i] - expected) * (observed[i] - expected) / expected;
      cells++;
    }
    double df = cells - 1;
    return (Math.cbrt(chi2 / df) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  }

  private static double[] uniformOver(int size, IntPredicate fits) {
    double[] p = new double[size];
    long fitting = IntStream.range(0, size).filter(fits).count();
    for (int i = 0; i < size; i++) {
      p[i] = fits.test(i) ? 1.0 / fitting : 0;
    }
    return p;
  }

  private static final double Z_999 = 3.09; // the normal's 99.9th percentile

  @Test
  void randomDrawsEveryFittingNodeEquallyOftenAndNeverAnotherOne() {
    long[] counts = draw(engine("random"), 24_000, "t");
    double z = chiSquareZ(counts, uniformOver(counts.length, i -> i < 12));
    assertThat(z).as("counts %s", Arrays.toString(counts)).isLessThan(Z_999);
  }

  @Test
  void theTestRejectsAPolicyThatDoesNotDrawUniformly() {
    // bestfit on equal nodes always takes the same one: far outside the uniform distribution.
    long[] counts = draw(engine("bestfit"), 1_200, "t");
    assertThat(chiSquareZ(counts, uniformOver(counts.length, i -> i < 12))).isGreaterThan(Z_999 * 10);
  }

  @Test
  void drawsFollowTheFittingSetAsTheClusterChanges() {
    PlacementEngine e = engine("random");
    draw(e, 500, "warm");
    // Two fitting nodes filled, n2 fenced, n3 removed, n20 added.
    var full = new java.util.HashSet<String>();
    for (int i = 0; i < 2; i++) {
      Outcome o = e.place(whole("fill" + i, 8_000, 4));
      full.add(((Outcome.Placed) o).assignments().get(0).node());
    }
    e.fence("n2");
    e.removeNode("n3");
    e.addNode(g2Node("n20", 32_000, 4));
    long[] counts = draw(e, 18_000, "t");
    IntPredicate fits = i -> (i < 12 || i == 20) && i != 2 && i != 3 && !full.contains("n" + i);
    double z = chiSquareZ(counts, uniformOver(counts.length, fits));
    assertThat(z).as("counts %s with %s full", Arrays.toString(counts), full).isLessThan(Z_999);
  }

  @Test
  void aCallersSubsetIsDrawnFromUniformly() {
    Engine e = (Engine) engine("random");
    Set<String> subset = Set.of("n1", "n4", "n5", "n9", "n13");
    long[] counts = new long[20];
    for (int i = 0; i < 10_000; i++) {
      Task t = whole("t" + i, 2_000, 1);
      Outcome o = e.atomically(() -> e.decide(List.of(t), subset::contains, false));
      counts[Integer.parseInt(((Outcome.Placed) o).assignments().get(0).node().substring(1))]++;
      e.release(t.id());
    }
    // n13 is in the subset but lacks CPU.
    double z = chiSquareZ(counts, uniformOver(20, i -> i == 1 || i == 4 || i == 5 || i == 9));
    assertThat(z).as("counts %s", Arrays.toString(counts)).isLessThan(Z_999);
  }

  /** Scores a node by its negated ordinal: of the nodes drawn, the lowest ordinal wins. */
  private record LowestOfK(int sampleSize) implements ScoringPolicy {
    @Override
    public String name() {
      return "lowest-of-" + sampleSize;
    }

    @Override
    public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
      selectDevices(task, node, choice);
      return -node.ordinal();
    }

    @Override
    public boolean dependsOnlyOnNodeState() {
      return false;
    }
  }

  @Test
  void theBestOfKDrawsWins() {
    int k = 3;
    PlacementEngine e = Scheduler.builder().policy(new LowestOfK(k)).seed(7).nodes(cluster()).buildEngine();
    long[] counts = draw(e, 24_000, "t");
    // With F fitting nodes in ordinal order, the r-th wins when it is the lowest of k draws:
    // P = ((F - r)^k - (F - r - 1)^k) / F^k.
    int f = 12;
    double[] p = new double[counts.length];
    for (int r = 0; r < f; r++) {
      p[r] = (Math.pow(f - r, k) - Math.pow(f - r - 1, k)) / Math.pow(f, k);
    }
    double z = chiSquareZ(counts, p);
    assertThat(z).as("counts %s", Arrays.toString(counts)).isLessThan(Z_999);
    // Not uniform: the lowest node wins about 23% of the draws, the highest 0.06%.
    assertThat(counts[0]).isGreaterThan(counts[11] * 50);
  }

  @Test
  void aTaskThatFitsNowhereIsExplainedFromTheFittingSet() {
    PlacementEngine e = engine("random");
    Outcome o = e.place(whole("big", 2_000, 5));
    assertThat(o.placed()).isFalse();
    assertThat(((Outcome.Pending) o).reasons()).containsEntry(RejectReason.INSUFFICIENT_CPU, 8)
        .containsEntry(RejectReason.INSUFFICIENT_DEVICE_COUNT, 12);
  }

  @Test
  void aNegativeSampleSizeIsRejectedWhenTheEngineIsBuilt() {
    assertThatThrownBy(() -> Scheduler.builder().policy(new LowestOfK(-1)).nodes(cluster()).buildEngine())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("sampleSize").hasMessageContaining("lowest-of--1").hasMessageContaining("was -1");
  }

  @Test
  void aSampleSizeThatThrowsIsNamed() {
    ScoringPolicy broken = new ScoringPolicy() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        return 0;
      }

      @Override
      public int sampleSize() {
        throw new IllegalStateException("no sample today");
      }
    };
    assertThatThrownBy(() -> Scheduler.builder().policy(broken).nodes(cluster()).buildEngine())
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("broken").hasMessageContaining("sampleSize threw").hasMessageContaining("no sample today");
  }
}
