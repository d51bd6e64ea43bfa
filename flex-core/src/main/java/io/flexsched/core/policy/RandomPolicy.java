package io.flexsched.core.policy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;

/**
 * The FGD paper's baseline: a uniformly random feasible node (the engine draws one, see
 * {@link #sampleSize}); a share goes to a random fitting device, whole devices are the
 * lowest-indexed idle ones. Asked to score every node (a wrapper that does not sample), it gives
 * every node a fresh random score per decision, which also makes a uniformly random node win.
 */
public final class RandomPolicy implements ScoringPolicy {
  @Override
  public String name() {
    return "random";
  }

  @Override
  public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    AcceleratorRequest r = task.accelerators();
    if (Requests.isShare(r)) {
      int best = -1;
      long bestDraw = Long.MAX_VALUE;
      for (int d = 0; d < node.deviceCount(); d++) {
        if (node.canHost(d, r)) {
          long draw = context.random(node.ordinal(), d);
          if (draw < bestDraw) {
            best = d;
            bestDraw = draw;
          }
        }
      }
      choice.add(best);
    } else {
      selectDevices(task, node, choice);
    }
    // 53 random bits: a double that is exact and uniform in [0, 2^53).
    return context.random(node.ordinal(), Integer.MIN_VALUE) >>> 11;
  }

  @Override
  public boolean dependsOnlyOnNodeState() {
    return false;
  }

  /** One node drawn uniformly from those the task fits: O(log n) a decision instead of scoring them all. */
  @Override
  public int sampleSize() {
    return 1;
  }

  /** Registers {@code random}. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "random";
    }

    @Override
    public String description() {
      return "a uniformly random feasible node and, for a share, a random fitting device";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new RandomPolicy();
    }
  }
}
