package io.flexsched.spi;

import io.flexsched.model.DeviceModel;
import java.util.List;

/**
 * The FGD paper's node fragmentation against a target workload M: F(n) = Σ_m p_m·F_n(m), where
 * with G the node's free device compute, F_n(m) = G when m asks for no device, when no device of
 * the node may serve m, when fewer than m's device count have m's share free, or when m's CPU
 * does not fit; otherwise F_n(m) is the free compute of the devices that cannot serve m.
 *
 * <p>Memory is not part of the measure, as in the paper.
 */
public final class WorkloadFragmentation implements FragmentationMeasure {
  private final TaskShape[] shapes;
  private final double[] weights;

  public WorkloadFragmentation(WorkloadDistribution workload) {
    List<TaskShape> list = workload.shapes();
    this.shapes = list.toArray(new TaskShape[0]);
    this.weights = new double[shapes.length];
    for (int i = 0; i < shapes.length; i++) {
      weights[i] = shapes[i].weight();
    }
  }

  @Override
  public String name() {
    return "workload-fragmentation";
  }

  @Override
  public double fragmentation(NodeView node) {
    int n = node.deviceCount();
    int[] free = new int[n];
    DeviceModel[] models = new DeviceModel[n];
    for (int d = 0; d < n; d++) {
      free[d] = node.freeMilli(d);
      models[d] = node.model(d);
    }
    return fragmentation(node.freeCpuMilli(), free, models, n);
  }

  /**
   * The fragmentation of a node whose free CPU is {@code cpuFree} and whose first {@code n}
   * devices have {@code free} milli free and the given models.
   */
  public double fragmentation(long cpuFree, int[] free, DeviceModel[] models, int n) {
    long all = 0;
    for (int d = 0; d < n; d++) {
      all += free[d];
    }
    double total = 0;
    for (int s = 0; s < shapes.length; s++) {
      TaskShape m = shapes[s];
      long frag = all;
      if (m.gpus() > 0 && cpuFree >= m.cpuMilli()) {
        int eligible = 0;
        long unusable = 0;
        for (int d = 0; d < n; d++) {
          if (free[d] >= m.gpuMilli() && m.allows(models[d])) {
            eligible++;
          } else {
            unusable += free[d];
          }
        }
        if (eligible >= m.gpus()) {
          frag = unusable;
        }
      }
      total += weights[s] * frag;
    }
    return total;
  }
}
