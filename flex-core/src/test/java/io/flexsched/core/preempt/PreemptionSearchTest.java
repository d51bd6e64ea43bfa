package io.flexsched.core.preempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.Outcome;
import io.flexsched.core.Scheduler;
import io.flexsched.core.engine.Engine;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.Victim;
import io.flexsched.spi.VictimCost;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Preemption}'s two halves on a plain engine, which the old public API offered as a plan and
 * its commit: the victim search is a what-if that changes nothing, and a commit is kept only if
 * every preemptor then fits.
 */
class PreemptionSearchTest {
  private static final DeviceModel ASCEND = DeviceCatalogue.builtIn().require("Ascend910");

  private static Engine engine(Node... nodes) {
    return (Engine) Scheduler.builder().policy("bestfit").seed(3).nodes(List.of(nodes)).buildEngine();
  }

  private static Task gpus(String id, int count, int priority, boolean preemptible) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(count))
        .priority(priority).preemptible(preemptible).build();
  }

  private static void placeAll(Engine e, Task... tasks) {
    for (Task t : tasks) {
      assertThat(e.place(t).placed()).as("setup placement of %s", t.id()).isTrue();
    }
  }

  private static List<String> state(Engine e) {
    return e.cluster().assignments().stream().map(Assignment::toString).sorted().toList();
  }

  /**
   * The victims found for one preemptor under the plain rule (preemptible, strictly lower
   * priority, anywhere), as one engine operation, the way a scheduler runs it.
   */
  private static Optional<List<Victim>> search(Engine e, Preemption preemption, Task preemptor) {
    return e.atomically(() ->
        preemption.search(List.of(preemptor), Preemption.lowerPriority(List.of(preemptor)), victims -> true, null));
  }

  private static Outcome.Placed commit(Engine e, Preemption preemption, Task preemptor, List<Victim> victims) {
    return e.atomically(() -> preemption.commit(List.of(preemptor), victims, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aSearchIsAWhatIfThatChangesNothingUntilCommitted(String policy) {
    Engine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("a", 1, 0, true), gpus("b", 1, 1, true));
    List<String> before = state(e);
    Preemption preemption = new Preemption(e, Preemption.policy(policy));
    Task p = gpus("p", 1, 2, true);

    Optional<List<Victim>> victims = search(e, preemption, p);

    assertThat(victims).isPresent();
    assertThat(victims.get()).extracting(Victim::id).containsExactly("a");
    assertThat(VictimCost.of(victims.get()).victims()).isEqualTo(1);
    assertThat(state(e)).isEqualTo(before);
    assertThat(preemption.probes()).isPositive();
    Outcome.Placed out = commit(e, preemption, p, victims.get());
    assertThat(out).isNotNull();
    assertThat(out.preemptedIds()).containsExactly("a");
    assertThat(e.cluster().assignments()).extracting(Assignment::task).containsExactly("b", "p");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void equalPriorityAndNonPreemptibleTasksAreNeverFound(String policy) {
    Engine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 2));
    placeAll(e, gpus("same", 1, 5, true), gpus("pinned", 1, 0, false));
    List<String> before = state(e);

    assertThat(search(e, new Preemption(e, Preemption.policy(policy)), gpus("p1", 1, 5, true))).isEmpty();
    assertThat(state(e)).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  void aCommitThatDoesNotMakeRoomIsRolledBackWhole() {
    Engine e = engine(Node.of("n1", 32_000, 65_536, ASCEND, 4));
    placeAll(e, gpus("low1", 1, 0, true), gpus("low2", 1, 0, true), gpus("pinned", 2, 0, false));
    List<String> before = state(e);
    var victims = e.cluster().assignments().stream().filter(a -> a.task().startsWith("low"))
        .map(a -> new Victim(e.cluster().task(a.task()).orElseThrow(), a)).toList();

    // Evicting both low tasks frees two NPUs; the preemptor needs four.
    assertThat(commit(e, new Preemption(e, Preemption.policy("greedy")), gpus("big", 4, 10, true), victims)).isNull();

    assertThat(state(e)).isEqualTo(before);
    e.verifyAccounting();
  }
}
