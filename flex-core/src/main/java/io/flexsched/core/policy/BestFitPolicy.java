package io.flexsched.core.policy;

import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;

/**
 * BestFit (FGD paper): least leftover wins. Score ⌊100·(1 − [½·(cpuFree − cpuReq)/128000 +
 * ½·(gpuFree − gpuReq)/8000])⌋. Best-fit devices.
 */
public final class BestFitPolicy implements ScoringPolicy {
  @Override
  public String name() {
    return "bestfit";
  }

  @Override
  public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    selectDevices(task, node, choice);
    double leftover = 0.5 * (node.freeCpuMilli() - task.cpuMilli()) / Requests.MAX_CPU_MILLI
        + 0.5 * (node.totalFreeMilli() - Requests.gpuMilli(task)) / (double) Requests.MAX_GPU_MILLI;
    return (long) ((1 - leftover) * 100);
  }

  /** Registers {@code bestfit}. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "bestfit";
    }

    @Override
    public String description() {
      return "the node with the least CPU and GPU left over after placement";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new BestFitPolicy();
    }
  }
}
