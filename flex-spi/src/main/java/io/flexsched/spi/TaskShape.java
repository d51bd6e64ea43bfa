package io.flexsched.spi;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.util.Set;

/**
 * One kind of task in a target workload distribution, with its share of the workload.
 *
 * @param cpuMilli CPU it asks for
 * @param gpus devices it asks for (0 = CPU-only)
 * @param gpuMilli compute share per device (0 for CPU-only)
 * @param models allowed models; empty = any
 * @param weight its share of the workload (relative; a distribution renormalises weights to sum to 1)
 */
public record TaskShape(long cpuMilli, int gpus, int gpuMilli, Set<String> models, double weight) {
  public TaskShape {
    if (cpuMilli < 0) {
      throw new InvalidSpecException("workload cpuMilli", cpuMilli, "must be at least 0");
    }
    if (gpus < 0 || gpus > 64) {
      throw new InvalidSpecException("workload gpus", gpus, "must be in 0..64");
    }
    if (gpus == 0 ? gpuMilli != 0 : gpuMilli < 1 || gpuMilli > DeviceModel.WHOLE_MILLI) {
      throw new InvalidSpecException("workload gpuMilli", gpuMilli, gpus == 0 ? "must be 0 when gpus is 0" : "must be in 1..1000");
    }
    models = Set.copyOf(models);
    if (!(weight > 0 && Double.isFinite(weight))) {
      throw new InvalidSpecException("workload weight", weight, "must be a positive number");
    }
  }

  /** The shape of {@code task} (CPU, device count, share and models), with weight 1. */
  public static TaskShape of(Task task) {
    AcceleratorRequest a = task.accelerators();
    return new TaskShape(task.cpuMilli(), a.count(), a.count() == 0 ? 0 : a.milliPerDevice(), a.models(), 1.0);
  }

  /** True when a device of {@code model} may serve this shape. */
  public boolean allows(DeviceModel model) {
    return models.isEmpty() || models.contains(model.name());
  }

  /** Total compute asked, in milli. */
  public long totalMilli() {
    return (long) gpus * gpuMilli;
  }

  /** This shape with another weight. */
  public TaskShape withWeight(double w) {
    return new TaskShape(cpuMilli, gpus, gpuMilli, models, w);
  }
}
