package io.flexsched.core.policy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * FlexFit: FGD's quantised score, ⌊100·σ(Δ/1000)⌋, with two changes measured on the Alibaba trace
 * (see {@code docs/flexfit.md}).
 *
 * <ul>
 *   <li>Δ is measured against the target workload's <em>device</em> shapes only, at their weight
 *       in the whole workload. A CPU-only shape counts a node's whole free compute as fragmented
 *       before and after any placement, so in FGD it adds the same w·milli to every node's Δ for a
 *       task: it cannot rank nodes, it only moves where the quantisation steps fall, and it pulls
 *       every Δ towards the σ plateau. Without it, ties fall where the device shapes put them.
 *   <li>A share that scores the same on several devices of a node takes the one it leaves fullest
 *       (FGD takes the lowest index), so the node keeps its larger free pieces.
 * </ul>
 *
 * <p>Between nodes, ties are left to the engine's seeded node order on purpose: it packs tied work
 * onto the same nodes, which is why the quantised score beats the exact one; every deliberate
 * secondary key we measured between nodes (fullest node, least CPU and GPU left, the exact Δ)
 * lost on the tuning traces. The score depends only on the node's state and the task's shape.
 */
public final class FlexFitPolicy implements ScoringPolicy {
  /** The paper's logistic scale, in milli of fragmentation. */
  static final double SCALE = 1000;

  private final FragmentationMeasure measure;
  /** The device shapes' share of the workload, to bring the renormalised measure back to it. */
  private final double deviceWeight;
  private int[] free = new int[8];
  private DeviceModel[] models = new DeviceModel[8];
  private double[] beforeByNode = new double[0];
  private long[] beforeStamp = new long[0];

  /**
   * @param workload the target workload; its device shapes define the measure
   * @param fallback the measure used when the workload has no device shapes
   */
  public FlexFitPolicy(WorkloadDistribution workload, FragmentationMeasure fallback) {
    var deviceShapes = new ArrayList<WorkloadDistribution.Shape>();
    double weight = 0;
    for (WorkloadDistribution.Shape s : workload.shapes()) {
      if (s.gpus() > 0) {
        deviceShapes.add(s);
        weight += s.weight();
      }
    }
    if (deviceShapes.isEmpty()) {
      this.measure = fallback;
      this.deviceWeight = 1;
    } else {
      this.measure = FragmentationMeasure.of(WorkloadDistribution.of(deviceShapes));
      this.deviceWeight = weight;
    }
  }

  @Override
  public String name() {
    return "flexfit";
  }

  @Override
  public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
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
        double s = quantised(before - fragmentation(cpuAfter, n));
        int left = free[d];
        free[d] += r.milliPerDevice();
        if (s > bestScore || (s == bestScore && left < bestLeft)) {
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
    return quantised(before - fragmentation(cpuAfter, n));
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

  /** The device shapes' fragmentation of the state in {@link #free}, at their workload weight. */
  private double fragmentation(long cpuFree, int n) {
    double f = measure.fragmentation(cpuFree, free, models, n);
    if (!Double.isFinite(f)) {
      throw new IllegalStateException("fragmentation measure '" + measure.name() + "' answered " + f);
    }
    return deviceWeight * f;
  }

  static double quantised(double delta) {
    return (long) (100.0 / (1.0 + Math.exp(-delta / SCALE)));
  }

  /** Registers {@code flexfit}. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "flexfit";
    }

    @Override
    public String description() {
      return "quantised FGD against the workload's device shapes; shares tied within a node take the fullest device";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new FlexFitPolicy(context.workload(), context.fragmentation());
    }
  }
}
