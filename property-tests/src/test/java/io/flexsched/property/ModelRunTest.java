package io.flexsched.property;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.PolicyException;
import io.flexsched.core.RandomClusters;
import io.flexsched.core.TieBreak;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.property.ModelRun.Check;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks the engine's own fault cannot reach, each shown to fail against an operation that
 * lies to the model, and the determinism check shown able to tell runs apart.
 */
class ModelRunTest {
  private static final Node NODE = Node.builder("n0").cpuMilli(32_000).memoryMiB(65_536).devices(RandomClusters.model("T4"), 2).build();
  private static final Task TASK = Task.builder("t0").cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.share(1, 500, 1_024)).build();

  private static ModelRun run(EnumSet<Check> checks) {
    return new ModelRun(new ModelRun.Config("bestfit", 1, TieBreak.NODE_ORDER, true, checks));
  }

  /** Places a task behind the model's back and reports a refusal. */
  private record Sneak(Task task) implements Operation {
    @Override
    public String perform(ModelRun run) {
      run.scheduler().place(task);
      return "place " + task.id() + " refused: pretending";
    }

    @Override
    public String java() {
      return "new Sneak()";
    }
  }

  @Test
  void aChangeReportedAsARejectionIsCaught() {
    ModelRun r = run(EnumSet.of(Check.REJECTION_CHANGES_NOTHING));
    assertThat(r.step(new Operation.AddNode(NODE))).isNull();
    Violation v = r.step(new Sneak(TASK));
    assertThat(v).isNotNull();
    assertThat(v.invariant()).isEqualTo("a rejected operation changes nothing");
    assertThat(v.message()).contains("expected n0 cpu=32000").contains("but was n0 cpu=31000");
    assertThat(v.step()).isEqualTo(1);
  }

  /** Places a task behind the model's back, then fails as an extension would. */
  private record HalfDone(Task task) implements Operation {
    @Override
    public String perform(ModelRun run) {
      run.scheduler().place(task);
      run.faults().pretendStruck();
      throw new PolicyException("scoring policy 'pretend'", null, task.id(), "pretending to fail half-way", null);
    }

    @Override
    public String java() {
      return "new HalfDone()";
    }
  }

  @Test
  void aFailedOperationThatChangedSomethingIsCaught() {
    ModelRun r = new ModelRun(new ModelRun.Config("bestfit", 1, TieBreak.NODE_ORDER, true,
        EnumSet.of(Check.FAILURE_CHANGES_NOTHING)).withFaults(1e-9));
    assertThat(r.step(new Operation.AddNode(NODE))).isNull();
    Violation v = r.step(new HalfDone(TASK));
    assertThat(v).isNotNull();
    assertThat(v.invariant()).isEqualTo("a failed operation changes nothing");
    assertThat(v.message()).contains("expected n0 cpu=32000").contains("but was n0 cpu=31000");
  }

  @Test
  void aFailureWithoutAnInjectedFaultIsCaught() {
    ModelRun r = new ModelRun(new ModelRun.Config("bestfit", 1, TieBreak.NODE_ORDER, true,
        EnumSet.allOf(Check.class)).withFaults(1e-9));
    r.step(new Operation.AddNode(NODE));
    Violation v = r.step(new Operation() {
      @Override
      public String perform(ModelRun run) {
        throw new PolicyException("scoring policy 'real'", "n0", "t0", "a real bug", null);
      }

      @Override
      public String java() {
        return "new Real()";
      }
    });
    assertThat(v.invariant()).isEqualTo("no unexpected exception");
  }

  @Test
  void aPlacementTheModelDoesNotKnowIsCaught() {
    ModelRun r = run(EnumSet.of(Check.MODEL_AGREEMENT));
    r.step(new Operation.AddNode(NODE));
    Violation v = r.step(new Sneak(TASK));
    assertThat(v.invariant()).isEqualTo("the scheduler holds the model's placements");
  }

  @Test
  void everyOperationFollowsTheModelsPredictions() {
    ModelRun r = run(EnumSet.allOf(Check.class));
    Violation v = r.runAll(List.of(
        new Operation.AddNode(NODE),
        new Operation.AddNode(NODE),                 // refused: the name is taken
        new Operation.Place(TASK),
        new Operation.Place(TASK),                   // refused: the id is placed
        new Operation.Begin(),
        new Operation.Release(TASK.id()),            // restores the state before the placement
        new Operation.RemoveNode("n0"),
        new Operation.Rollback(),                    // both undone
        new Operation.Release("ghost"),              // refused
        new Operation.RemoveNode("ghost"),           // refused
        new Operation.Commit(),                      // nothing open
        new Operation.Begin()));                     // rolled back at the end
    assertThat(v).isNull();
    assertThat(r.trace()).containsExactly(
        "addNode n0", "addNode n0 refused", "place t0 -> t0@n0 d0:500/1024",
        "place t0 refused: task.id must not repeat a task that is pending or placed, was 't0'",
        "begin 1", "release t0 <- n0", "removeNode n0 evicted []", "rollback 1", "release ghost refused",
        "removeNode ghost refused", "commit: none open", "begin 1", "rollback 1");
    assertThat(r.scheduler().cluster().assignments()).hasSize(1);
  }

  @Test
  void theSameSeedMakesTheSameRunAndAnotherSeedAnother() {
    SeedRun a = SeedRun.of(5, 300);
    SeedRun b = SeedRun.of(5, 300);
    SeedRun c = SeedRun.of(ModelRun.Config.forSeed(5), 6, 300);
    assertThat(a.violation()).isNull();
    assertThat(b.operations()).isEqualTo(a.operations());
    assertThat(b.trace()).isEqualTo(a.trace());
    assertThat(c.trace()).isNotEqualTo(a.trace());
  }

  @Test
  void numaSeedsPinTasksRejectForNumaAndKeepEveryInvariant() {
    int pinned = 0;
    int rejected = 0;
    for (long seed = 3; seed < 40; seed += 4) {
      assertThat(OperationGenerator.numa(seed)).isTrue();
      SeedRun run = SeedRun.of(seed, 1_000);
      assertThat(run.violation()).as("seed %d", seed).isNull();
      for (String line : run.trace()) {
        pinned += line.matches(".*@n\\d+#\\d.*") ? 1 : 0;
        rejected += line.contains("NUMA=") ? 1 : 0;
      }
    }
    assertThat(pinned).as("placements pinned to a NUMA node").isGreaterThan(50);
    assertThat(rejected).as("pending outcomes counting NUMA").isGreaterThan(5);
  }

  @Test
  void timeSlicedSeedsPlaceWeightedSlicesAndKeepEveryInvariant() {
    int placedSlices = 0;
    for (long seed = 1; seed < 40; seed += 4) {
      assertThat(OperationGenerator.timeSliced(seed)).isTrue();
      SeedRun run = SeedRun.of(seed, 1_000);
      assertThat(run.violation()).as("seed %d", seed).isNull();
      var weighted = new java.util.HashSet<String>();
      for (Operation op : run.operations()) {
        List<Task> request = op instanceof Operation.Place p ? p.request()
            : op instanceof Operation.Submit s ? s.request() : List.of();
        for (Task t : request) {
          if (t.accelerators().isTimeSlice()) {
            weighted.add(t.id());
          }
        }
      }
      for (String line : run.trace()) {
        var m = java.util.regex.Pattern.compile("(t\\d+)@n").matcher(line);
        while (m.find()) {
          placedSlices += weighted.contains(m.group(1)) ? 1 : 0;
        }
      }
    }
    // Quotas within each device's time and weights equal to a recomputation are checked after
    // every operation (Recomputation); this makes sure the runs put time slices to that test.
    assertThat(placedSlices).as("placements of weighted time slices").isGreaterThan(100);
  }

  @Test
  void timeSlicesPrintAsJava() {
    Task t = TASK.toBuilder().accelerators(AcceleratorRequest.timeSlice(1, 250, 3, 1_024)).build();
    assertThat(new Operation.Place(t).java()).isEqualTo(
        "new Operation.Place(Task.builder(\"t0\").cpuMilli(1000).memoryMiB(1024)"
            + ".accelerators(new AcceleratorRequest(1, 250, 1024, Set.of(), null, 0, 3, null)).build())");
  }

  @Test
  void remoteAssignmentsOccurAndKeepEveryInvariant() {
    int remote = 0;
    for (long seed = 1; seed <= 12; seed++) {
      SeedRun run = SeedRun.of(seed, 1_000);
      assertThat(run.violation()).as("seed %d", seed).isNull();
      for (String line : run.trace()) {
        // A remote placement prints as task@host>deviceNode.
        remote += line.split("@n\\d+>n\\d+", -1).length - 1;
      }
    }
    assertThat(remote).as("placements with remote devices").isGreaterThan(20);
    assertThat(new Operation.Place(TASK.toBuilder().accelerators(TASK.accelerators().remoteOk(2)).build()).java()).isEqualTo(
        "new Operation.Place(Task.builder(\"t0\").cpuMilli(1000).memoryMiB(1024)"
            + ".accelerators(new AcceleratorRequest(1, 500, 1024, Set.of(), null, 0).remoteOk(2)).build())");
  }

  @Test
  void numaLayoutsAndAffinityPrintAsJava() {
    Node node = Node.builder("n0").cpuMilli(32_000).memoryMiB(65_536).devices(RandomClusters.model("T4"), 2)
        .numa(List.of(new Node.NumaNode(16_000, List.of(0)), new Node.NumaNode(16_000, List.of(1)))).build();
    assertThat(new Operation.AddNode(node).java()).isEqualTo(
        "new Operation.AddNode(Node.builder(\"n0\").cpuMilli(32000).memoryMiB(65536).devices(RandomClusters.model(\"T4\"), 2)"
            + ".numa(List.of(new Node.NumaNode(16000, List.of(0)), new Node.NumaNode(16000, List.of(1)))).build())");
    assertThat(new Operation.Place(TASK.toBuilder().numa(Task.Numa.REQUIRED).build()).java()).isEqualTo(
        "new Operation.Place(Task.builder(\"t0\").cpuMilli(1000).memoryMiB(1024)"
            + ".accelerators(new AcceleratorRequest(1, 500, 1024, Set.of(), null, 0)).numa(Task.Numa.REQUIRED).build())");
  }

  @Test
  void everyOperationPrintsAsJava() {
    assertThat(new Operation.AddNode(NODE).java()).isEqualTo(
        "new Operation.AddNode(Node.builder(\"n0\").cpuMilli(32000).memoryMiB(65536).devices(RandomClusters.model(\"T4\"), 2).build())");
    assertThat(new Operation.Place(TASK).java()).isEqualTo(
        "new Operation.Place(Task.builder(\"t0\").cpuMilli(1000).memoryMiB(1024)"
            + ".accelerators(new AcceleratorRequest(1, 500, 1024, Set.of(), null, 0)).build())");
    Task member = TASK.toBuilder().id("g0-a").gang(new Gang("g0", 2, null, false)).build();
    assertThat(new Operation.Submit(List.of(member, member.toBuilder().id("g0-b").build())).java()).isEqualTo(
        "new Operation.Submit(List.of(Task.builder(\"g0-a\").cpuMilli(1000).memoryMiB(1024)"
            + ".accelerators(new AcceleratorRequest(1, 500, 1024, Set.of(), null, 0)).gang(new Gang(\"g0\", 2, null, false)).build(), "
            + "Task.builder(\"g0-b\").cpuMilli(1000).memoryMiB(1024)"
            + ".accelerators(new AcceleratorRequest(1, 500, 1024, Set.of(), null, 0)).gang(new Gang(\"g0\", 2, null, false)).build()))");
    assertThat(List.of(new Operation.Schedule().java(), new Operation.Cancel("t1").java(), new Operation.Fence("n0", true).java()))
        .containsExactly("new Operation.Schedule()", "new Operation.Cancel(\"t1\")", "new Operation.Fence(\"n0\", true)");
    assertThat(new Operation.Release("a\"b").java()).isEqualTo("new Operation.Release(\"a\\\"b\")");
    assertThat(new Operation.RemoveNode("n1").java()).isEqualTo("new Operation.RemoveNode(\"n1\")");
    assertThat(List.of(new Operation.Begin().java(), new Operation.Commit().java(), new Operation.Rollback().java()))
        .containsExactly("new Operation.Begin()", "new Operation.Commit()", "new Operation.Rollback()");
  }
}
