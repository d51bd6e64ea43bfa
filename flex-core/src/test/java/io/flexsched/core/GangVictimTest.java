package io.flexsched.core;

import static io.flexsched.core.PassOutcomes.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.Victim;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A placed gang as a victim: one victim with its members' cost, evicted whole or not at all, with
 * both built-in victim searches; protected when any member is (not preemptible, or held back by
 * damping); waiting again as the one request it was.
 */
class GangVictimTest {
  private static final DeviceModel NPU = DeviceCatalogue.builtIn().require("Ascend910");

  private static Scheduler.Builder builder(String policy, int nodes) {
    var list = new ArrayList<Node>();
    for (int i = 1; i <= nodes; i++) {
      list.add(Node.of("n" + i, 32_000, 65_536, NPU, 2));
    }
    return Scheduler.builder().policy("bestfit").seed(7).assertMode(true).nodes(list).preemption(policy);
  }

  private static Task task(String id, int npus, int priority, boolean preemptible) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(npus))
        .priority(priority).preemptible(preemptible).build();
  }

  private static List<Task> gang(String name, int size, int npus, int priority) {
    var out = new ArrayList<Task>();
    for (int i = 0; i < size; i++) {
      out.add(task(name + "-" + i, npus, priority, true).toBuilder().gang(new Gang(name, size, null, false)).build());
    }
    return out;
  }

  private static boolean running(Scheduler s, String id) {
    return s.cluster().task(id).isPresent();
  }

  private static List<String> state(Scheduler s) {
    return s.cluster().assignments().stream().map(Assignment::toString).sorted().toList();
  }

  private static int idle(Scheduler s) {
    return s.cluster().nodes().stream().mapToInt(n -> s.cluster().node(n.name()).idleDevices()).sum();
  }

  /** Every member of {@code gang} runs, or none does. */
  private static void wholeOrNone(Scheduler s, List<Task> gang) {
    long running = gang.stream().filter(m -> running(s, m.id())).count();
    assertThat(running).as("running members of %s", gang.get(0).gang().name()).isIn(0L, (long) gang.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aLowPriorityGangHoldingCapacityIsEvictedWholeForAHighPriorityTask(String policy) {
    Scheduler s = builder(policy, 2).build();
    List<Task> job = gang("job", 2, 2, 0);
    s.submit(job);
    assertThat(placed(s.schedule())).hasSize(1);
    assertThat(idle(s)).isZero();

    // One NPU would do, but the gang goes whole: both members, on both nodes.
    s.submit(task("urgent", 1, 9, true));
    List<Outcome> pass = s.schedule();

    assertThat(placed(pass)).hasSize(1);
    Outcome.Placed out = placed(pass).get(0);
    assertThat(out.tasks()).extracting(Task::id).containsExactly("urgent");
    assertThat(out.preemptedIds()).containsExactlyInAnyOrder("job-0", "job-1");
    assertThat(s.preemptions()).isEqualTo(2);
    wholeOrNone(s, job);
    // It waits again as the one request it was, with every member.
    assertThat(s.pending()).hasSize(1);
    assertThat(s.pending().get(0).tasks()).isEqualTo(job);
    s.verifyAccounting();

    // Once urgent ends the gang runs again, whole.
    s.release("urgent");
    assertThat(placed(s.schedule())).hasSize(1);
    assertThat(running(s, "job-0") && running(s, "job-1")).isTrue();
    s.verifyAccounting();
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aCheaperSingleVictimIsTakenBeforeAGangAndTheGangIsNeverSplit(String policy) {
    // job's members hold one NPU each, lone and other one each: one NPU is freed by lone alone
    // (one victim, 1 NPU) or by the gang (one victim, 2 NPUs): lone goes.
    Scheduler s = builder(policy, 2).build();
    List<Task> job = gang("job", 2, 1, 0);
    s.submit(job);
    s.submit(task("lone", 1, 0, true));
    s.submit(task("other", 1, 0, false));
    s.schedule();
    assertThat(idle(s)).isZero();

    Outcome.Placed out = (Outcome.Placed) s.place(task("urgent", 1, 9, true));
    assertThat(out.preemptedIds()).containsExactly("lone");
    wholeOrNone(s, job);
    assertThat(running(s, "job-0")).isTrue();

    // Now urgent has lone's NPU and other may not go: only the gang can make room, and it goes whole.
    Outcome.Placed big = (Outcome.Placed) s.place(task("big", 1, 9, true));
    assertThat(big.preemptedIds()).containsExactlyInAnyOrder("job-0", "job-1");
    wholeOrNone(s, job);
    s.verifyAccounting();
  }

  @ParameterizedTest
  @ValueSource(strings = {"greedy", "exact"})
  void aGangWithAMemberThatMayNotGoIsNoVictim(String policy) {
    Scheduler s = builder(policy, 2).build();
    List<Task> job = new ArrayList<>(gang("job", 2, 2, 0));
    job.set(1, job.get(1).toBuilder().preemptible(false).build());
    s.submit(job);
    s.schedule();
    List<String> before = state(s);

    Outcome o = s.place(task("urgent", 2, 9, true));

    assertThat(o.placed()).isFalse();
    assertThat(state(s)).isEqualTo(before);
    assertThat(s.preemptions()).isZero();

    // Same with a member of the preemptor's priority.
    Scheduler t = builder(policy, 2).build();
    List<Task> mixed = new ArrayList<>(gang("mixed", 2, 2, 0));
    mixed.set(0, mixed.get(0).toBuilder().priority(9).build());
    t.submit(mixed);
    t.schedule();
    assertThat(t.place(task("urgent", 2, 9, true)).placed()).isFalse();
    assertThat(t.preemptions()).isZero();
    wholeOrNone(t, mixed);
  }

  @Test
  void dampingProtectsAGangWithinItsMinimumRunTimeAndAfterItsPreemptions() {
    var clock = new InstantSource() {
      long millis;

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis);
      }
    };
    // Ten minutes' minimum run time; protected for an hour after one preemption.
    Damping damping = new Damping(Duration.ofMinutes(10), 1, Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO, 1);
    Scheduler s = builder("greedy", 2).damping(damping).clock(clock).build();
    List<Task> job = gang("job", 2, 2, 0);
    s.submit(job);
    s.schedule();

    clock.millis = Duration.ofMinutes(9).toMillis();
    s.submit(task("u1", 2, 9, true));
    assertThat(placed(s.schedule())).isEmpty();
    wholeOrNone(s, job);
    assertThat(running(s, "job-0")).isTrue();

    clock.millis = Duration.ofMinutes(10).toMillis();
    assertThat(placed(s.schedule())).extracting(p -> p.tasks().get(0).id()).containsExactly("u1");
    wholeOrNone(s, job);
    assertThat(running(s, "job-0")).isFalse();

    // u1 ends: the gang runs again; its one preemption protects it for an hour, whatever its age.
    s.release("u1");
    assertThat(placed(s.schedule())).hasSize(1);
    clock.millis = Duration.ofMinutes(30).toMillis();
    s.submit(task("u2", 2, 9, true));
    assertThat(placed(s.schedule())).isEmpty();
    assertThat(running(s, "job-0") && running(s, "job-1")).isTrue();

    clock.millis = Duration.ofMinutes(70).toMillis();
    assertThat(placed(s.schedule())).extracting(p -> p.preemptedIds().size()).containsExactly(2);
    wholeOrNone(s, job);
    s.verifyAccounting();
  }

  @Test
  void aPolicyThatNamesPartOfAGangIsRefusedAndNothingChanges() {
    // A policy that answers one member of each gang candidate, as if it were a victim alone.
    PreemptionPolicy splitting = new PreemptionPolicy() {
      @Override
      public String name() {
        return "splitting";
      }

      @Override
      public Optional<List<Victim>> selectVictims(PreemptionRequest request, FitProbe probe) {
        for (Victim v : request.victims()) {
          if (v.gang()) {
            return Optional.of(List.of(new Victim(v.task(), v.assignment())));
          }
        }
        return Optional.empty();
      }
    };
    Scheduler s = Scheduler.builder().policy("bestfit").seed(7).assertMode(true)
        .nodes(List.of(Node.of("n1", 32_000, 65_536, NPU, 2), Node.of("n2", 32_000, 65_536, NPU, 2)))
        .preemption(splitting).build();
    List<Task> job = gang("job", 2, 2, 0);
    s.submit(job);
    s.schedule();
    List<String> before = state(s);

    assertThatThrownBy(() -> s.place(task("urgent", 2, 9, true)))
        .isInstanceOf(PolicyException.class).hasMessageContaining("not a candidate");
    assertThat(state(s)).isEqualTo(before);
    assertThat(s.isPending("urgent")).isFalse();
    assertThat(s.preemptions()).isZero();
  }
}
