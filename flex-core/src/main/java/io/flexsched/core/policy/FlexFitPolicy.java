package io.flexsched.core.policy;

import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;

/**
 * FlexFit: FGD's quantised score, ⌊100·σ(Δ/s)⌋, with the logistic's scale s chosen by the target
 * workload (see {@code docs/flexfit.md} for what was measured).
 *
 * <p>When part of the workload's device demand may use only some device models, Δ of one
 * placement spans several thousand: the measure counts a model's free compute as fragmented for
 * every shape that may not use it, so taking a card of a model the restricted demand needs moves F
 * by the whole card for each such shape. FGD's s = 1000 puts every |Δ| above about 4,600 on the
 * same score (σ is within 1% of 0 or 1 there), so it cannot tell a placement that costs the
 * restricted demand a card from one that costs it a sliver, and the seeded node order decides.
 * With s = {@value #RESTRICTED_SCALE} those placements keep apart while near-equal ones still tie
 * (one score step is about 320 milli of Δ near 0), and the node order keeps packing the ties.
 *
 * <p>When every device shape may use every model, nothing we measured beat FGD on every trace
 * (device-shape-only measures, packing keys, device tie rules, other scales: all in the docs), so
 * FlexFit is FGD there, decision for decision. The score depends only on the node's state and the
 * task's shape.
 */
public final class FlexFitPolicy extends FgdPolicy {
  /** The logistic's scale when some device demand is restricted to models (chosen on seeds 1-10). */
  static final int RESTRICTED_SCALE = 8000;

  /**
   * @param workload the target workload: whether its device shapes are restricted to models sets the scale
   * @param measure the engine's fragmentation measure, as FGD uses it
   */
  public FlexFitPolicy(WorkloadDistribution workload, FragmentationMeasure measure) {
    super("flexfit", measure, false, restricted(workload) ? RESTRICTED_SCALE : PAPER_SCALE);
  }

  /** True when some device shape of {@code workload} may use only some device models. */
  static boolean restricted(WorkloadDistribution workload) {
    for (WorkloadDistribution.Shape s : workload.shapes()) {
      if (s.gpus() > 0 && !s.models().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Registers {@code flexfit}. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "flexfit";
    }

    @Override
    public String description() {
      return "quantised FGD whose logistic is widened to 8000 when some device demand is restricted to models;"
          + " FGD itself otherwise";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new FlexFitPolicy(context.workload(), context.fragmentation());
    }
  }
}
