package io.flexsched.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.PolicyException;
import io.flexsched.core.RandomClusters;
import io.flexsched.core.Scheduler;
import io.flexsched.core.TieBreak;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.LinkMatrix;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.NodeView;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Shrunk failing sequences found by {@link RandomOperationsTest}, pasted as printed: each failed
 * before its fix and must keep passing.
 */
class RegressionTest {
  /**
   * A node removed inside a transaction, a node of the same name added, then a rollback: the
   * engine's own from-scratch recomputation re-added the dead node under its name and threw
   * "node.name must not repeat" out of the rollback (and out of verifyAccounting afterwards).
   */
  @Test
  void seed1() {
    ModelRun.replay("dotprod", 1L, TieBreak.NODE_ORDER,
        new Operation.AddNode(Node.builder("n0").cpuMilli(48000).memoryMiB(196608).devices(RandomClusters.model("Ascend910B3"), 1).build()),
        new Operation.Begin(),
        new Operation.RemoveNode("n0"),
        new Operation.AddNode(Node.builder("n0").cpuMilli(48000).memoryMiB(524288).devices(RandomClusters.model("V100M32"), 1).build()));
  }

  /**
   * Issue 14's reproduction: a gang whose second member has the id of a placed task. The old
   * engine threw only when it reached that member, leaving the first member placed and the gang's
   * transaction open. It is refused whole now, before anything is decided, and nothing changes
   * (the rejection check compares the cluster, the queues and the open transactions).
   */
  @Test
  void aGangNamingAPlacedTaskChangesNothing() {
    Gang g = new Gang("g", 2, null, false);
    ModelRun.replay("bestfit", 1L, TieBreak.NODE_ORDER,
        new Operation.AddNode(Node.builder("n0").cpuMilli(64000).memoryMiB(262144).devices(RandomClusters.model("V100M32"), 4).build()),
        new Operation.Place(Task.builder("m2").cpuMilli(1000).memoryMiB(1024).build()),
        new Operation.Place(List.of(
            Task.builder("m1").cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.whole(2)).gang(g).build(),
            Task.builder("m2").cpuMilli(1000).memoryMiB(1024).gang(g).build())));
  }

  /**
   * Found by the faulty-SPI mode. A transaction's rollback published the gauges, and the
   * fragmentation measure failed while doing so: the rollback had happened, but the caller got a
   * PolicyException, as if nothing had. The rollback now stands, and the gauges are left for the
   * next operation to publish (and to fail on, changing nothing, if the measure still fails).
   */
  @Test
  void aRollbackStandsWhenTheGaugesCannotBeMeasured() {
    ModelRun.replay(new ModelRun.Config("fgd-exact", 6L, TieBreak.NODE_ORDER, null, EnumSet.allOf(ModelRun.Check.class), "greedy", false, 0.2),
        new Operation.Faulty(new Operation.AddNode(Node.builder("n0").cpuMilli(112000).memoryMiB(131072).devices(RandomClusters.model("G2"), 1).build()), 10, -8287343722776686809L),
        new Operation.Faulty(new Operation.AddNode(Node.builder("n2").cpuMilli(64000).memoryMiB(65536).devices(RandomClusters.model("A100-40GB"), 4).links(LinkMatrix.of(new int[][] {{0, 50, 10, 30}, {50, 0, 30, 60}, {10, 30, 0, 200}, {30, 60, 200, 0}})).build()), 40, 2174459033575661147L),
        new Operation.AddNode(Node.builder("n3").cpuMilli(64000).memoryMiB(262144).devices(RandomClusters.model("Ascend910B3"), 2).links(LinkMatrix.of(new int[][] {{0, 100}, {100, 0}})).build()),
        new Operation.Faulty(new Operation.AddNode(Node.builder("n4").cpuMilli(48000).memoryMiB(196608).devices(RandomClusters.model("Ascend910B3"), 1).build()), 18, 3667511711285709012L),
        new Operation.AddNode(Node.builder("n5").cpuMilli(96000).memoryMiB(262144).devices(RandomClusters.model("Ascend910B3"), 1).build()),
        new Operation.AddNode(Node.builder("n6").cpuMilli(128000).memoryMiB(458752).devices(RandomClusters.model("A100-40GB"), 4).build()),
        new Operation.Faulty(new Operation.AddNode(Node.builder("n7").cpuMilli(80000).memoryMiB(458752).devices(RandomClusters.model("T4"), 2).build()), 24, -8999237083981936016L),
        new Operation.AddNode(Node.builder("n16").cpuMilli(80000).memoryMiB(65536).devices(RandomClusters.model("A100-40GB"), 4).build()),
        new Operation.Faulty(new Operation.AddNode(Node.builder("n17").cpuMilli(48000).memoryMiB(65536).build()), 49, -4499150463224284832L),
        new Operation.AddNode(Node.builder("n18").cpuMilli(48000).memoryMiB(131072).devices(RandomClusters.model("T4"), 2).build()),
        new Operation.Faulty(new Operation.Submit(List.of(Task.builder("t174").cpuMilli(15000).memoryMiB(28672).accelerators(new AcceleratorRequest(1, 690, 5120, Set.of(), null, 0)).build())), 28, 9183433256649405521L),
        new Operation.Faulty(new Operation.Place(Task.builder("t176").cpuMilli(21500).memoryMiB(49152).accelerators(new AcceleratorRequest(1, 250, 0, Set.of(), null, 0)).build()), 33, -5175663852008766674L),
        new Operation.AddNode(Node.builder("n31").cpuMilli(112000).memoryMiB(131072).devices(RandomClusters.model("V100M32"), 4).links(LinkMatrix.of(new int[][] {{0, 20, 40, 60}, {20, 0, 50, 20}, {40, 50, 0, 40}, {60, 20, 40, 0}})).build()),
        new Operation.Submit(List.of(Task.builder("t182").cpuMilli(22500).memoryMiB(40960).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), null, 0)).gang(new Gang("g10", 3, null, false)).build(), Task.builder("t183").cpuMilli(18500).memoryMiB(51200).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), "3g.20gb", 0)).gang(new Gang("g10", 3, null, false)).build(), Task.builder("t184").cpuMilli(16500).memoryMiB(48128).accelerators(new AcceleratorRequest(1, 120, 0, Set.of(), null, 0)).gang(new Gang("g10", 3, null, false)).build())),
        new Operation.Submit(List.of(Task.builder("t186").cpuMilli(2000).memoryMiB(17408).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), "vir10_3c_32g", 0)).gang(new Gang("g11", 3, null, false)).build(), Task.builder("t187").cpuMilli(17000).memoryMiB(2048).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), null, 0)).gang(new Gang("g11", 3, null, false)).build(), Task.builder("t188").cpuMilli(5500).memoryMiB(56320).accelerators(new AcceleratorRequest(1, 440, 3072, Set.of(), null, 0)).gang(new Gang("g11", 3, null, false)).build())),
        new Operation.Begin(),
        new Operation.Schedule(),
        new Operation.Place(Task.builder("t221").cpuMilli(500).memoryMiB(38912).accelerators(new AcceleratorRequest(1, 960, 2048, Set.of(), null, 0)).build()),
        new Operation.Place(Task.builder("t228").cpuMilli(4000).memoryMiB(20480).accelerators(new AcceleratorRequest(4, 1000, 0, Set.of(), null, 0)).build()),
        new Operation.Place(Task.builder("t230").cpuMilli(22000).memoryMiB(6144).accelerators(new AcceleratorRequest(1, 730, 0, Set.of(), null, 0)).build()),
        new Operation.Place(Task.builder("t232").cpuMilli(19500).memoryMiB(28672).accelerators(new AcceleratorRequest(1, 810, 0, Set.of(), null, 0)).build()),
        new Operation.Faulty(new Operation.Rollback(), 8, 1119254512078152738L));
  }

  /**
   * Found by the faulty-SPI mode. FGD kept a node's fragmentation in a cache by node state; a
   * measure that once answered NaN left NaN there, and every later decision on that node failed
   * with no fault injected (the quantised score even turned NaN into a plausible 0). FGD now refuses
   * a measure that does not answer a number, and caches nothing then.
   */
  @Test
  void fgdDoesNotRememberAMeasureThatIsNotANumber() {
    ModelRun.replay(new ModelRun.Config("fgd-exact", 6L, TieBreak.NODE_ORDER, null, EnumSet.allOf(ModelRun.Check.class), "greedy", false, 0.2),
        new Operation.Faulty(new Operation.AddNode(Node.builder("n2").cpuMilli(48000).memoryMiB(458752).devices(RandomClusters.model("T4"), 4).build()), 45, -4855848486331126974L),
        new Operation.Place(Task.builder("t64").cpuMilli(15500).memoryMiB(16384).accelerators(new AcceleratorRequest(1, 40, 0, Set.of(), null, 0)).build()),
        new Operation.Faulty(new Operation.Place(Task.builder("t66").cpuMilli(12000).memoryMiB(45056).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), null, 0)).build()), 53, -1747287581433952517L),
        new Operation.AddNode(Node.builder("n28").cpuMilli(64000).memoryMiB(524288).devices(RandomClusters.model("T4"), 8).build()),
        new Operation.Submit(List.of(Task.builder("t140").cpuMilli(13000).memoryMiB(34816).accelerators(new AcceleratorRequest(1, 350, 0, Set.of(), null, 0)).build())),
        new Operation.Faulty(new Operation.Place(Task.builder("t142").cpuMilli(500).memoryMiB(32768).build()), 35, -2728900537218172444L),
        new Operation.Faulty(new Operation.Place(Task.builder("t223").cpuMilli(500).memoryMiB(40960).accelerators(new AcceleratorRequest(1, 90, 4096, Set.of(), null, 0)).priority(2).build()), 8, -1550278123671239769L),
        new Operation.Faulty(new Operation.Schedule(), 10, 4986513071701216475L));
  }

  /**
   * Found by the faulty-SPI mode. A node of a model the gauges had not seen made a publication
   * register that model's gauges first and measure fragmentation after: the measure failed, the
   * operation changed nothing else, but the registry had gained meters. Gauges are registered now
   * only once every value is known.
   */
  @Test
  void aFailedPublicationRegistersNoMeter() {
    ModelRun.replay(new ModelRun.Config("packing", 3L, TieBreak.NODE_ORDER, null, EnumSet.allOf(ModelRun.Check.class), "greedy", false, 0.2),
        new Operation.Faulty(new Operation.AddNode(Node.builder("n15").cpuMilli(32000).memoryMiB(262144).devices(RandomClusters.model("A100-40GB"), 8).links(LinkMatrix.of(new int[][] {{0, 100, 10, 50, 60, 30, 20, 30}, {100, 0, 60, 60, 10, 30, 20, 50}, {10, 60, 0, 200, 60, 60, 10, 30}, {50, 60, 200, 0, 30, 50, 20, 20}, {60, 10, 60, 30, 0, 100, 60, 40}, {30, 30, 60, 50, 100, 0, 100, 40}, {20, 20, 10, 20, 60, 100, 0, 30}, {30, 50, 30, 20, 40, 40, 30, 0}})).build()), 0, -4252327265899353433L));
  }

  /**
   * The score index remembers a policy's answer for every node in the same state. A device choice
   * that names a device twice (or one out of range, or one that cannot host the task) was only
   * refused when reserved, after being remembered, so one bad answer failed every later decision
   * of that shape on that state. Choices are now checked before they are remembered.
   */
  @Test
  void aBadDeviceChoiceIsNeverCached() {
    ModelRun.replay(new ModelRun.Config("dotprod", 1L, TieBreak.NODE_ORDER, null, EnumSet.allOf(ModelRun.Check.class), "greedy", false, 0.2),
        new Operation.AddNode(Node.builder("n30").cpuMilli(112000).memoryMiB(196608).devices(RandomClusters.model("T4"), 8).devices(RandomClusters.model("A100-40GB"), 2).build()),
        new Operation.AddNode(Node.builder("n31").cpuMilli(32000).memoryMiB(65536).devices(RandomClusters.model("V100M32"), 4).build()),
        new Operation.Faulty(new Operation.Place(Task.builder("t424").cpuMilli(5500).memoryMiB(4096).accelerators(new AcceleratorRequest(1, 760, 0, Set.of(), null, 0)).priority(3).build()), 2, 4282677789288219268L));
  }

  /**
   * Found by the faulty-SPI mode (at seed 140, a sequence of 565 operations the shrinker could cut
   * to 255 only, written by hand here). Device rules that claim a set of devices the node cannot
   * give were believed by the filter: the node counted as fitting, so a pending request's reasons
   * missed it. The claimed set is now checked, and lying rules are reported by name.
   */
  @Test
  void deviceRulesThatClaimAnImpossibleSetAreReported() {
    DeviceRules liar = new DeviceRules() {
      @Override
      public boolean select(Task task, NodeView node, DeviceChoice choice) {
        choice.add(node.deviceCount()); // a device the node does not have
        return true;
      }

      @Override
      public boolean admits(Task task, NodeView node, DeviceChoice choice) {
        return true;
      }
    };
    HardwareProvider lying = new HardwareProvider() {
      @Override
      public String vendor() {
        return "liar";
      }

      @Override
      public Collection<DeviceModel> models() {
        return List.of(RandomClusters.model("T4"));
      }

      @Override
      public Optional<DeviceRules> rules(DeviceModel model) {
        return Optional.of(liar);
      }
    };
    Scheduler s = Scheduler.builder().policy("bestfit").hardware(List.of(lying))
        .node(Node.builder("n0").cpuMilli(32000).memoryMiB(65536).devices(RandomClusters.model("T4"), 2).build()).build();
    Task task = Task.builder("t").cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.whole(1)).build();
    assertThatThrownBy(() -> s.explain(task)).isInstanceOfSatisfying(PolicyException.class, e -> {
      assertThat(e.extension()).startsWith("device rules ");
      assertThat(e.node()).isEqualTo("n0");
      assertThat(e.getMessage()).contains("which is not 1 distinct devices able to host the task");
    });
    assertThatThrownBy(() -> s.place(task)).isInstanceOf(PolicyException.class);
    assertThat(s.cluster().assignments()).isEmpty();
  }

  /** Found by the merged runs of defragmentation and gang reservations (seed15): a gang's defragment outcome counted only the nodes off a reservation. */
  @Test
  void aDefragmentedGangFittingNowhereNamesEveryNode() {
    ModelRun.replay(new ModelRun.Config("dotprod", 15L, TieBreak.NODE_ORDER, null, EnumSet.allOf(ModelRun.Check.class), "exact", false, 0.0),
        new Operation.Submit(List.of(Task.builder("t183").cpuMilli(24000).memoryMiB(48128).accelerators(new AcceleratorRequest(4, 1000, 0, Set.of(), null, 0)).build())),
        new Operation.AddNode(Node.builder("n34").cpuMilli(48000).memoryMiB(262144).devices(RandomClusters.model("A100-40GB"), 8).build()),
        new Operation.Submit(List.of(Task.builder("t397").cpuMilli(18000).memoryMiB(21504).accelerators(new AcceleratorRequest(1, 10, 0, Set.of(), null, 0)).priority(2).build())),
        new Operation.Place(Task.builder("t402").cpuMilli(22000).memoryMiB(11264).priority(3).preemptible(false).build()),
        new Operation.AddNode(Node.builder("n3").cpuMilli(48000).memoryMiB(65536).devices(RandomClusters.model("G2"), 8).links(LinkMatrix.of(new int[][] {{0, 10, 40, 20, 40, 30, 20, 50}, {10, 0, 30, 50, 50, 40, 100, 40}, {40, 30, 0, 60, 100, 50, 40, 20}, {20, 50, 60, 0, 40, 40, 10, 100}, {40, 50, 100, 40, 0, 60, 10, 60}, {30, 40, 50, 40, 60, 0, 100, 20}, {20, 100, 40, 10, 10, 100, 0, 40}, {50, 40, 20, 100, 60, 20, 40, 0}})).build()),
        new Operation.Place(Task.builder("t395").cpuMilli(7500).memoryMiB(20480).build()),
        new Operation.Submit(List.of(Task.builder("t419").cpuMilli(23500).memoryMiB(63488).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), "2g.10gb", 0)).priority(1).preemptible(false).build())),
        new Operation.Place(Task.builder("t442").cpuMilli(10500).memoryMiB(5120).accelerators(new AcceleratorRequest(4, 1000, 0, Set.of(), null, 0)).build()),
        new Operation.Schedule(),
        new Operation.Release("t419"),
        new Operation.Defragment(List.of(Task.builder("t480").cpuMilli(13000).memoryMiB(37888).accelerators(new AcceleratorRequest(1, 710, 0, Set.of(), null, 0)).gang(new Gang("g35", 2, null, false)).build(), Task.builder("t481").cpuMilli(9500).memoryMiB(11264).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), "3g.20gb", 0)).gang(new Gang("g35", 2, null, false)).build()), 3));
  }

  /** Found by the merged runs of defragmentation and gang reservations (seed3): a gang's defragment outcome counted only the nodes off a reservation. */
  @Test
  void aDefragmentedGangFittingNowhereNamesEveryNodeUnderFaults() {
    ModelRun.replay(new ModelRun.Config("packing", 3L, TieBreak.NODE_ORDER, null, EnumSet.allOf(ModelRun.Check.class), "greedy", false, 0.2),
        new Operation.Faulty(new Operation.Submit(List.of(Task.builder("t266").cpuMilli(20000).memoryMiB(49152).accelerators(new AcceleratorRequest(1, 630, 5120, Set.of(), null, 0)).build())), 50, -5587972750373202918L),
        new Operation.Faulty(new Operation.Submit(List.of(Task.builder("t268").cpuMilli(22000).memoryMiB(53248).build())), 13, -4007961752845466252L),
        new Operation.AddNode(Node.builder("n34").cpuMilli(96000).memoryMiB(196608).devices(RandomClusters.model("V100M32"), 8).build()),
        new Operation.Defragment(List.of(Task.builder("t456").cpuMilli(16000).memoryMiB(30720).build()), 2),
        new Operation.Faulty(new Operation.Defragment(List.of(Task.builder("t469").cpuMilli(18000).memoryMiB(31744).build()), 3), 36, -825712761583820557L),
        new Operation.Faulty(new Operation.Place(Task.builder("t479").cpuMilli(7500).memoryMiB(56320).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), null, 0)).build()), 37, 3248548594405611583L),
        new Operation.Place(Task.builder("t480").cpuMilli(14000).memoryMiB(60416).accelerators(new AcceleratorRequest(1, 570, 0, Set.of(), null, 0)).build()),
        new Operation.Place(Task.builder("t481").cpuMilli(8000).memoryMiB(29696).accelerators(new AcceleratorRequest(2, 1000, 0, Set.of(), null, 0)).priority(2).build()),
        new Operation.AddNode(Node.builder("n40").cpuMilli(64000).memoryMiB(131072).build()),
        new Operation.Schedule(),
        new Operation.Defragment(List.of(Task.builder("t503").cpuMilli(15500).memoryMiB(38912).accelerators(new AcceleratorRequest(1, 460, 0, Set.of("A100-40GB", "Ascend910"), null, 0)).gang(new Gang("g40", 3, null, false)).build(), Task.builder("t504").cpuMilli(20000).memoryMiB(7168).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), null, 0)).gang(new Gang("g40", 3, null, false)).build(), Task.builder("t505").cpuMilli(20000).memoryMiB(0).accelerators(new AcceleratorRequest(1, 1000, 0, Set.of(), "2g.10gb", 0)).gang(new Gang("g40", 3, null, false)).build()), 4));
  }

  /**
   * Remote devices (seed 2, shrunk): a task on n23 with its device on n4, then n4 removed. The
   * engine evicted the task, but the queue stops the entries of the tasks a removed node lists,
   * and n4 did not list it: its queue stayed charged. A remote task is listed on both nodes now.
   */
  @Test
  void removingTheNodeThatLendsADeviceStopsTheRemoteTasksEntry() {
    ModelRun.replay(new ModelRun.Config("clustering", 2L, TieBreak.NODE_ORDER, null, EnumSet.allOf(ModelRun.Check.class), "greedy", false, 0.0),
        new Operation.AddNode(Node.builder("n4").cpuMilli(16000).memoryMiB(65536).devices(RandomClusters.model("V100M32"), 2).build()),
        new Operation.AddNode(Node.builder("n23").cpuMilli(48000).memoryMiB(458752).devices(RandomClusters.model("VGPU-24GB"), 8).build()),
        new Operation.Place(Task.builder("t467").cpuMilli(22500).memoryMiB(36864).accelerators(new AcceleratorRequest(1, 340, 3072, Set.of(), null, 0).remoteOk(1)).build()),
        new Operation.RemoveNode("n4"));
  }
}
