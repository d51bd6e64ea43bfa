package io.flexsched.core.policy;

import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.List;

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
public final class FlexFitPolicy extends FgdPolicy {
  /**
   * @param workload the target workload; its device shapes define the measure
   * @param fallback the measure used when the workload has no device shapes
   */
  public FlexFitPolicy(WorkloadDistribution workload, FragmentationMeasure fallback) {
    this(deviceShapes(workload), fallback);
  }

  private FlexFitPolicy(List<WorkloadDistribution.Shape> deviceShapes, FragmentationMeasure fallback) {
    super("flexfit", deviceShapes.isEmpty() ? fallback : FragmentationMeasure.of(WorkloadDistribution.of(deviceShapes)),
        deviceShapes.isEmpty() ? 1 : weightOf(deviceShapes), false, true);
  }

  private static List<WorkloadDistribution.Shape> deviceShapes(WorkloadDistribution workload) {
    var out = new ArrayList<WorkloadDistribution.Shape>();
    for (WorkloadDistribution.Shape s : workload.shapes()) {
      if (s.gpus() > 0) {
        out.add(s);
      }
    }
    return out;
  }

  /** The device shapes' share of the workload, to bring the renormalised measure back to it. */
  private static double weightOf(List<WorkloadDistribution.Shape> shapes) {
    double weight = 0;
    for (WorkloadDistribution.Shape s : shapes) {
      weight += s.weight();
    }
    return weight;
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
