package io.flexsched.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.AccountingException;
import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import org.junit.jupiter.api.Test;

/** Assert mode against a bug injected into the accounting (the hook is package-private). */
class AssertModeTest {
  @Test
  void assertModeCatchesAnInjectedAccountingBug() {
    PlacementEngine e = Scheduler.builder().policy("bestfit").seed(5)
        .node(Node.of("a", 16_000, 65_536, DeviceCatalogue.builtIn().require("T4"), 2)).buildEngine();
    assertThat(((Engine) e).assertMode()).isTrue();
    e.place(Task.builder("s").cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.share(1, 500, 512)).build());
    ClusterState.leakDeviceMemoryOnRelease = true;
    try {
      // The release's check fails: 16,384 MiB free is what a recomputation finds once the share is
      // gone, but the leaky release never gave its 512 back. That first difference is what is
      // thrown (the failed release is rolled back, but no second check hides it).
      assertThatThrownBy(() -> e.release("s")).isInstanceOf(AccountingException.class)
          .hasMessage("node a device 0: memoryFree is 15872 but recomputes to 16384")
          .satisfies(x -> assertThat(x.getSuppressed()).isEmpty());
    } finally {
      ClusterState.leakDeviceMemoryOnRelease = false;
    }
  }

  @Test
  void assertModeCatchesNodeTaskShapesThatDriftFromTheTasks() {
    Engine e = (Engine) Scheduler.builder().policy("fgd").seed(5)
        .node(Node.of("a", 16_000, 65_536, DeviceCatalogue.builtIn().require("T4"), 2)).buildEngine();
    e.place(Task.builder("s").cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.share(1, 500, 512)).build());
    // The shape every node state key is built from, booked twice for one task.
    e.state.shapesOn.add(0, 0);
    assertThatThrownBy(() -> e.release("s")).isInstanceOf(AccountingException.class)
        .hasMessage("node a task shapes [0], recounted []");
  }

  @Test
  void assertModeCatchesTimeSliceWeightsThatDriftFromThePlacements() {
    DeviceModel npu = DeviceModel.timeSliced("flex", "TSNPU-64GB", 65_536, 50, 20);
    Engine e = (Engine) Scheduler.builder().policy("bestfit").seed(5).node(Node.of("a", 16_000, 65_536, npu, 2)).buildEngine();
    AcceleratorRequest r = AcceleratorRequest.timeSlice(1, 500, 3, 512);
    Outcome o = e.place(Task.builder("s").cpuMilli(1000).memoryMiB(1024).accelerators(r).build());
    int d = ((Outcome.Placed) o).assignment().slices().get(0).device();
    // The slice's weight booked twice, as a release that forgot to give it back would leave it.
    e.state.timeSlices.apply(e.state.devStart[0] + d, npu, r, -1);
    assertThatThrownBy(() -> e.release("s")).isInstanceOf(AccountingException.class)
        .hasMessage("node a device " + d + ": timeSliceWeights is 3 but recomputes to 0");
  }
}
