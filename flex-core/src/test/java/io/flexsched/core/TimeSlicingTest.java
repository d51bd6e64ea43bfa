package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Weighted time-slicing as a user sees it, on Flex:ai-style time-sliced NPUs (quotas in steps of
 * 5 %, at most twenty tenants): the guaranteed shares on one device fill it to exactly its whole
 * time and never beyond, whatever the weights; weights are kept per device; release and rollback
 * give back exactly the quota and the weight taken; time slices stay on time-sliced devices beside
 * fractional and whole ones; bad requests are refused naming the field.
 */
class TimeSlicingTest {
  private static final DeviceModel NPU = DeviceModel.timeSliced("flex", "TSNPU-64GB", 65_536, 50, 20);
  private static final DeviceModel VGPU = DeviceModel.fractional("flex", "VGPU-24GB", 24_576, 50, 4);
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");

  private static Node npus(String name, int count) {
    return Node.builder(name).cpuMilli(64_000).memoryMiB(262_144).devices(NPU, count).build();
  }

  private static PlacementEngine engine(String policy, Node... nodes) {
    return Scheduler.builder().policy(policy).seed(7).nodes(List.of(nodes)).buildEngine();
  }

  private static Task slice(String id, int quota, int weight) {
    return slice(id, 1, quota, weight, 1_024);
  }

