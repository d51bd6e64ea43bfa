package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.QueueSpec;
import io.flexsched.core.RejectReason;
import io.flexsched.core.Resources;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading priorities, preemptibility, queues and the scheduling settings; the JSON of preemptions. */
class ScenarioQueuesTest {

  @Test
  void queuesReadGpusAsMilliAndGovernCpuAndMemoryOnlyWhenGiven() {
    Scenario s = ScenarioReader.read("s.yaml", """
        queues:
          - {name: a, guaranteedGpus: 1.5, limitGpus: 4, weight: 2}
          - {name: b, limitCpuMilli: 8000, guaranteedMemoryMiB: 1024}
        events:
          - task: {id: t1, gpus: 1, priority: -3, preemptible: false, queue: a}
          - task: {id: t2, gpus: 1}
        """);
    assertThat(s.queues()).containsExactly(
        new QueueSpec("a", new Resources(1_500, Resources.UNBOUNDED, Resources.UNBOUNDED),
            new Resources(4_000, Resources.UNBOUNDED, Resources.UNBOUNDED), 2),
        new QueueSpec("b", new Resources(0, 0, 1_024),
            new Resources(Resources.UNBOUNDED, 8_000, Resources.UNBOUNDED), 1));
    Task t1 = ((ScenarioEvent.Submit) s.events().get(0)).task();
    Task t2 = ((ScenarioEvent.Submit) s.events().get(1)).task();
    assertThat(t1.priority()).isEqualTo(-3);
    assertThat(t1.preemptible()).isFalse();
    assertThat(t1.queue()).isEqualTo("a");
    assertThat(t2.priority()).isZero();
    assertThat(t2.preemptible()).isTrue();
    assertThat(t2.queue()).isNull();
  }

  @Test
  void defaultsAreGreedyPreemptionAndBackfill() {
    Scenario s = ScenarioReader.read("s.yaml", "events: []\n");
    assertThat(s.queues()).isEmpty();
    assertThat(s.preemption()).isEqualTo("greedy");
    assertThat(s.strictFifo()).isFalse();
    assertThat(s.reserveAfter()).isEqualTo(Scheduler.DEFAULT_RESERVE_AFTER);
    Scenario t = ScenarioReader.read("t.yaml", "preemption: none\nordering: strict-fifo\nevents: []\n");
    assertThat(t.preemption()).isEqualTo(Scenario.NO_PREEMPTION);
    assertThat(t.strictFifo()).isTrue();
    assertThat(ScenarioReader.read("u.yaml", "preemption: exact\nreserveAfter: 3\n").reserveAfter()).isEqualTo(3);
  }

  @Test
  void aGangMemberCarriesItsPriorityPreemptibilityAndQueue() {
    Scenario s = ScenarioReader.read("s.yaml", """
        queues:
          - {name: a}
        events:
          - task: {id: m0, gpus: 1, priority: 7, preemptible: false, queue: a, gang: {name: job, size: 2}}
        """);
    Task m0 = ((ScenarioEvent.Submit) s.events().get(0)).task();
    assertThat(m0.priority()).isEqualTo(7);
    assertThat(m0.preemptible()).isFalse();
    assertThat(m0.queue()).isEqualTo("a");
    assertThat(m0.gang().name()).isEqualTo("job");
  }

  @Test
  void aPlacementListsItsVictimsAndEachVictimNamesItsPreemptor() {
    var a = new Assignment("t4", "n1", List.of(Slice.share(0, 1000, 16_384)));
    assertThat(JsonLine.placed(a, List.of("t1", "t\"2"))).isEqualTo("{\"task\":\"t4\",\"status\":\"placed\",\"node\":\"n1\","
        + "\"devices\":[{\"index\":0,\"milli\":1000,\"memoryMiB\":16384}],\"preempted\":[\"t1\",\"t\\\"2\"]}");
    assertThat(JsonLine.placed(a, List.of())).isEqualTo(JsonLine.placed(a));
    assertThat(JsonLine.preempted("t1", "t4")).isEqualTo("{\"task\":\"t1\",\"status\":\"preempted\",\"by\":\"t4\"}");
  }

  @Test
  void aPendingTaskNamesItsCauseWhenItIsNotRoom() {
    assertThat(JsonLine.pending("t5", Map.of(RejectReason.QUOTA, 3), "queue-limit", null))
        .isEqualTo("{\"task\":\"t5\",\"status\":\"pending\",\"reasons\":{\"quota\":3},\"cause\":\"queue-limit\"}");
    assertThat(JsonLine.pending("t6", Map.of(RejectReason.INSUFFICIENT_CPU, 1), null, null))
        .isEqualTo("{\"task\":\"t6\",\"status\":\"pending\",\"reasons\":{\"insufficient-cpu\":1}}");
  }
}
