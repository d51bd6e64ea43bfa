package io.flexsched.core.policy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Task;

/** The FGD paper's reading of a task's request, shared by the built-in policies. */
final class Requests {
  /** CPU normaliser of DotProd and BestFit: a 128-core node. */
  static final double MAX_CPU_MILLI = 128_000;
  /** GPU normaliser of DotProd, BestFit and GpuClustering: an 8-GPU node. */
  static final long MAX_GPU_MILLI = 8_000;

  private Requests() {}

  /** Total compute asked, in milli. */
  static long gpuMilli(Task task) {
    return task.accelerators().totalMilli();
  }

  /** True for a task that shares one device (one device, below 1000 milli, no profile). */
  static boolean isShare(AcceleratorRequest r) {
    return r.count() == 1 && r.profile() == null && r.milliPerDevice() < DeviceModel.WHOLE_MILLI;
  }
}
