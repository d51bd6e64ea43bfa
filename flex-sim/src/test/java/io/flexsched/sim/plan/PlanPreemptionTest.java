package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code flex plan} with priorities, preemption, queues and orderings. Every expected line is
 * worked out by hand from the scenario's comments (best fit: the node with least left over; whole
 * devices: the lowest-indexed idle ones; shares: the fitting device with least free compute), not
 * copied from a run.
 */
class PlanPreemptionTest {
  private static final String NPU0 = "{\"index\":0,\"milli\":1000,\"memoryMiB\":32768}";
  private static final String NPU1 = "{\"index\":1,\"milli\":1000,\"memoryMiB\":32768}";
  private static final String NPU2 = "{\"index\":2,\"milli\":1000,\"memoryMiB\":32768}";
  private static final String NPU3 = "{\"index\":3,\"milli\":1000,\"memoryMiB\":32768}";

  private static List<String> run(String scenario) {
    PlanRun run = PlanRun.of(scenario);
    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isEqualTo(FlexCommand.OK);
    return run.lines();
  }

  private static String placed(String task, String node, String devices) {
    return "{\"task\":\"" + task + "\",\"status\":\"placed\",\"node\":\"" + node + "\",\"devices\":[" + devices + "]}";
  }

  private static String placedPreempting(String task, String node, String devices, String victims) {
    return "{\"task\":\"" + task + "\",\"status\":\"placed\",\"node\":\"" + node + "\",\"devices\":[" + devices
        + "],\"preempted\":[" + victims + "]}";
  }

  private static String preempted(String task, String by) {
    return "{\"task\":\"" + task + "\",\"status\":\"preempted\",\"by\":\"" + by + "\"}";
  }

  @Test
  void whereOneVictimSufficesExactlyTheLowestPriorityIsEvicted() {
    assertThat(run("preempt-lowest.yaml")).containsExactly(
        placed("t1", "n1", NPU0),
        placed("t2", "n1", NPU1),
        placedPreempting("t3", "n1", NPU1, "\"t2\""),
        preempted("t2", "t3"),
        "{\"task\":\"t3\",\"status\":\"released\",\"node\":\"n1\"}",
        placed("t2", "n1", NPU1));
  }

  @Test
  void aPreemptorThatCannotFitEvenAfterEvictionsEvictsNobody() {
    assertThat(run("preempt-nobody.yaml")).containsExactly(
        placed("low1", "n1", NPU0),
        placed("low2", "n1", NPU1),
        placed("low3", "n1", NPU2),
        placed("pinned", "n1", NPU3),
        "{\"task\":\"big\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}");
  }

  @Test
  void anEmptyNodeIsUsedBeforeAnyoneIsPreempted() {
    assertThat(run("preempt-empty-first.yaml")).containsExactly(
        placed("low", "n1", NPU0 + "," + NPU1),
        placed("p", "n2", NPU0 + "," + NPU1));
  }

  @Test
  void equalPriorityAndNonPreemptibleTasksAreNeverVictims() {
    assertThat(run("preempt-protected.yaml")).containsExactly(
        placed("same", "n1", NPU0),
        placed("pinned", "n1", NPU1),
        "{\"task\":\"p1\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}",
        placedPreempting("p2", "n1", NPU0, "\"same\""),
        preempted("same", "p2"));
  }

  @Test
  void aVictimReturnsToTheQueueAndRunsElsewhereInTheSamePass() {
    assertThat(run("preempt-replace.yaml")).containsExactly(
        placed("t1", "n1", NPU0),
        placedPreempting("p", "n1", NPU0, "\"t1\""),
        preempted("t1", "p"),
        placed("t1", "n2", "{\"index\":0,\"milli\":1000,\"memoryMiB\":16384}"));
  }

  @Test
  void sixteenHalfSharesNeverPutMoreThanOneDeviceOnADevice() {
    var expected = new ArrayList<String>();
    for (int i = 1; i <= 8; i++) {
      expected.add(placed("h" + i, "n1", "{\"index\":" + (i - 1) / 2 + ",\"milli\":500,\"memoryMiB\":0}"));
    }
    for (int i = 9; i <= 16; i++) {
      expected.add("{\"task\":\"h" + i + "\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}");
    }
    assertThat(run("fractional-16.yaml")).containsExactlyElementsOf(expected);
  }

  @Test
  void queuesKeepLimitsAndReclaimBorrowedCapacity() {
    assertThat(run("queues.yaml")).containsExactly(
        placed("b1", "n1", NPU0),
        placed("b2", "n1", NPU1),
        placed("b3", "n1", NPU2),
        "{\"task\":\"b4\",\"status\":\"pending\",\"reasons\":{\"quota\":1},\"cause\":\"queue-limit\"}",
        placed("a1", "n1", NPU3),
        placedPreempting("a2", "n1", NPU0, "\"b1\""),
        preempted("b1", "a2"),
        "{\"task\":\"a3\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}",
        "{\"task\":\"a2\",\"status\":\"released\",\"node\":\"n1\"}",
        placed("a3", "n1", NPU0));
  }

  @Test
  void strictFifoHoldsASmallTaskBehindABlockedLargeOne() {
    String t4 = "{\"index\":0,\"milli\":1000,\"memoryMiB\":16384}";
    assertThat(run("strict-fifo.yaml")).containsExactly(
        placed("t1", "n1", t4),
        "{\"task\":\"big\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}",
        "{\"task\":\"small\",\"status\":\"pending\",\"reasons\":{},\"cause\":\"blocked\"}",
        "{\"task\":\"t1\",\"status\":\"released\",\"node\":\"n1\"}",
        placed("big", "n1", t4 + ",{\"index\":1,\"milli\":1000,\"memoryMiB\":16384}"));
  }
}
