package io.flexsched.spi;

import io.flexsched.model.DeviceModel;
import io.flexsched.model.WorkloadDistribution;

/**
 * How much of a node's free accelerator compute a target workload cannot use: the quantity a
 * fragmentation-aware policy keeps small and the engine's fragmentation gauges report.
 *
 * <p>A measure sees a node as its free CPU and, per device, its model and free compute, so that a
 * policy can ask it about the state a placement would leave without changing anything. The engine
 * passes the measure it was built with to every policy in {@link PolicyContext#fragmentation()};
 * by default that is {@link #of(WorkloadDistribution)} over the engine's target workload.
 */
public interface FragmentationMeasure {
  /** The measure's name. */
  String name();

  /**
   * The fragmented compute, in milli of a device (0 = none, up to the free compute), of a node
   * whose free CPU is {@code freeCpuMilli} and whose first {@code devices} devices have
   * {@code freeMilli} free and the given {@code models}. Must not keep or change the arrays.
   */
  double fragmentation(long freeCpuMilli, int[] freeMilli, DeviceModel[] models, int devices);

  /** The node's fragmented compute as it stands. */
  default double fragmentation(NodeView node) {
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
   * The FGD paper's measure against {@code workload}: F(n) = Σ_m p_m·F_n(m), where, with G the
   * node's free device compute, F_n(m) = G when shape m asks for no device, when no device of the
   * node may serve m, when fewer than m's device count have m's share free, or when m's CPU does
   * not fit; otherwise F_n(m) is the free compute of the devices that cannot serve m. Memory is
   * not part of the measure, as in the paper.
   */
  static FragmentationMeasure of(WorkloadDistribution workload) {
    return new WorkloadFragmentation(workload);
  }
}
