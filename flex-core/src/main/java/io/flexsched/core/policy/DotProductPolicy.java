package io.flexsched.core.policy;

import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;

/**
 * DotProd (FGD paper): the node whose free resources point least in the request's direction.
 * With CPU normalised by 128 cores and GPU by 8 devices, d = ½(cpuFree·cpuReq/128000² +
 * gpuFree·gpuReq/8000²) and the score is ⌊100·(1 − d)⌋; 0 if the CPU does not fit. Best-fit
 * devices.
 */
public final class DotProductPolicy implements ScoringPolicy {
  @Override
  public String name() {
    return "dotprod";
  }

  @Override
  public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    selectDevices(task, node, choice);
    long cpuFree = node.freeCpuMilli();
    if (cpuFree < task.cpuMilli()) {
      return 0;
    }
    double cpu = (cpuFree / Requests.MAX_CPU_MILLI) * (task.cpuMilli() / Requests.MAX_CPU_MILLI);
    double gpu = ((double) node.totalFreeMilli() / Requests.MAX_GPU_MILLI)
        * ((double) Requests.gpuMilli(task) / Requests.MAX_GPU_MILLI);
    return (long) (100 * (1 - (cpu + gpu) / 2));
  }

  /** Registers {@code dotprod}. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "dotprod";
    }

    @Override
    public String description() {
      return "the node whose free CPU and GPU point least in the request's direction (dot product)";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new DotProductPolicy();
    }
  }
}
