package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaperReplayTest {
  private static Task gpuTask(String id, int count, int milli) {
    return Task.builder(id).cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.share(count, milli, 0)).build();
  }

  @Test
  void arrivalsAreTheShuffledOriginalsThenCopiesUpTo130PercentOfCapacity() {
    Workload w = BuiltInWorkload.load();
    List<Task> arrivals = PaperReplay.arrivals(w, 42);
    List<Task> originals = w.tasks();
    // The originals come first, each exactly once, in a shuffled order.
    assertThat(new HashSet<>(arrivals.subList(0, originals.size()))).isEqualTo(new HashSet<>(originals));
    assertThat(arrivals.subList(0, originals.size())).isNotEqualTo(originals);
    long total = 0;
    long largest = 0;
    for (Task t : arrivals) {
      total += t.accelerators().totalMilli();
      largest = Math.max(largest, t.accelerators().totalMilli());
    }
    double target = 1.3 * w.gpus() * 1000;
    assertThat((double) total).isLessThanOrEqualTo(target).isGreaterThan(target - largest);
    for (Task copy : arrivals.subList(originals.size(), arrivals.size())) {
      assertThat(copy.id()).contains("+copy");
    }
    assertThat(PaperReplay.arrivals(w, 42)).isEqualTo(arrivals);
    assertThat(PaperReplay.arrivals(w, 43)).isNotEqualTo(arrivals);
  }

  @Test
  void aboveTheTargetRandomTasksAreDropped() {
    Node node = Node.of("n", 64_000, 262_144, DeviceCatalogue.builtIn().require("T4"), 1);
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 5; i++) {
      tasks.add(gpuTask("t" + i, 1, 500));
    }
    List<Task> arrivals = PaperReplay.arrivals(new Workload("w", List.of(node), tasks), 1);
    // 2,500 milli asked of 1,000: drop until at most 1,300 remain, so two tasks of 500.
    assertThat(arrivals).hasSize(2);
  }

  @Test
  void allocationIsAveragedPerArrivalBucket() {
    // One T4 and two half-GPU tasks: capacity 1,000 milli, target 1,300, so no copies (a third 500 would pass it).
    Node node = Node.of("n", 64_000, 262_144, DeviceCatalogue.builtIn().require("T4"), 1);
    Workload w = new Workload("w", List.of(node), List.of(gpuTask("a", 1, 500), gpuTask("b", 1, 500)));
    RunResult r = PaperReplay.run(w, "bestfit", 42);
    assertThat(r.tasks()).isEqualTo(2);
    assertThat(r.placed()).isEqualTo(2);
    // Events: (arrived 0, alloc 0), (50%, 50%), (100%, 100%).
    assertThat(r.allocation()[0]).isEqualTo(0.0);
    assertThat(r.allocation()[50]).isEqualTo(50.0);
    assertThat(r.allocation()[100]).isEqualTo(100.0);
    // An empty bucket takes the rows within one bucket of it: 49 and 51 have none, 99 has 100's.
    assertThat(r.allocation()[49]).isEqualTo(50.0);
    assertThat(r.allocation()[99]).isEqualTo(100.0);
    assertThat(r.allocation()[75]).isNaN();
  }

  @Test
  void failedTasksCountAsArrivalsButNotAllocation() {
    Node node = Node.of("n", 64_000, 262_144, DeviceCatalogue.builtIn().require("T4"), 1);
    // 600 then 600: the second cannot fit (400 left); arrivals reach 120%, allocation stays 60%.
    Workload w = new Workload("w", List.of(node), List.of(gpuTask("a", 1, 600), gpuTask("b", 1, 600)));
    RunResult r = PaperReplay.run(w, "fgd", 7);
    assertThat(r.placed()).isEqualTo(1);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.allocation()[60]).isEqualTo(60.0);
    assertThat(r.allocation()[120]).isEqualTo(60.0);
  }

  @Test
  void builtInWorkloadHasTheTracesShape() {
    Workload w = BuiltInWorkload.load();
    assertThat(w.nodes()).hasSize(1213);
    assertThat(w.gpus()).isEqualTo(6212);
    assertThat(w.tasks()).hasSize(BuiltInWorkload.TASKS);
    assertThat(BuiltInWorkload.load().tasks()).isEqualTo(w.tasks());
    long gpuTasks = w.tasks().stream().filter(t -> t.accelerators().count() > 0).count();
    // The trace has 1,088 CPU-only tasks of 8,152; a seeded draw lands near that share.
    assertThat((double) (w.tasks().size() - gpuTasks) / w.tasks().size()).isCloseTo(1088.0 / 8152, within(0.02));
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    Workload w = BuiltInWorkload.load();
    RunResult a = PaperReplay.run(w, "fgd", 3);
    RunResult b = PaperReplay.run(w, "fgd", 3);
    assertThat(a.allocation()).isEqualTo(b.allocation());
    assertThat(a.placed()).isEqualTo(b.placed());
  }

  @Test
  void utilisationIsRecordedPerDeviceModel() {
    DeviceCatalogue catalogue = DeviceCatalogue.builtIn();
    // One T4 and one V100M16: capacity 2,000 milli, so each task's share is half its arrival step.
    Node t4 = Node.of("t4", 64_000, 262_144, catalogue.require("T4"), 1);
    Node v100 = Node.of("v100", 64_000, 262_144, catalogue.require("V100M16"), 1);
    Task a = Task.builder("a").cpuMilli(1000).memoryMiB(1024)
        .accelerators(new AcceleratorRequest(1, 1000, 0, Set.of("T4"), null, 0)).build();
    Task b = Task.builder("b").cpuMilli(1000).memoryMiB(1024)
        .accelerators(new AcceleratorRequest(1, 500, 0, Set.of("V100M16"), null, 0)).build();
    // 1,500 of 2,600 allowed: copies are appended, so look at the first buckets only.
    RunResult r = PaperReplay.run(new Workload("w", List.of(t4, v100), List.of(a, b)), "bestfit", 1);
    assertThat(r.utilisation().keySet()).containsExactly("T4", "V100M16");
    List<Task> order = PaperReplay.arrivals(new Workload("w", List.of(t4, v100), List.of(a, b)), 1);
    // Whichever of the two originals comes first, its model alone is in use at its bucket.
    boolean t4First = order.get(0).id().equals("a");
    int first = t4First ? 50 : 25;
    assertThat(r.utilisation().get("T4")[0]).isZero();
    assertThat(r.utilisation().get("T4")[first]).isEqualTo(t4First ? 100.0 : 0.0);
    assertThat(r.utilisation().get("V100M16")[first]).isEqualTo(t4First ? 0.0 : 50.0);
    assertThat(r.utilisation().get("T4")[75]).isEqualTo(100.0);
    assertThat(r.utilisation().get("V100M16")[75]).isEqualTo(50.0);
  }

  @Test
  void perModelUtilisationAddsUpToTheAllocation() {
    Workload w = BuiltInWorkload.load();
    RunResult r = PaperReplay.run(w, "fgd", 5);
    Map<String, Integer> devices = ReplayTestWorkloads.devicesPerModel(w);
    assertThat(r.utilisation().keySet()).containsExactlyElementsOf(devices.keySet());
    for (int b = 0; b <= PaperReplay.MAX_BUCKET; b++) {
      double weighted = 0;
      for (var e : r.utilisation().entrySet()) {
        assertThat(e.getValue()[b]).as(e.getKey() + " at " + b).isBetween(0.0, 100.0);
        weighted += e.getValue()[b] * devices.get(e.getKey());
      }
      // The allocation curve is rounded to 0.01 per event before averaging; utilisation is not.
      assertThat(weighted / w.gpus()).as("bucket " + b).isCloseTo(r.allocation()[b], within(0.01));
    }
  }
}
