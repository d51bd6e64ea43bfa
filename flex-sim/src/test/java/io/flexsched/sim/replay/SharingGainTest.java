package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharingGainTest {
  private static final io.flexsched.model.DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");

  @Test
  void aShareBecomesItsWholeDeviceAndNothingElseChanges() {
    Task share = Task.builder("s").cpuMilli(2_000).memoryMiB(1_024)
        .accelerators(AcceleratorRequest.share(1, 300, 2_048).onModels(Set.of("T4"))).build();
    Task whole = SharingGain.wholeDevice(share);
    assertThat(whole.accelerators().milliPerDevice()).isEqualTo(1_000);
    assertThat(whole.accelerators().count()).isEqualTo(1);
    assertThat(whole.accelerators().models()).containsExactly("T4");
    assertThat(whole.accelerators().memoryMiBPerDevice()).isEqualTo(2_048);
    assertThat(whole.cpuMilli()).isEqualTo(2_000);
    assertThat(whole.id()).isEqualTo("s");
    Task cpuOnly = Task.builder("c").cpuMilli(1_000).memoryMiB(1_024).build();
    Task twoGpus = Task.builder("w").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).build();
    assertThat(SharingGain.wholeDevice(cpuOnly)).isSameAs(cpuOnly);
    assertThat(SharingGain.wholeDevice(twoGpus)).isSameAs(twoGpus);
  }

  @Test
  void halvesShareCardsWhenSharingIsOnAndTakeWholeCardsWhenOff() {
    // Four one-GPU nodes and half-GPU tasks: arrivals reach 100% after eight tasks.
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < 4; i++) {
      nodes.add(Node.of("n" + i, 64_000, 262_144, T4, 1));
    }
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 8; i++) {
      tasks.add(Task.builder("h" + i).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, 500, 0)).build());
    }
    var workload = new Workload("halves", nodes, tasks);
    for (String policy : List.of("bestfit", "fgd", "random")) {
      SharingGain.Point on = SharingGain.run(workload, policy, 7, true);
      SharingGain.Point off = SharingGain.run(workload, policy, 7, false);
      assertThat(on.arrived()).as(policy).isEqualTo(8);
      assertThat(off.arrived()).as(policy).isEqualTo(8);
      assertThat(on.placed()).as(policy).isEqualTo(8);
      assertThat(on.allocatedPercent()).as(policy).isEqualTo(100.0);
      assertThat(on.computePercent()).as(policy).isEqualTo(100.0);
      assertThat(off.placed()).as(policy).isEqualTo(4);
      assertThat(off.allocatedPercent()).as(policy).isEqualTo(100.0);
      assertThat(off.computePercent()).as(policy).isEqualTo(50.0);
    }
  }

  @Test
  void onTheBuiltInWorkloadSharingPlacesMoreAndUsesMoreComputeWhileAllocatingLess() {
    Workload w = BuiltInWorkload.load();
    SharingGain.Point on = SharingGain.run(w, "fgd", 42, true);
    SharingGain.Point off = SharingGain.run(w, "fgd", 42, false);
    assertThat(on.arrived()).isEqualTo(off.arrived());
    assertThat(on.computePercent()).isEqualTo(on.allocatedPercent());
    // Without sharing, each share's card is held whole: allocation overstates compute used.
    assertThat(off.allocatedPercent()).isGreaterThan(off.computePercent() + 5);
    assertThat(on.placed()).isGreaterThan(off.placed());
    assertThat(on.computePercent()).isGreaterThan(off.computePercent());
    // Same arrivals, one per event: the run's tasks are a prefix of the replay's arrival order.
    List<Task> arrivals = PaperReplay.arrivals(w, 42);
    long asked = 0;
    for (int i = 0; i < on.arrived(); i++) {
      asked += arrivals.get(i).accelerators().totalMilli();
    }
    assertThat(asked).isLessThanOrEqualTo(w.gpus() * 1_000L);
    assertThat(asked + arrivals.get(on.arrived()).accelerators().totalMilli()).isGreaterThan(w.gpus() * 1_000L);
  }
}
