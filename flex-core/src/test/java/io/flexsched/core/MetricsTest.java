package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.NodeView;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The engine's Micrometer meters: names, tags, and values against what the engine did. */
class MetricsTest {
  private static final String[] NAMES = {
    "flex.placement.latency", "flex.placement.latency.percentile", "flex.placements", "flex.placement.rejections", "flex.preemptions",
    "flex.devices.capacity", "flex.devices.allocation", "flex.devices.fragmentation", "flex.nodes", "flex.tasks"};

  private record Run(PlacementEngine engine, WorkloadDistribution workload, int placed, int pending,
      Map<RejectReason, Long> rejected, int gangsPlaced, int gangsPending) {}

  /** A random heterogeneous cluster, a random stream with releases, and two gangs. */
  private static Run run(MeterRegistry registry, long seed) {
    var gen = new RandomClusters(seed);
    List<Node> nodes = gen.nodes(30);
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 2_000; i++) {
      tasks.add(gen.task());
    }
    WorkloadDistribution workload = WorkloadDistribution.typical(tasks, 0.95);
    PlacementEngine e = Scheduler.builder().policy("fgd").seed(seed).workload(workload).nodes(nodes)
        .metrics(registry, "cluster", "test").buildEngine();
    int placed = 0;
    int pending = 0;
    var rejected = new EnumMap<RejectReason, Long>(RejectReason.class);
    int gangsPlaced = 0;
    int gangsPending = 0;
    for (long cpu : new long[] {1_000, 10_000_000}) {
      // The second gang has a member asking for more CPU than any node has: it cannot be placed.
      var members = new ArrayList<Task>();
      for (int i = 0; i < 2; i++) {
        members.add(Task.builder("gang" + cpu + "-" + i).cpuMilli(i == 1 ? cpu : 1_000).memoryMiB(1_024)
            .accelerators(AcceleratorRequest.whole(1)).gang(new Gang("gang" + cpu, 2, null, false)).build());
      }
      Outcome g = e.place(members);
      if (g instanceof Outcome.Pending p) {
        gangsPending++;
        p.reasons().forEach((r, n) -> rejected.merge(r, (long) n, Long::sum));
      } else {
        gangsPlaced++;
      }
    }
    var live = new ArrayList<String>();
    for (Task t : tasks) {
      if (!live.isEmpty() && gen.nextInt(100) < 35) {
        e.release(live.remove(gen.nextInt(live.size())));
      }
      Outcome d = e.place(t);
      if (d instanceof Outcome.Pending p) {
        pending++;
        p.reasons().forEach((r, n) -> rejected.merge(r, (long) n, Long::sum));
      } else {
        placed++;
        live.add(t.id());
      }
    }
    return new Run(e, workload, placed, pending, rejected, gangsPlaced, gangsPending);
  }

  @Test
  void countersAndTimerMatchTheDecisions() {
    var registry = new SimpleMeterRegistry();
    Run r = run(registry, 21);
    assertThat(r.pending()).as("the run left tasks pending").isGreaterThan(20);
    assertThat(r.gangsPlaced()).isEqualTo(1);
    assertThat(r.gangsPending()).isEqualTo(1);
    r.engine().publishMetrics();

    assertThat(registry.get("flex.placements").tags("kind", "task", "outcome", "placed").functionCounter().count()).isEqualTo(r.placed());
    assertThat(registry.get("flex.placements").tags("kind", "task", "outcome", "pending").functionCounter().count()).isEqualTo(r.pending());
    assertThat(registry.get("flex.placements").tags("kind", "gang", "outcome", "placed").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("flex.placements").tags("kind", "gang", "outcome", "pending").functionCounter().count()).isEqualTo(1);
    for (RejectReason reason : RejectReason.values()) {
      double counted = registry.get("flex.placement.rejections").tags("reason", reason.label()).functionCounter().count();
      assertThat(counted).as("rejections for %s", reason.label()).isEqualTo(r.rejected().getOrDefault(reason, 0L).doubleValue());
    }
    FunctionTimer task = registry.get("flex.placement.latency").tags("kind", "task").functionTimer();
    assertThat(task.count()).isEqualTo(r.placed() + r.pending());
    assertThat(task.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    assertThat(registry.get("flex.placement.latency").tags("kind", "gang").functionTimer().count()).isEqualTo(2);
    double previous = 0;
    for (String phi : new String[] {"0.5", "0.9", "0.99"}) {
      double p = registry.get("flex.placement.latency.percentile").tags("kind", "task", "phi", phi).gauge().value();
      assertThat(p).as("task latency p%s", phi).isPositive().isGreaterThanOrEqualTo(previous)
          .isLessThanOrEqualTo(task.totalTime(java.util.concurrent.TimeUnit.SECONDS) * 1.125);
      previous = p;
    }
    assertThat(registry.get("flex.preemptions").functionCounter().count()).isZero();
  }

  @Test
  void everyMeterCarriesThePolicyAndTheGivenTagsAndTheReadmeListsEveryName() throws Exception {
    var registry = new SimpleMeterRegistry();
    run(registry, 22).engine().publishMetrics();
    var names = new TreeSet<String>();
    for (Meter m : registry.getMeters()) {
      names.add(m.getId().getName());
      assertThat(m.getId().getTag("policy")).as("policy tag of %s", m.getId()).isEqualTo("fgd");
      assertThat(m.getId().getTag("cluster")).as("extra tag of %s", m.getId()).isEqualTo("test");
    }
    assertThat(names).containsExactlyInAnyOrder(NAMES);
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String name : NAMES) {
      assertThat(readme).as("README lists %s", name).contains("`" + name + "`");
    }
  }

  @Test
  void gaugesAgreeWithTheClusterAsTheEngineShowsIt() {
    var registry = new SimpleMeterRegistry();
    Run r = run(registry, 23);
    PlacementEngine e = r.engine();
    e.publishMetrics();
    var capacity = new HashMap<String, Long>();
    var free = new HashMap<String, Long>();
    var fragmented = new HashMap<String, Double>();
    var measure = FragmentationMeasure.of(r.workload());
    for (Node n : e.cluster().nodes()) {
      NodeView v = e.cluster().node(n.name());
      double nodeFragmentation = v.totalFreeMilli() == 0 ? 0 : measure.fragmentation(v);
      for (int d = 0; d < v.deviceCount(); d++) {
        String model = v.model(d).name();
        capacity.merge(model, (long) DeviceModel.WHOLE_MILLI, Long::sum);
        free.merge(model, (long) v.freeMilli(d), Long::sum);
        double share = v.totalFreeMilli() == 0 ? 0 : nodeFragmentation * v.freeMilli(d) / v.totalFreeMilli();
        fragmented.merge(model, share, Double::sum);
      }
    }
    assertThat(capacity).as("several models").hasSizeGreaterThan(2);
    for (String model : capacity.keySet()) {
      double cap = capacity.get(model);
      assertThat(registry.get("flex.devices.capacity").tags("model", model).gauge().value()).isEqualTo(cap / 1000);
      assertThat(registry.get("flex.devices.allocation").tags("model", model).gauge().value())
          .as("allocation of %s", model).isCloseTo((cap - free.get(model)) / cap, offset(1e-12));
      double expected = free.get(model) == 0 ? 0 : fragmented.get(model) / free.get(model);
      assertThat(registry.get("flex.devices.fragmentation").tags("model", model).gauge().value())
          .as("fragmentation of %s", model).isCloseTo(expected, offset(1e-9));
    }
    assertThat(registry.get("flex.nodes").gauge().value()).isEqualTo(e.cluster().nodes().size());
    assertThat(registry.get("flex.tasks").gauge().value()).isEqualTo(e.cluster().assignments().size());
    long allocated = 0;
    for (var a : e.cluster().assignments()) {
      for (var s : a.slices()) {
        allocated += s.milli();
      }
    }
    assertThat(allocated).as("the run left work placed").isPositive();
  }

  @Test
  void gaugesFollowChangesWithoutAPublishWhenTheRefreshIntervalIsZero() {
    var registry = new SimpleMeterRegistry();
    Node n = Node.of("a", 64_000, 65_536, RandomClusters.model("T4"), 4);
    PlacementEngine e = Scheduler.builder().policy("bestfit").nodes(List.of(n))
        .metrics(registry).metricsRefresh(Duration.ZERO).buildEngine();
    var allocation = registry.get("flex.devices.allocation").tags("model", "T4").gauge();
    assertThat(allocation.value()).isZero();
    e.place(Task.builder("t").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1)).build());
    assertThat(allocation.value()).isEqualTo(0.25);
    try (Transaction tx = e.begin()) {
      e.place(Task.builder("u").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(2)).build());
      assertThat(allocation.value()).isEqualTo(0.75);
      tx.rollback();
    }
    assertThat(allocation.value()).isEqualTo(0.25);
    e.release("t");
    assertThat(allocation.value()).isZero();
    assertThat(registry.find("flex.devices.fragmentation").gauge()).as("no workload, no fragmentation gauge").isNull();
  }

  @Test
  void aRejectedOperationRecordsNothing() {
    var registry = new SimpleMeterRegistry();
    Node n = Node.of("a", 64_000, 65_536, RandomClusters.model("T4"), 4);
    PlacementEngine e = Scheduler.builder().policy("bestfit").nodes(List.of(n)).metrics(registry).buildEngine();
    Task t = Task.builder("t").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1)).build();
    e.place(t);
    assertThatThrownBy(() -> e.place(t)).isInstanceOf(InvalidSpecException.class);
    e.publishMetrics();
    assertThat(registry.get("flex.placement.latency").tags("kind", "task").functionTimer().count()).isEqualTo(1);
    assertThat(registry.get("flex.placements").tags("kind", "task", "outcome", "placed").functionCounter().count()).isEqualTo(1);
  }

  @Test
  void badMetricsSettingsAreRefused() {
    var registry = new SimpleMeterRegistry();
    assertThatThrownBy(() -> Scheduler.builder().metrics(registry, "cluster"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key-value pairs");
    assertThatThrownBy(() -> Scheduler.builder().metricsRefresh(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metricsRefresh");
  }

  @Test
  void committedPreemptionsCountTheirVictimsAndAFailedOneCountsNothing() {
    var registry = new SimpleMeterRegistry();
    // A scheduler without queues, with the default (greedy) victim search: place() preempts.
    Scheduler e = Scheduler.builder().policy("bestfit")
        .nodes(List.of(Node.of("a", 64_000, 65_536, RandomClusters.model("T4"), 2))).metrics(registry).build();
    for (int i = 0; i < 2; i++) {
      assertThat(e.place(Task.builder("low" + i).cpuMilli(1_000).memoryMiB(1_024).priority(0)
          .accelerators(AcceleratorRequest.whole(1)).build()).placed()).isTrue();
    }
    var counter = registry.get("flex.preemptions").functionCounter();

    Outcome tooBig = e.place(Task.builder("huge").cpuMilli(1_000).memoryMiB(1_024).priority(5)
        .accelerators(AcceleratorRequest.whole(3)).build());
    assertThat(tooBig.placed()).isFalse();
    e.publishMetrics();
    assertThat(counter.count()).isZero();
    assertThat(e.preemptions()).isZero();

    Outcome both = e.place(Task.builder("pair").cpuMilli(1_000).memoryMiB(1_024).priority(5)
        .accelerators(AcceleratorRequest.whole(2)).build());
    assertThat(both.placed()).isTrue();
    e.publishMetrics();
    assertThat(counter.count()).isEqualTo(2).isEqualTo(((Outcome.Placed) both).preempted().size());
    assertThat(e.preemptions()).isEqualTo(2);
  }
}
