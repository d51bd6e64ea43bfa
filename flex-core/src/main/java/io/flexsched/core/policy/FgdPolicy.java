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
  /** The paper simulator's scale of the logistic. */
  static final int PAPER_SCALE = 1000;
  private final String name;
  private final FragmentationMeasure measure;
  private final boolean exact;
  /** The logistic's scale: the quantised score is ⌊100·σ(Δ/scale)⌋. */
  private final int scale;
  private int[] free = new int[8];
  private DeviceModel[] models = new DeviceModel[8];
  private double[] beforeByNode = new double[0];
  private long[] beforeStamp = new long[0];

  public FgdPolicy(FragmentationMeasure measure, boolean exact) {
    this(exact ? "fgd-exact" : "fgd", measure, exact, PAPER_SCALE);
  }

  /** A variant of FGD: its name, measure and the logistic's scale. */
  FgdPolicy(String name, FragmentationMeasure measure, boolean exact, int scale) {
    this.name = name;
    this.measure = measure;
    this.exact = exact;
    this.scale = scale;
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
      for (int d = 0; d < n; d++) {
        if (!node.canHost(d, r)) {
          continue;
        }
        free[d] -= r.milliPerDevice();
        double s = scoreOf(before - fragmentation(cpuAfter, n));
        free[d] += r.milliPerDevice();
        if (s > bestScore) {
          best = d;
          bestScore = s;
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
    return f;
  }

  private double scoreOf(double delta) {
    if (exact) {
      return delta;
    }
    return (long) (100.0 / (1.0 + Math.exp(-delta / scale)));
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