  private static Task slice(String id, int count, int quota, int weight, long memoryMiB) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024)
        .accelerators(AcceleratorRequest.timeSlice(count, quota, weight, memoryMiB)).build();
  }

  private static Assignment placed(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Placed.class);
    return ((Outcome.Placed) o).assignment();
  }

  private static Map<RejectReason, Integer> reasons(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Pending.class);
    return ((Outcome.Pending) o).reasons();
  }

  /** Free time share and summed weights of every device of {@code node}, as {@code free/weights}. */
  private static List<String> devices(PlacementEngine engine, String node) {
    NodeView v = engine.cluster().node(node);
    var out = new ArrayList<String>();
    for (int d = 0; d < v.deviceCount(); d++) {
      out.add(v.freeMilli(d) + "/" + v.timeSliceWeights(d));
    }
    return out;
  }

  @Test
  void guaranteedSharesFillADeviceToExactlyItsWholeTimeAndNeverBeyond() {
    PlacementEngine engine = engine("bestfit", npus("n", 1));

    assertThat(placed(engine.place(slice("a", 400, 1))).slices()).containsExactly(Slice.share(0, 400, 1_024));
    placed(engine.place(slice("b", 350, 3)));
    placed(engine.place(slice("c", 250, 2)));
    assertThat(devices(engine, "n")).containsExactly("0/6");

    // Fully guaranteed: the smallest quota waits, however heavy its weight.
    assertThat(reasons(engine.place(slice("d", 50, 1_000)))).containsExactly(Map.entry(RejectReason.INSUFFICIENT_DEVICE_SHARE, 1));
    assertThat(devices(engine, "n")).containsExactly("0/6");
    engine.verifyAccounting();
  }

  @Test
  void twentyFivePercentSlicesFillOneNpuAndTheTwentyFirstWaits() {
    PlacementEngine engine = engine("bestfit", npus("n", 1));
    for (int i = 0; i < 20; i++) {
      placed(engine.place(slice("s" + i, 50, 1 + i % 4)));
    }
    assertThat(devices(engine, "n")).containsExactly("0/50");
    assertThat(engine.cluster().node("n").freeSharers(0)).isZero();
    assertThat(reasons(engine.place(slice("late", 50, 1)))).containsKey(RejectReason.INSUFFICIENT_DEVICE_SHARE);
    engine.verifyAccounting();
  }

  @Test
  void aQuotaThatDoesNotFitGoesToAnotherDeviceAndWeightsAreKeptPerDevice() {
    PlacementEngine engine = engine("bestfit", npus("n", 2));
    Assignment a = placed(engine.place(slice("a", 700, 5)));
    Assignment b = placed(engine.place(slice("b", 400, 2)));

    assertThat(b.slices().get(0).device()).isNotEqualTo(a.slices().get(0).device());
    var expected = new String[2];
    expected[a.slices().get(0).device()] = "300/5";
    expected[b.slices().get(0).device()] = "600/2";
    assertThat(devices(engine, "n")).containsExactly(expected);
    // Best fit: 300 free beside "a" is the tighter home for a 300 quota.
    assertThat(placed(engine.place(slice("c", 300, 4))).slices().get(0).device()).isEqualTo(a.slices().get(0).device());
    expected[a.slices().get(0).device()] = "0/9";
    assertThat(devices(engine, "n")).containsExactly(expected);
    engine.verifyAccounting();
  }

  @Test
  void releaseGivesBackExactlyTheQuotaAndTheWeightTaken() {
    PlacementEngine engine = engine("bestfit", npus("n", 1));
    placed(engine.place(slice("a", 300, 2)));
    placed(engine.place(slice("b", 450, 7)));
    placed(engine.place(slice("c", 250, 1)));

    engine.release("b");
    assertThat(devices(engine, "n")).containsExactly("450/3");
    assertThat(placed(engine.place(slice("d", 450, 4))).slices()).containsExactly(Slice.share(0, 450, 1_024));
    assertThat(devices(engine, "n")).containsExactly("0/7");

    for (String id : List.of("a", "c", "d")) {
      engine.release(id);
    }
    assertThat(devices(engine, "n")).containsExactly("1000/0");
    assertThat(engine.cluster().node("n").isIdle(0)).isTrue();
    assertThat(engine.cluster().node("n").freeDeviceMemoryMiB(0)).isEqualTo(NPU.memoryMiB());
    engine.verifyAccounting();
  }

  @Test
  void rollbackPutsQuotasAndWeightsBackAsTheyWere() {
    PlacementEngine engine = engine("bestfit", npus("n", 2));
    placed(engine.place(slice("kept", 500, 3)));
    List<String> before = devices(engine, "n");

    Transaction tx = engine.begin();
    placed(engine.place(slice("x", 500, 9)));
    placed(engine.place(slice("y", 1_000, 2)));
    engine.release("kept");
    assertThat(devices(engine, "n")).isNotEqualTo(before);
    tx.rollback();

    assertThat(devices(engine, "n")).isEqualTo(before);
    assertThat(engine.cluster().assignments()).extracting(Assignment::task).containsExactly("kept");
    engine.verifyAccounting();
  }

  @Test
  void aWholeQuotaTakesAnIdleDeviceWhole() {
    PlacementEngine engine = engine("bestfit", npus("n", 2));
    placed(engine.place(slice("part", 50, 1)));
    Assignment whole = placed(engine.place(slice("whole", 1_000, 3)));

    assertThat(whole.slices()).hasSize(1);
    assertThat(whole.slices().get(0).milli()).isEqualTo(1_000);
    assertThat(engine.cluster().node("n").freeDeviceMemoryMiB(whole.slices().get(0).device())).isZero();
    assertThat(reasons(engine.place(slice("another", 1_000, 1)))).containsExactly(Map.entry(RejectReason.INSUFFICIENT_DEVICE_SHARE, 1));
    engine.release("whole");
    assertThat(devices(engine, "n")).contains("1000/0");
    engine.verifyAccounting();
  }

  @Test
  void aTimeSliceOfSeveralDevicesTakesItsQuotaOnEach() {
    PlacementEngine engine = engine("bestfit", npus("n", 4));
    Assignment a = placed(engine.place(slice("pair", 2, 600, 2, 4_096)));

    assertThat(a.slices()).extracting(Slice::milli).containsExactly(600, 600);
    assertThat(a.slices()).extracting(Slice::memoryMiB).containsExactly(4_096L, 4_096L);
    assertThat(devices(engine, "n")).filteredOn(s -> s.equals("400/2")).hasSize(2);
    engine.verifyAccounting();
  }

  @Test
  void timeSlicesStayOnTimeSlicedDevicesAndSharesMayUseThem() {
    Node mixed = Node.builder("mixed").cpuMilli(64_000).memoryMiB(262_144)
        .devices(T4, 1).devices(VGPU, 1).devices(NPU, 1).build();
    PlacementEngine engine = engine("bestfit", mixed);

    assertThat(placed(engine.place(slice("ts", 500, 4))).slices().get(0).device()).isEqualTo(2);
    // The fractional device serves the next time slice under no circumstance, even when the NPU is full.
    placed(engine.place(slice("ts2", 500, 1)));
    Outcome third = engine.place(slice("ts3", 100, 1));
    assertThat(reasons(third)).containsKey(RejectReason.INSUFFICIENT_DEVICE_SHARE);
    engine.release("ts2");

    // A plain share may take a time-sliced device: a time slice of its milli with weight 1.
    Task share = Task.builder("share").cpuMilli(1_000).memoryMiB(1_024)
        .accelerators(AcceleratorRequest.share(1, 500, 1_024).onModels(Set.of(NPU.name()))).build();
    assertThat(placed(engine.place(share)).slices().get(0).device()).isEqualTo(2);
    assertThat(devices(engine, "mixed").get(2)).isEqualTo("0/5");
    engine.release("share");
    assertThat(devices(engine, "mixed").get(2)).isEqualTo("500/4");

    PlacementEngine noNpu = engine("bestfit",
        Node.builder("plain").cpuMilli(64_000).memoryMiB(262_144).devices(T4, 1).devices(VGPU, 1).build());
    assertThat(reasons(noNpu.place(slice("ts", 500, 4)))).containsExactly(Map.entry(RejectReason.MODEL_MISMATCH, 1));
    engine.verifyAccounting();
  }

  @Test
  void fragmentationAwarePoliciesPlaceTimeSlicesByTheirFreeTimeShare() {
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 20; i++) {
      tasks.add(slice("w" + i, 250 * (1 + i % 3), 1 + i % 5));
    }
    WorkloadDistribution workload = WorkloadDistribution.typical(tasks, 1.0);
    for (String policy : List.of("fgd", "flexfit", "packing", "dotprod", "clustering", "random")) {
      PlacementEngine engine = Scheduler.builder().policy(policy).seed(3).workload(workload)
          .nodes(List.of(npus("a", 2), npus("b", 2))).buildEngine();
      int placedTasks = 0;
      for (Task t : tasks) {
        placedTasks += engine.place(t).placed() ? 1 : 0;
      }
      // 20 quotas of 250/500/750 sum to 9,750 milli against 4,000: the devices fill, never overfill.
      long guaranteed = 0;
      for (String node : List.of("a", "b")) {
        NodeView v = engine.cluster().node(node);
        for (int d = 0; d < v.deviceCount(); d++) {
          assertThat(v.freeMilli(d)).as("%s %s/%d", policy, node, d).isBetween(0, 1_000);
          guaranteed += 1_000 - v.freeMilli(d);
        }
      }
      assertThat(placedTasks).as(policy).isGreaterThanOrEqualTo(5);
      assertThat(guaranteed).as(policy).isEqualTo(engine.cluster().assignments().stream().mapToLong(Assignment::totalMilli).sum());
      engine.verifyAccounting();
    }
  }

  /**
   * Two nodes whose devices hold equal quotas but whose weights sit on different devices: their
   * counters and task shapes agree, so only the weights tell their states apart. A policy that
   * depends only on node state and prefers a light device 0 must see the difference: the engine
   * shares answers between nodes in one state.
   */
  @Test
  void nodesThatDifferOnlyInWhereTheWeightsAreAreDifferentStates() {
    ScoringPolicy lightFirstDevice = new ScoringPolicy() {
      @Override
      public String name() {
        return "light-device-0";
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        selectDevices(task, node, choice);
        return -node.timeSliceWeights(0);
      }
    };
    // Node order breaks ties: were the states shared, "b" (first) would win the tie.
    PlacementEngine engine = Scheduler.builder().policy(lightFirstDevice).seed(1).tieBreak(TieBreak.NODE_ORDER)
        .nodes(List.of(npus("b", 2), npus("a", 2))).buildEngine();
    Task light = slice("light", 100, 1);
    Task heavy = slice("heavy", 100, 5);
    engine.restore(light.toBuilder().id("a-light").build(), new Assignment("a-light", "a", List.of(Slice.share(0, 100, 1_024))));
    engine.restore(heavy.toBuilder().id("a-heavy").build(), new Assignment("a-heavy", "a", List.of(Slice.share(1, 100, 1_024))));
    engine.restore(heavy.toBuilder().id("b-heavy").build(), new Assignment("b-heavy", "b", List.of(Slice.share(0, 100, 1_024))));
    engine.restore(light.toBuilder().id("b-light").build(), new Assignment("b-light", "b", List.of(Slice.share(1, 100, 1_024))));

    assertThat(devices(engine, "a")).containsExactly("900/1", "900/5");
    assertThat(devices(engine, "b")).containsExactly("900/5", "900/1");
    assertThat(placed(engine.place(slice("next", 100, 1))).node()).isEqualTo("a");
    engine.verifyAccounting();
  }

  @Test
  void badTimeSlicesAreRefusedNamingTheFieldAndTheValue() {
    assertThatThrownBy(() -> AcceleratorRequest.timeSlice(1, 0, 1, 0))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("quotaMilli").hasMessageContaining("0");
    assertThatThrownBy(() -> AcceleratorRequest.timeSlice(1, 1_001, 1, 0))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("quotaMilli").hasMessageContaining("1001");
    assertThatThrownBy(() -> AcceleratorRequest.timeSlice(1, 500, 0, 0))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("weight").hasMessageContaining("0");
    assertThatThrownBy(() -> AcceleratorRequest.timeSlice(0, 500, 1, 0))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("gpus");
    assertThatThrownBy(() -> AcceleratorRequest.timeSlice(1, 500, 1, -1))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("gpuMemoryMiB");
    assertThatThrownBy(() -> new AcceleratorRequest(1, 500, 0, Set.of(), null, 0, -3, null))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("weight").hasMessageContaining("-3");
    assertThatThrownBy(() -> new AcceleratorRequest(0, 0, 0, Set.of(), null, 0, 2, null))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("weight").hasMessageContaining("gpus");
    assertThatThrownBy(() -> new AcceleratorRequest(1, 1_000, 0, Set.of(), "1g.5gb", 0, 2, null))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("weight").hasMessageContaining("profile");

    AcceleratorRequest r = AcceleratorRequest.timeSlice(1, 30, 2, 0);
    assertThatThrownBy(() -> r.checkAgainst(VGPU))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("weight").hasMessageContaining("VGPU-24GB is fractional");
    assertThatThrownBy(() -> r.checkAgainst(NPU))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("quotaMilli").hasMessageContaining("granularity 50");
    assertThat(r.couldBeServedBy(NPU)).isFalse();
    assertThat(AcceleratorRequest.timeSlice(1, 50, 2, 0).couldBeServedBy(NPU)).isTrue();
    assertThat(AcceleratorRequest.timeSlice(1, 1_000, 2, 0).couldBeServedBy(T4)).isFalse();
    assertThat(AcceleratorRequest.timeSlice(1, 500, 2, 70_000).couldBeServedBy(NPU)).isFalse();

    assertThatThrownBy(() -> DeviceModel.timeSliced("flex", "bad", 1_024, 300, 4))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("granularityMilli").hasMessageContaining("300");
    assertThatThrownBy(() -> DeviceModel.timeSliced("flex", "bad", 1_024, 50, 0))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("maxSharers");
    assertThat(NPU.sharing()).isEqualTo(SharingMode.TIME_SLICED);
  }

  @Test
  void aRefusedTimeSliceChangesNothing() {
    PlacementEngine engine = engine("bestfit", npus("n", 1));
    placed(engine.place(slice("a", 950, 2)));
    List<String> before = devices(engine, "n");
    long stamp = engine.cluster().node("n").stateStamp();

    reasons(engine.place(slice("b", 100, 3)));
    assertThatThrownBy(() -> engine.restore(slice("c", 100, 3), new Assignment("c", "n", List.of(Slice.share(0, 100, 1_024)))))
        .isInstanceOf(InvalidSpecException.class);

    assertThat(devices(engine, "n")).isEqualTo(before);
    assertThat(engine.cluster().node("n").stateStamp()).isEqualTo(stamp);
    engine.verifyAccounting();
  }

  @Test
  void requestsAndSlicesWithoutTimeSlicesPrintAsBefore() {
    assertThat(AcceleratorRequest.share(1, 500, 1_024).toString()).isEqualTo(
        "AcceleratorRequest[count=1, milliPerDevice=500, memoryMiBPerDevice=1024, models=[], profile=null, minLinkScore=0]");
    assertThat(AcceleratorRequest.timeSlice(1, 500, 3, 1_024).toString()).isEqualTo(
        "AcceleratorRequest[count=1, milliPerDevice=500, memoryMiBPerDevice=1024, models=[], profile=null, minLinkScore=0, weight=3]");
    assertThat(Slice.share(0, 500, 1_024).toString()).isEqualTo("Slice[device=0, milli=500, memoryMiB=1024, profile=null, start=-1]");
    assertThat(AcceleratorRequest.share(1, 500, 0)).isEqualTo(new AcceleratorRequest(1, 500, 0, Set.of(), null, 0, 0, null));
    assertThat(AcceleratorRequest.timeSlice(1, 500, 3, 0)).isNotEqualTo(AcceleratorRequest.timeSlice(1, 500, 4, 0));
  }
}
