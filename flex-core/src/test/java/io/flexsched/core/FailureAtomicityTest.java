package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.core.queue.QueuedScheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.spi.Victim;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every operation completes or changes nothing, whatever throws: bad input, or an extension that
 * fails or answers nonsense in the middle of a gang, a preemption, a scheduling pass or a
 * transaction. After each failure the cluster, the queues, the metrics and the open transactions
 * are exactly as before, and the scheduler goes on serving what does not need the failing part.
 */
class FailureAtomicityTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");
  private static final DeviceModel ASCEND = DeviceCatalogue.builtIn().require("Ascend910");

  private static Task whole(String id, int gpus) {
    return Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(gpus)).build();
  }

  /** Everything a user can see, as text: cluster, order of placements, queues, meters, open transactions. */
  static String state(Scheduler s, SimpleMeterRegistry registry) {
    var b = new StringBuilder();
    for (Node n : s.cluster().nodes()) {
      NodeView v = s.cluster().node(n.name());
      b.append(n.name()).append(' ').append(v.freeCpuMilli()).append(' ').append(v.freeMemoryMiB()).append(' ')
          .append(v.totalFreeMilli()).append(' ').append(v.tasks()).append(s.cluster().isFenced(n.name()) ? " fenced" : "").append('\n');
    }
    b.append(s.cluster().assignments()).append('\n').append(s.pending()).append('\n');
    for (QueueSpec q : s.queues()) {
      b.append(q.name()).append('=').append(s.usage(q.name())).append(' ');
    }
    b.append(s.reservation()).append(' ').append(s.preemptions()).append(" open=")
        .append(((QueuedScheduler) s).openTransactions()).append('\n');
    var meters = new TreeMap<String, String>();
    for (Meter m : registry.getMeters()) {
      var values = new StringBuilder();
      for (Measurement x : m.measure()) {
        values.append(x.getValue()).append(' ');
      }
      meters.put(m.getId().toString(), values.toString());
    }
    return b.append(meters).toString();
  }

  /** A scoring policy that answers like bestfit but fails on tasks {@code failOn} accepts, as {@code failure} says. */
  private static ScoringPolicy failing(Predicate<Task> failOn, String failure) {
    return new ScoringPolicy() {
      @Override
      public String name() {
        return "failing";
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        selectDevices(task, node, choice);
        if (failOn.test(task)) {
          switch (failure) {
            case "throw" -> throw new IllegalStateException("broken for " + task.id());
            case "nan" -> {
              return Double.NaN;
            }
            case "out-of-range" -> choice.add(node.deviceCount());
            case "over-capacity" -> {
              choice.clear();
              for (int d = 0; d < task.accelerators().count(); d++) {
                choice.add(0);
              }
            }
            default -> throw new IllegalArgumentException(failure);
          }
        }
        return -node.totalFreeMilli();
      }

      @Override
      public boolean dependsOnlyOnNodeState() {
        return false; // it reads the task's id
      }
    };
  }

  private static Scheduler.Builder builder(SimpleMeterRegistry registry) {
    return Scheduler.builder().seed(1).metrics(registry).metricsRefresh(Duration.ZERO)
        .node(Node.of("a", 32_000, 65_536, T4, 4)).node(Node.of("b", 32_000, 65_536, T4, 4));
  }

  @Test
  void aGangNamingAPlacedTaskIsRefusedWholeAndLeavesNoTransactionOpen() {
    var registry = new SimpleMeterRegistry();
    Scheduler s = builder(registry).policy("bestfit").build();
    s.place(whole("m2", 1));
    String before = state(s, registry);
    Gang g = new Gang("g", 2, null, false);
    List<Task> gang = List.of(whole("m1", 2).toBuilder().gang(g).build(), whole("m2", 1).toBuilder().gang(g).build());
    assertThatThrownBy(() -> s.place(gang)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("'m2'");
    assertThatThrownBy(() -> s.submit(gang)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("'m2'");
    assertThat(state(s, registry)).isEqualTo(before);
    // The plain engine refuses it the same way.
    PlacementEngine e = Scheduler.builder().policy("bestfit").node(Node.of("a", 32_000, 65_536, T4, 4)).buildEngine();
    e.place(whole("m2", 1));
    List<Assignment> placed = e.cluster().assignments();
    assertThatThrownBy(() -> e.place(gang)).isInstanceOf(InvalidSpecException.class);
    assertThat(e.cluster().assignments()).isEqualTo(placed);
    try (Transaction tx = e.begin()) {
      tx.commit(); // the only transaction: the failed gang left none open beneath it
    }
  }

  @Test
  void aPolicyFailingOnTheSecondMemberOfAGangChangesNothing() {
    for (String failure : List.of("throw", "nan", "out-of-range", "over-capacity")) {
      var registry = new SimpleMeterRegistry();
      Scheduler s = builder(registry).policy(failing(t -> t.id().equals("g-1"), failure)).build();
      s.place(whole("first", 1));
      String before = state(s, registry);
      Gang g = new Gang("g", 2, null, false);
      // Largest first: g-0 (3 GPUs) is placed, then the policy fails on g-1.
      List<Task> gang = List.of(whole("g-0", 3).toBuilder().gang(g).build(), whole("g-1", 2).toBuilder().gang(g).build());
      assertThatThrownBy(() -> s.place(gang)).as(failure).isInstanceOfSatisfying(PolicyException.class, e -> {
        assertThat(e.extension()).isEqualTo("scoring policy 'failing'");
        assertThat(e.task()).isEqualTo("g-1");
        assertThat(e.node()).isIn("a", "b");
      });
      assertThat(state(s, registry)).as(failure).isEqualTo(before);
      // It goes on serving what does not need the failing answer.
      assertThat(s.place(whole("after", 1)).placed()).isTrue();
    }
  }

  @Test
  void aPassThatFailsHalfWayChangesNothingAndTheNextPassServesTheRest() {
    var registry = new SimpleMeterRegistry();
    var broken = new java.util.concurrent.atomic.AtomicBoolean();
    Scheduler s = builder(registry).policy(failing(t -> t.id().equals("q3") && broken.get(), "throw")).build();
    for (String id : List.of("q1", "q2", "q3", "q4")) {
      s.submit(whole(id, 1));
    }
    broken.set(true);
    String before = state(s, registry);
    assertThatThrownBy(s::schedule).isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.task()).isEqualTo("q3"));
    assertThat(state(s, registry)).as("q1 and q2 were placed by the pass before it failed; taken back").isEqualTo(before);
    broken.set(false);
    List<Outcome> pass = s.schedule();
    assertThat(pass).hasSize(4).allMatch(Outcome::placed);
  }

  @Test
  void aPreemptionPolicyThatFailsOrNamesStrangersEvictsNobody() {
    for (String failure : List.of("throw", "stranger", "twice")) {
      var registry = new SimpleMeterRegistry();
      PreemptionPolicy policy = new PreemptionPolicy() {
        @Override
        public String name() {
          return "broken";
        }

        @Override
        public Optional<List<Victim>> selectVictims(PreemptionRequest request, FitProbe probe) {
          List<Victim> all = request.victims();
          return switch (failure) {
            case "throw" -> throw new IllegalStateException("no victims today");
            case "stranger" -> Optional.of(List.of(new Victim(whole("nobody", 1), new Assignment("nobody", "a", List.of()))));
            default -> Optional.of(List.of(all.get(0), all.get(0)));
          };
        }
      };
      Scheduler s = builder(registry).policy("bestfit").preemption(policy).build();
      for (int i = 0; i < 8; i++) {
        s.place(whole("low" + i, 1));
      }
      String before = state(s, registry);
      Task high = whole("high", 2).toBuilder().priority(5).build();
      assertThatThrownBy(() -> s.place(high)).as(failure).isInstanceOfSatisfying(PolicyException.class,
          e -> assertThat(e.extension()).isEqualTo("preemption policy 'broken'"));
      assertThat(state(s, registry)).as(failure).isEqualTo(before);
    }
  }

  @Test
  void deviceRulesThatThrowOnOneKindOfNodeDoNotStopTheOthers() {
    var registry = new SimpleMeterRegistry();
    HardwareProvider brokenAscend = new HardwareProvider() {
      @Override
      public String vendor() {
        return "broken";
      }

      @Override
      public Collection<DeviceModel> models() {
        return List.of(ASCEND);
      }

      @Override
      public Optional<DeviceRules> rules(DeviceModel model) {
        return model.equals(ASCEND) ? Optional.of(new DeviceRules() {
          @Override
          public boolean select(Task task, NodeView node, DeviceChoice choice) {
            throw new IllegalStateException("ring table missing");
          }

          @Override
          public boolean admits(Task task, NodeView node, DeviceChoice choice) {
            throw new IllegalStateException("ring table missing");
          }
        }) : Optional.empty();
      }
    };
    Scheduler s = builder(registry).policy("bestfit").hardware(List.of(brokenAscend))
        .node(Node.of("npu", 64_000, 131_072, ASCEND, 8)).build();
    String before = state(s, registry);
    Task npu = whole("npu-task", 2).toBuilder().accelerators(AcceleratorRequest.whole(2).onModels(java.util.Set.of("Ascend910"))).build();
    assertThatThrownBy(() -> s.place(npu)).isInstanceOfSatisfying(PolicyException.class, e -> {
      assertThat(e.extension()).startsWith("device rules ");
      assertThat(e.node()).isEqualTo("npu");
      assertThat(e.getMessage()).contains("ring table missing");
    });
    assertThat(state(s, registry)).isEqualTo(before);
    // GPU tasks never ask the NPU node's rules: their model does not match it.
    var placed = new ArrayList<String>();
    for (int i = 0; i < 4; i++) {
      Outcome o = s.place(whole("gpu" + i, 2).toBuilder()
          .accelerators(AcceleratorRequest.whole(2).onModels(java.util.Set.of("T4"))).build());
      assertThat(o.placed()).isTrue();
      placed.add(((Outcome.Placed) o).assignment().node());
    }
    assertThat(placed).containsOnly("a", "b");
    assertThatThrownBy(() -> s.place(npu)).isInstanceOf(PolicyException.class);
  }

  @Test
  void aTransactionEndedInTheWrongOrderChangesNothing() {
    var registry = new SimpleMeterRegistry();
    Scheduler s = builder(registry).policy("bestfit").build();
    Transaction outer = s.begin();
    s.place(whole("in-outer", 1));
    Transaction inner = s.begin();
    s.submit(whole("queued-in-inner", 1));
    String before = state(s, registry);
    assertThatThrownBy(outer::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("inner one is open");
    assertThatThrownBy(outer::rollback).isInstanceOf(IllegalStateException.class);
    assertThat(state(s, registry)).isEqualTo(before);
    inner.rollback();
    assertThat(s.isPending("queued-in-inner")).as("the queue's change rolled back with the engine's").isFalse();
    outer.rollback();
    assertThat(s.cluster().assignments()).isEmpty();
    assertThat(((QueuedScheduler) s).openTransactions()).isZero();
  }
}
