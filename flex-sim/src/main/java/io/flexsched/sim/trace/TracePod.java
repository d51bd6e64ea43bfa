package io.flexsched.sim.trace;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Task;
import java.util.Set;

/**
 * One row of a trace pod list.
 *
 * @param name the pod's name
 * @param cpuMilli CPU request
 * @param memoryMiB memory request
 * @param gpus GPUs requested: 0, 1, 2, 4 or 8
 * @param gpuMilli compute per GPU, 0..1000 (below 1000 only with one GPU; 0 without GPUs)
 * @param gpuModels allowed GPU models; empty = any
 * @param qos the QoS class (LS, BE, Burstable, Guaranteed); empty in five-column files
 * @param phase the pod's phase in the trace; empty in five-column files
 * @param creationTime seconds; -1 when absent
 * @param deletionTime seconds; -1 when absent
 * @param scheduledTime seconds; -1 when absent
 */
public record TracePod(
    String name,
    long cpuMilli,
    long memoryMiB,
    int gpus,
    int gpuMilli,
    Set<String> gpuModels,
    String qos,
    String phase,
    long creationTime,
    long deletionTime,
    long scheduledTime) {

  /** The pod as a task (priority 0, preemptible, no queue or gang). */
  public Task toTask() {
    AcceleratorRequest request = gpus == 0
        ? AcceleratorRequest.NONE
        : new AcceleratorRequest(gpus, gpuMilli, 0, gpuModels, null, 0);
    return Task.builder(name).cpuMilli(cpuMilli).memoryMiB(memoryMiB).accelerators(request).build();
  }
}
