package io.flexsched.core.policy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicy;

/**
 * GpuClustering (FGD paper): keep tasks of one kind together. Tasks are tagged share, 1-GPU,
 * 2-GPU, 4-GPU, 8-GPU (by device count); with u = ⌊25·(8000 − gpuFree)/8000⌋, a node holding
 * only this tag scores 75 + u, this tag among others 50 + u, no GPU tasks 25 + u, only other tags
 * u. CPU-only tasks score 0 everywhere. Best-fit devices.
 */
public final class GpuClusteringPolicy implements ScoringPolicy {
  /** The tag of a sharing task; other GPU tasks are tagged by their device count. */
  private static final int SHARE_TAG = 0;

  @Override
  public String name() {
    return "clustering";
  }

  @Override
  public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
    selectDevices(task, node, choice);
    AcceleratorRequest r = task.accelerators();
    if (r.count() == 0) {
      return 0;
    }
    long u = 25 * (Requests.MAX_GPU_MILLI - node.totalFreeMilli()) / Requests.MAX_GPU_MILLI;
    int tag = tag(r);
    boolean any = false;
    boolean same = false;
    boolean other = false;
    for (Task t : node.tasks()) {
      if (t.accelerators().count() == 0) {
        continue;
      }
      any = true;
      if (tag(t.accelerators()) == tag) {
        same = true;
      } else {
        other = true;
      }
    }
    if (!any) {
      return 25 + u;
    }
    if (same) {
      return (other ? 50 : 75) + u;
    }
    return u;
  }

  private static int tag(AcceleratorRequest r) {
    return Requests.isShare(r) ? SHARE_TAG : r.count();
  }

  /** Registers {@code clustering}. */
  public static final class Provider implements ScoringPolicy.Provider {
    @Override
    public String name() {
      return "clustering";
    }

    @Override
    public String description() {
      return "nodes already running tasks of the same kind (share, 1, 2, 4, 8 GPUs) first";
    }

    @Override
    public ScoringPolicy create(PolicyContext context) {
      return new GpuClusteringPolicy();
    }
  }
}
