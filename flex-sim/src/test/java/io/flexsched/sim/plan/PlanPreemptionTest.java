package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code flex plan} with priorities, preemption, queues and orderings: the failures users report
 * in other schedulers. Each test parses the JSON lines and checks them against what the
 * scenario's comment works out by hand, and every run against the preemption rules.
 */
class PlanPreemptionTest {

  private static PlanLines run(String scenario) {
    PlanLines out = PlanLines.of(scenario);
    out.assertPreemptionsFollowTheRules();
    assertThat(out.peakMilliPerDevice()).allSatisfy((device, milli) ->
        assertThat(milli).as("compute on %s", device).isLessThanOrEqualTo(1000));
    return out;
  }

  @Test
  void aPreemptorThatCannotFitEvenAfterEvictionsEvictsNobody() {
    PlanLines out = run("preempt-nobody.yaml");

    assertThat(out.withStatus("preempted")).isEmpty();
    assertThat(out.allVictims()).isEmpty();
    assertThat(out.statuses("big")).containsExactly("pending");
    for (String t : List.of("low1", "low2", "low3", "pinned")) {
      assertThat(out.statuses(t)).as(t).containsExactly("placed");
    }
  }

  @Test
  void whereOneVictimSufficesExactlyTheLowestPriorityIsEvicted() {
    PlanLines out = run("preempt-lowest.yaml");

    List<Map<String, Object>> preempted = out.withStatus("preempted");
    assertThat(preempted).hasSize(1);
    assertThat(preempted.get(0)).containsEntry("task", "t2").containsEntry("by", "t3");
    assertThat(out.tasks().get("t2").priority()).isLessThan(out.tasks().get("t1").priority());
    Map<String, Object> t3 = out.about("t3").get(0);
    assertThat(t3).containsEntry("status", "placed");
    assertThat(PlanLines.victims(t3)).containsExactly("t2");
    assertThat(out.statuses("t1")).containsExactly("placed");
    // t2 waits in the queue and runs again once t3 ends.
    assertThat(out.statuses("t2")).containsExactly("placed", "preempted", "placed");
    assertThat(out.statuses("t3")).containsExactly("placed", "released");
  }

  @Test
  void anEmptyNodeIsUsedBeforeAnyoneIsPreempted() {
    PlanLines out = run("preempt-empty-first.yaml");

    assertThat(out.allVictims()).isEmpty();
    assertThat(out.withStatus("preempted")).isEmpty();
    assertThat(out.statuses("low")).containsExactly("placed");
    assertThat(out.statuses("p")).containsExactly("placed");
    assertThat(out.lastNode("p")).isNotEqualTo(out.lastNode("low"));
  }

  @Test
  void equalPriorityAndNonPreemptibleTasksAreNeverVictims() {
    PlanLines out = run("preempt-protected.yaml");

    // p1 has same's priority and pinned is not preemptible: p1 waits, evicting nobody.
    assertThat(out.statuses("p1")).containsExactly("pending");
    assertThat(out.statuses("pinned")).containsExactly("placed");
    // p2, one priority higher, evicts same and only same.
    assertThat(out.allVictims()).containsExactly("same");
    assertThat(PlanLines.victims(out.about("p2").get(0))).containsExactly("same");
  }

  @Test
  void aVictimReturnsToTheQueueAndRunsElsewhereInTheSamePass() {
    PlanLines out = run("preempt-replace.yaml");

    assertThat(out.statuses("t1")).containsExactly("placed", "preempted", "placed");
    assertThat(out.about("p").get(0)).containsEntry("node", out.about("t1").get(0).get("node"));
    assertThat(out.lastNode("t1")).isNotEqualTo(out.lastNode("p"));
  }

  @Test
  void aGangPreemptsAcrossNodesWithTheFewestVictims() {
    PlanLines out = run("preempt-gang.yaml");

    Map<String, Object> job0 = out.about("job-0").get(1);
    Map<String, Object> job1 = out.about("job-1").get(0);
    assertThat(out.statuses("job-0")).startsWith("waiting", "placed");
    assertThat(job1).containsEntry("status", "placed");
    var victims = new ArrayList<String>();
    victims.addAll(PlanLines.victims(job0));
    victims.addAll(PlanLines.victims(job1));
    assertThat(victims).containsExactlyInAnyOrder("a1", "c1");
    // Across two nodes: each member took the node of the victim it lists.
    assertThat(job0.get("node")).isNotEqualTo(job1.get("node"));
    for (Map<String, Object> member : List.of(job0, job1)) {
      for (String v : PlanLines.victims(member)) {
        assertThat(out.about(v).get(0)).containsEntry("node", member.get("node"));
      }
    }
    // b1 and b2 were never the gang's victims (and c1, of their priority, never evicts them).
    assertThat(out.withStatus("preempted")).noneMatch(l -> "c1".equals(l.get("by")));
    assertThat(out.withStatus("preempted")).filteredOn(l -> ((String) l.get("by")).startsWith("job"))
        .extracting(l -> l.get("task")).containsExactlyInAnyOrder("a1", "c1");
  }

