package io.flexsched.core.policy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.spi.FragmentationMeasure;
import java.util.Arrays;

/**
 * Fragmentation gradient descent (FGD paper): the node and device whose placement grows the
 * node's fragmentation (the engine's {@link FragmentationMeasure}, by default the paper's measure
 * against the target workload) the least. A share tries every fitting device and keeps
 * the best (ties to the lowest index); other requests take best-fit devices.
 *
 * <p>{@code fgd} scores ⌊100·σ(Δ/1000)⌋ with Δ = F(before) − F(after), as the paper's simulator
 * does (many nodes tie and the seeded tie-break decides); {@code fgd-exact} ranks by Δ itself.
 */
public class FgdPolicy implements ScoringPolicy {
  private final String name;
  private final FragmentationMeasure measure;
  /** What the measure's answers are multiplied by (1 but for a measure over part of the workload). */
  private final double weight;
  private final boolean exact;
  /** A share tied between devices takes the one it leaves fullest rather than the lowest index. */
  private final boolean fullestTie;
  private int[] free = new int[8];
  private DeviceModel[] models = new DeviceModel[8];
  private double[] beforeByNode = new double[0];
  private long[] beforeStamp = new long[0];

  public FgdPolicy(FragmentationMeasure measure, boolean exact) {
    this(exact ? "fgd-exact" : "fgd", measure, 1, exact, false);
  }

  /** A variant of FGD: its name, measure and weight, and how device ties are broken. */
  FgdPolicy(String name, FragmentationMeasure measure, double weight, boolean exact, boolean fullestTie) {
    this.name = name;
    this.measure = measure;
    this.weight = weight;
    this.exact = exact;
    this.fullestTie = fullestTie;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    int n = node.deviceCount();
    if (free.length < n) {
      free = new int[n];
      models = new DeviceModel[n];
    }
    for (int d = 0; d < n; d++) {
      free[d] = node.freeMilli(d);
      models[d] = node.model(d);
    }
    double before = before(node, n);
    long cpuAfter = node.freeCpuMilli() - task.cpuMilli();
    AcceleratorRequest r = task.accelerators();
    if (Requests.isShare(r)) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      int bestLeft = Integer.MAX_VALUE;
      for (int d = 0; d < n; d++) {
        if (!node.canHost(d, r)) {
          continue;
        }
        free[d] -= r.milliPerDevice();
        double s = scoreOf(before - fragmentation(cpuAfter, n));
        int left = free[d];
        free[d] += r.milliPerDevice();
        if (s > bestScore || (fullestTie && s == bestScore && left < bestLeft)) {
          best = d;
          bestScore = s;
          bestLeft = left;
        }
      }
      choice.add(best);
      return bestScore;
    }
    selectDevices(task, node, choice);
    for (int i = 0; i < choice.size(); i++) {
      int d = choice.device(i);
      free[d] -= takenMilli(r, models[d]);
    }
    return scoreOf(before - fragmentation(cpuAfter, n));
  }

  private static int takenMilli(AcceleratorRequest r, DeviceModel model) {
    if (r.profile() == null) {
      return r.milliPerDevice();
    }
    Profile p = model.profile(r.profile()).orElseThrow();
    return model.profileMilli(p);
  }

  /** The node's fragmentation as it is, cached under its state stamp. */
  private double before(NodeView node, int n) {
    int ordinal = node.ordinal();
    if (ordinal >= beforeStamp.length) {
      int cap = Math.max(ordinal + 1, beforeStamp.length * 2);
      beforeStamp = Arrays.copyOf(beforeStamp, cap);
      beforeByNode = Arrays.copyOf(beforeByNode, cap);
    }
    long stamp = node.stateStamp() + 1; // 0 marks an empty entry
    if (beforeStamp[ordinal] != stamp) {
      beforeByNode[ordinal] = fragmentation(node.freeCpuMilli(), n);
      beforeStamp[ordinal] = stamp;
    }
    return beforeByNode[ordinal];
  }

  /**
   * The measure of the node state in {@link #free} and {@link #models}. A measure that answers
   * something other than a number fails here, loudly: the quantised score would turn it into a
   * plausible 0, and the node cache would keep it for every later decision.
   */
  private double fragmentation(long cpuFree, int n) {
    double f = measure.fragmentation(cpuFree, free, models, n);
    if (!Double.isFinite(f)) {
      throw new IllegalStateException("fragmentation measure '" + measure.name() + "' answered " + f);
    }
    return weight * f;
  }

  private double scoreOf(double delta) {
    if (exact) {
      return delta;
    }
    return (long) (100.0 / (1.0 + Math.exp(-delta / 1000.0)));
  }

  /** Registers {@code fgd}, the paper's quantised form. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "fgd";
    }

    @Override
    public String description() {
      return "fragmentation gradient descent, scored as the paper's simulator does: floor(100*sigmoid(dF/1000))";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new FgdPolicy(context.fragmentation(), false);
    }
  }

  /** Registers {@code fgd-exact}, ranked by the exact fragmentation difference. */
  public static final class ExactProvider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "fgd-exact";
    }

    @Override
    public String description() {
      return "fragmentation gradient descent ranked by the exact fragmentation difference";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new FgdPolicy(context.fragmentation(), true);
    }
  }
}
