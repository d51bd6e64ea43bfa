package io.flexsched.core.policy;

import io.flexsched.model.DeviceModel;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;

/**
 * GpuPacking (FGD paper): partly used devices first, then partly used nodes, then idle nodes.
 * Best-fit devices; if they are all partly used: max(50, 100 − Σ⌊free%⌋/10) over them; else on a
 * partly used node: max(33, 50 − idle devices taken); on an idle node: max(#devices, 33 −
 * #devices). CPU-only tasks score 0 everywhere.
 */
public final class GpuPackingPolicy implements ScoringPolicy {
  @Override
  public String name() {
    return "packing";
  }

  @Override
  public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    selectDevices(task, node, choice);
    if (task.accelerators().count() == 0) {
      return 0;
    }
    int devices = node.deviceCount();
    if (node.idleDevices() == devices) {
      return Math.max(devices, 33 - devices);
    }
    int idleTaken = 0;
    long freePercent = 0;
    for (int i = 0; i < choice.size(); i++) {
      int d = choice.device(i);
      if (node.isIdle(d)) {
        idleTaken++;
      }
      freePercent += node.freeMilli(d) * 100L / DeviceModel.WHOLE_MILLI;
    }
    if (idleTaken > 0) {
      return Math.max(50 - idleTaken, 33);
    }
    return Math.max(100 - freePercent / 10, 50);
  }

  /** Registers {@code packing}. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "packing";
    }

    @Override
    public String description() {
      return "partly used devices first, then partly used nodes, then idle nodes";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new GpuPackingPolicy();
    }
  }
}
