package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gang preemption through {@link Scheduler#place} (no queues: every task in the default queue),
 * with both built-in victim searches: a gang that fits nowhere evicts strictly lower-priority
 * preemptible tasks across nodes, and only when every member then fits. Clusters are small enough
 * to work the victims out by hand.
 */
class GangPreemptionTest {
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");

  private static Scheduler scheduler(String policy, Node... nodes) {
    return Scheduler.builder().policy("bestfit").seed(3).assertMode(true).nodes(List.of(nodes)).preemption(policy).build();
  }

  private static Node node(String name) {
    return Node.of(name, 32_000, 65_536, NPU, 2);
  }

  private static Node inRack(String name, String rack) {
    return Node.builder(name).cpuMilli(32_000).memoryMiB(65_536).devices(NPU, 2)
        .labels(Map.of("rack", rack)).topology(List.of("z1", rack)).build();
  }

  private static Task task(String id, int gpus, int priority, boolean preemptible) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(gpus))
        .priority(priority).preemptible(preemptible).build();
  }

  private static List<Task> gang(String name, int size, int gpus, int priority, @Nullable String level) {
    var out = new ArrayList<Task>();
    for (int i = 0; i < size; i++) {
      out.add(task(name + "-" + i, gpus, priority, true).toBuilder().gang(new Gang(name, size, level, level != null)).build());
    }
    return out;
  }

  /**
   * Places each task on the node named after it, through the scheduler (so that it knows the task
   * as running, as victims must be): every other node is fenced for the placement.
   */
  private static void setUp(Scheduler e, Object... taskThenNode) {
    for (int i = 0; i < taskThenNode.length; i += 2) {
      Task t = (Task) taskThenNode[i];
      Object node = taskThenNode[i + 1];
      List<String> others = e.cluster().nodes().stream().map(Node::name).filter(n -> !n.equals(node)).toList();
      others.forEach(e::fence);
      Outcome d = e.place(t);
      others.forEach(e::unfence);
      assertThat(d.placed()).as("setup placement of %s", t.id()).isTrue();
      assertThat(((Outcome.Placed) d).assignment().node()).as("setup node of %s", t.id()).isEqualTo(node);
      assertThat(((Outcome.Placed) d).preempted()).as("setup placement of %s preempts nobody", t.id()).isEmpty();
    }
  }

  private static List<String> state(Scheduler e) {
    return e.cluster().assignments().stream().map(Assignment::toString).sorted().toList();
  }

  private static String nodeOf(Scheduler e, String task) {
    return e.cluster().assignment(task).orElseThrow().node();
  }

  /** The placement, failing the test when the request is pending. */
  private static Outcome.Placed placed(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Placed.class);
    return (Outcome.Placed) o;
  }

  /** Why the request waits, failing the test when it was placed. */
  private static Outcome.Pending pending(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Pending.class);
    return (Outcome.Pending) o;
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aGangPreemptsAcrossTwoNodesWhenEveryMemberThenFits(String policy) {
    // Every node is full. Two members of 2 NPUs need two whole nodes: n1 and n3 each free with
    // one victim, n2 only with two, so the fewest victims are a1 and c1.
    Scheduler e = scheduler(policy, node("n1"), node("n2"), node("n3"));
    e.addNode(node("spare"));
    setUp(e, task("a1", 2, 1, true), "n1", task("b1", 1, 0, true), "n2", task("b2", 1, 0, true), "n2",
        task("c1", 2, 0, true), "n3", task("s1", 2, 0, false), "spare");

    List<Task> members = gang("job", 2, 2, 5, null);
    Outcome.Placed out = placed(e.place(members));

    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("a1", "c1");
    assertThat(out.tasks()).isEqualTo(members);
    assertThat(out.assignments()).hasSize(2);
    var nodes = new HashSet<String>();
    for (Assignment a : out.assignments()) {
      nodes.add(a.node());
      assertThat(e.cluster().assignment(a.task())).contains(a);
    }
    assertThat(nodes).containsExactlyInAnyOrder("n1", "n3");
    assertThat(e.cluster().assignment("a1")).isEmpty();
    assertThat(e.cluster().assignment("c1")).isEmpty();
    assertThat(e.isPending("a1") && e.isPending("c1")).as("the victims wait again").isTrue();
    assertThat(nodeOf(e, "b1")).isEqualTo("n2");
    assertThat(nodeOf(e, "b2")).isEqualTo("n2");
    assertThat(nodeOf(e, "s1")).isEqualTo("spare");
    OverCommit.check(e);
    e.verifyAccounting();
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void amongEqualCountsTheLowestPrioritiesGo(String policy) {
    // Any two of the three full nodes make room; the pair with the lowest priorities is b1 and c1.
    Scheduler e = scheduler(policy, node("n1"), node("n2"), node("n3"));
    setUp(e, task("a1", 2, 3, true), "n1", task("b1", 2, 1, true), "n2", task("c1", 2, 0, true), "n3");

    Outcome.Placed out = placed(e.place(gang("job", 2, 2, 5, null)));

    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("b1", "c1");
    assertThat(nodeOf(e, "a1")).isEqualTo("n1");
    OverCommit.check(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aGangThatWouldStillNotFitAfterEvictionsEvictsNobody(String policy) {
    // Only n1's task may go; the second member would still have no node.
    Scheduler e = scheduler(policy, node("n1"), node("n2"));
    setUp(e, task("low", 2, 0, true), "n1", task("pinned", 2, 0, false), "n2");
    List<String> before = state(e);

    Outcome.Pending out = pending(e.place(gang("job", 2, 2, 5, null)));

    assertThat(out.cause()).isEqualTo(Outcome.Cause.NO_FIT);
    assertThat(out.reasons()).isNotEmpty();
    assertThat(state(e)).isEqualTo(before);
    assertThat(e.preemptions()).isZero();
    assertThat(e.cluster().assignment("job-0")).isEmpty();
    assertThat(e.cluster().assignment("job-1")).isEmpty();
    OverCommit.check(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void equalPriorityAndNonPreemptibleTasksAreNeverVictimsOfAGang(String policy) {
    // same has the gang's priority, pinned is not preemptible, high outranks one member: the only
    // victims allowed are low1 and low2, on n1 and n4.
    Scheduler e = scheduler(policy, node("n1"), node("n2"), node("n3"), node("n4"), node("n5"));
    setUp(e, task("low1", 2, 0, true), "n1", task("same", 2, 5, true), "n2", task("pinned", 2, 0, false), "n3",
        task("low2", 2, 1, true), "n4", task("high", 2, 4, true), "n5");
    List<Task> members = new ArrayList<>(gang("job", 2, 2, 5, null));
    // A member of priority 4: a victim must be below every member, so high (4) may not go.
    members.set(1, members.get(1).toBuilder().priority(4).build());

    Outcome.Placed out = placed(e.place(members));

    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("low1", "low2");
    assertThat(nodeOf(e, "same")).isEqualTo("n2");
    assertThat(nodeOf(e, "pinned")).isEqualTo("n3");
    assertThat(nodeOf(e, "high")).isEqualTo("n5");

    // Without low2's node, nothing the rules allow makes room for both members: nobody goes.
    Scheduler tight = scheduler(policy, node("n1"), node("n2"), node("n3"));
    setUp(tight, task("low1", 2, 0, true), "n1", task("same", 2, 5, true), "n2", task("pinned", 2, 0, false), "n3");
    List<String> before = state(tight);
    Outcome.Pending none = pending(tight.place(gang("job", 2, 2, 5, null)));
    assertThat(none.cause()).isEqualTo(Outcome.Cause.NO_FIT);
    assertThat(tight.preemptions()).isZero();
    assertThat(state(tight)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aRackBoundGangEvictsWithinOneRack(String policy) {
    // Rack r1's tasks have priority 0, r2's priority 1: placed member by member the gang could
    // take one node of each rack, but it must stay in one rack, so r1's two tasks go.
    Scheduler e = scheduler(policy, inRack("n1", "r1"), inRack("n2", "r1"), inRack("n3", "r2"), inRack("n4", "r2"));
    setUp(e, task("x1", 2, 0, true), "n1", task("x2", 2, 0, true), "n2", task("y1", 2, 1, true), "n3",
        task("y2", 2, 1, true), "n4");

    Outcome.Placed out = placed(e.place(gang("job", 2, 2, 5, "rack")));

    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("x1", "x2");
    assertThat(out.assignments()).extracting(Assignment::node).containsExactlyInAnyOrder("n1", "n2");
    assertThat(out.domain()).isEqualTo("z1/r1");
    OverCommit.check(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aGangThatFitsAsTheClusterStandsEvictsNobody(String policy) {
    Scheduler e = scheduler(policy, node("n1"), node("n2"), node("n3"));
    setUp(e, task("low", 2, 0, true), "n1");

    Outcome.Placed out = placed(e.place(gang("job", 2, 2, 5, null)));

    assertThat(out.preempted()).isEmpty();
    assertThat(nodeOf(e, "low")).isEqualTo("n1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void anIncompleteGangIsRefusedAndChangesNothing(String policy) {
    Scheduler e = scheduler(policy, node("n1"));
    setUp(e, task("low", 2, 0, true), "n1");
    List<String> before = state(e);

    assertThatThrownBy(() -> e.place(gang("job", 2, 2, 5, null).subList(0, 1)))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("gang.size");
    assertThat(state(e)).isEqualTo(before);
    assertThat(e.isPending("job-0")).isFalse();
  }
}
