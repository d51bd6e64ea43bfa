package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay's remote share: which tasks it marks, and that a marked task takes a stranded GPU. */
class RemoteShareTest {
  @Test
  void aSeededShareOfTheGpuTasksIsMarkedAndNoCpuOnlyOne() {
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 2_000; i++) {
      Task.Builder b = Task.builder("t" + i).cpuMilli(1_000).memoryMiB(1_024);
      tasks.add(i % 2 == 0 ? b.accelerators(AcceleratorRequest.whole(1)).build() : b.build());
    }
    List<Task> marked = PaperReplay.remoteOk(tasks, 42, 0.25);
    long remote = marked.stream().filter(t -> t.accelerators().remote() != null).count();
    assertThat(remote).isBetween(200L, 300L);
    for (int i = 0; i < tasks.size(); i++) {
      Task before = tasks.get(i);
      Task after = marked.get(i);
      assertThat(after.toBuilder().accelerators(after.accelerators().localOnly()).build()).isEqualTo(before);
      if (!before.accelerators().wantsDevices()) {
        assertThat(after).isSameAs(before);
      }
    }
    assertThat(PaperReplay.remoteOk(tasks, 42, 0.25)).isEqualTo(marked);
    assertThat(PaperReplay.remoteOk(tasks, 43, 0.25)).isNotEqualTo(marked);
    assertThat(PaperReplay.remoteOk(tasks, 42, 1.0)).filteredOn(t -> t.accelerators().wantsDevices())
        .allMatch(t -> t.accelerators().remote() != null);
  }

  @Test
  void aGpuStrandedByItsNodesCpuIsPlacedOnlyWhenTheTaskMayUseItRemotely() {
    // The GPU node has too little CPU for the task, the other node no GPU: only a pair serves it.
    Node gpu = Node.of("gpu", 1_000, 262_144, DeviceCatalogue.builtIn().require("T4"), 1);
    Node cpu = Node.builder("cpu").cpuMilli(64_000).memoryMiB(262_144).build();
    Task t = Task.builder("t").cpuMilli(4_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1)).build();
    var w = new Workload("w", List.of(gpu, cpu), List.of(t));

    RunResult local = PaperReplay.run(w, "fgd", 1, 0, 0);
    RunResult pooled = PaperReplay.run(w, "fgd", 1, 0, 1);

    assertThat(local.placed()).isZero();
    assertThat(local.remote()).isZero();
    assertThat(pooled.placed()).isEqualTo(1);
    assertThat(pooled.remote()).isEqualTo(1);
    assertThat(pooled.allocation()[100]).isEqualTo(100.0);
    assertThat(pooled.utilisation().get("T4")[100]).isEqualTo(100.0);
  }
}
