package io.flexsched.spi;

import io.flexsched.model.DeviceModel;
import io.flexsched.model.WorkloadDistribution;
import java.util.List;

/** {@link FragmentationMeasure#of(WorkloadDistribution)}: the FGD paper's measure. */
final class WorkloadFragmentation implements FragmentationMeasure {
  private final WorkloadDistribution.Shape[] shapes;
  private final double[] weights;

  WorkloadFragmentation(WorkloadDistribution workload) {
    List<WorkloadDistribution.Shape> list = workload.shapes();
    this.shapes = list.toArray(new WorkloadDistribution.Shape[0]);
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
  public double fragmentation(long cpuFree, int[] free, DeviceModel[] models, int n) {
    long all = 0;
    for (int d = 0; d < n; d++) {
      all += free[d];
    }
    double total = 0;
    for (int s = 0; s < shapes.length; s++) {
      WorkloadDistribution.Shape m = shapes[s];
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