  @Test
  void aGangThatWouldStillNotFitAfterEvictionsEvictsNobodyUntilEveryMemberFits() {
    PlanLines out = run("preempt-gang-nobody.yaml");

    // Submitted: both members pending, nobody evicted.
    assertThat(out.statuses("job-0")).startsWith("waiting", "pending");
    assertThat(out.statuses("job-1")).startsWith("pending");
    int firstPreemption = out.lines().indexOf(out.withStatus("preempted").get(0));
    int released = out.lines().indexOf(out.about("pinned").get(1));
    assertThat(out.about("pinned").get(1)).containsEntry("status", "released");
    assertThat(firstPreemption).as("no preemption before pinned ends").isGreaterThan(released);
    // Then the gang takes pinned's node and low's: low goes, same (equal priority) stays.
    assertThat(out.allVictims()).containsExactly("low");
    assertThat(out.statuses("same")).containsExactly("placed");
    assertThat(out.statuses("low")).containsExactly("placed", "preempted");
    assertThat(List.of(out.lastNode("job-0"), out.lastNode("job-1")))
        .containsExactlyInAnyOrder(out.lastNode("low"), out.lastNode("pinned"));
  }

  @Test
  void sixteenHalfSharesNeverPutMoreThanOneDeviceOnADevice() {
    for (String scenario : List.of("fractional-16.yaml", "fractional-16-at-once.yaml")) {
      PlanLines out = run(scenario);
      // Four T4s hold eight halves; the other eight wait.
      assertThat(out.withStatus("placed")).as(scenario).hasSize(8);
      Map<String, Integer> peak = out.peakMilliPerDevice();
      assertThat(peak).as(scenario).hasSize(4);
      int total = 0;
      for (int milli : peak.values()) {
        total += milli;
      }
      assertThat(total).as(scenario).isEqualTo(4 * 1000);
      assertThat(out.allVictims()).isEmpty();
    }
  }

  @Test
  void halvesSubmittedAtOnceArePlacedByOnePass() {
    PlanLines out = run("fractional-16-at-once.yaml");

    // Every task is first reported pending (no node yet); the node's arrival places eight at once.
    assertThat(out.lines().subList(0, 16)).allSatisfy(l -> assertThat(l).containsEntry("status", "pending"));
    assertThat(out.lines().subList(16, out.lines().size())).hasSize(8)
        .allSatisfy(l -> assertThat(l).containsEntry("status", "placed").containsEntry("node", "n1"));
  }

  @Test
  void queuesKeepLimitsAndReclaimBorrowedCapacity() {
    PlanLines out = run("queues.yaml");

    // b may hold 3 NPUs: b4 waits on its queue's limit, not on room.
    assertThat(out.about("b4").get(0)).containsEntry("status", "pending").containsEntry("cause", "queue-limit");
    assertThat(out.statuses("a1")).containsExactly("placed");
    // a2 stays within a's guarantee, so it reclaims one of b's borrowed NPUs.
    List<String> victims = PlanLines.victims(out.about("a2").get(0));
    assertThat(victims).hasSize(1);
    assertThat(out.tasks().get(victims.get(0)).queue()).isEqualTo("b");
    // a3 would take a past its guarantee: it may not reclaim, and runs once a2 ends.
    assertThat(out.statuses("a3")).containsExactly("pending", "placed");
    assertThat(out.about("a3").get(0)).doesNotContainKey("cause");
    int a2Released = out.lines().indexOf(out.about("a2").get(1));
    assertThat(out.lines().indexOf(out.about("a3").get(1))).isGreaterThan(a2Released);
  }

  @Test
  void strictFifoHoldsASmallTaskBehindABlockedLargeOne() {
    PlanLines out = run("strict-fifo.yaml");

    assertThat(out.about("small").get(0)).containsEntry("status", "pending").containsEntry("cause", "blocked");
    assertThat(out.statuses("big")).containsExactly("pending", "placed");
    // preemption: none: nothing is ever preempted.
    assertThat(out.allVictims()).isEmpty();
  }
}
