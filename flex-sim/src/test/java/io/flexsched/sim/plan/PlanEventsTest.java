package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code flex plan} on each event type. The expected lines are worked out by hand from the
 * scenario (each is built so that only one node, or one device, can take a task), not copied
 * from a run.
 */
class PlanEventsTest {
  private static final String T4_WHOLE = "{\"index\":0,\"milli\":1000,\"memoryMiB\":16384}";

  private static List<String> run(String scenario) {
    PlanRun run = PlanRun.of(scenario);
    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isEqualTo(FlexCommand.OK);
    return run.linesWithoutNearest();
  }

  @Test
  void taskIsPlacedWithItsShareAndCpuOnlyTaskWithNoDevices() {
    assertThat(run("placed.yaml")).containsExactly(
        "{\"task\":\"t1\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[{\"index\":0,\"milli\":500,\"memoryMiB\":4096}]}",
        "{\"task\":\"t2\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[]}");
  }

  @Test
  void pendingTaskCountsNodesPerReasonInReasonOrderAndNamesTheNearestMiss() {
    // Nearest: "small" lacks half of t1's CPU (0.5); "one" lacks one of its two GPUs (0.5) but
    // joined later; "lowmem" lacks 3/4 of its memory; the others lack every GPU (1).
    assertThat(PlanRun.of("pending.yaml").lines()).containsExactly(
        "{\"task\":\"t0\",\"status\":\"placed\",\"node\":\"busy\",\"devices\":["
            + T4_WHOLE + ",{\"index\":1,\"milli\":1000,\"memoryMiB\":16384}]}",
        "{\"task\":\"t1\",\"status\":\"pending\",\"reasons\":{\"insufficient-cpu\":1,\"insufficient-memory\":1,"
            + "\"no-devices\":1,\"model-mismatch\":1,\"insufficient-gpu-count\":1,\"insufficient-gpu\":1},"
            + "\"nearest\":{\"node\":\"small\",\"reason\":\"insufficient-cpu\",\"lacks\":{\"cpuMilli\":1000}}}");
  }

  @Test
  void releaseFreesTheDeviceAndRetriesTheQueueInOrder() {
    assertThat(run("release-retry.yaml")).containsExactly(
        "{\"task\":\"t1\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[" + T4_WHOLE + "]}",
        "{\"task\":\"t2\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}",
        "{\"task\":\"t3\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}",
        "{\"task\":\"t1\",\"status\":\"released\",\"node\":\"n1\"}",
        "{\"task\":\"t2\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[" + T4_WHOLE + "]}",
        "{\"task\":\"t3\",\"status\":\"released\"}",
        "{\"task\":\"t2\",\"status\":\"released\",\"node\":\"n1\"}",
        "{\"task\":\"t4\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[" + T4_WHOLE + "]}");
  }

  @Test
  void removeNodeEvictsWithoutRequeueingAndAddNodeRetriesTheQueue() {
    assertThat(run("remove-add.yaml")).containsExactly(
        "{\"task\":\"t1\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[" + T4_WHOLE + "]}",
        "{\"task\":\"t2\",\"status\":\"placed\",\"node\":\"n2\",\"devices\":[" + T4_WHOLE + "]}",
        "{\"task\":\"t3\",\"status\":\"pending\",\"reasons\":{\"insufficient-cpu\":1,\"insufficient-gpu\":1}}",
        "{\"task\":\"t2\",\"status\":\"evicted\",\"node\":\"n2\",\"cause\":\"node-removed\"}",
        "{\"task\":\"t3\",\"status\":\"placed\",\"node\":\"n3\",\"devices\":[" + T4_WHOLE + "]}",
        "{\"task\":\"t1\",\"status\":\"released\",\"node\":\"n1\"}",
        "{\"task\":\"t2\",\"status\":\"released\"}",
        "{\"task\":\"t2\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[" + T4_WHOLE + "]}",
        "{\"task\":\"t2\",\"status\":\"evicted\",\"node\":\"n1\",\"cause\":\"node-removed\"}");
  }

  @Test
  void countExpandsToNumberedNodesInNodesAndAddNode() {
    List<String> lines = run("count.yaml");
    assertThat(lines).hasSize(6);
    // k1..k3 fill the three one-task nodes c-0..c-2, one each; which goes where is the policy's call.
    Pattern placed = Pattern.compile("\\{\"task\":\"(k\\d)\",\"status\":\"placed\",\"node\":\"([a-z]-\\d)\",\"devices\":\\[]}");
    var nodeOf = new java.util.HashMap<String, String>();
    for (String line : List.of(lines.get(0), lines.get(1), lines.get(2))) {
      Matcher m = placed.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      nodeOf.put(m.group(1), m.group(2));
    }
    assertThat(nodeOf).containsOnlyKeys("k1", "k2", "k3");
    assertThat(nodeOf.values()).containsExactlyInAnyOrder("c-0", "c-1", "c-2");
    assertThat(lines.get(3)).isEqualTo("{\"task\":\"k4\",\"status\":\"pending\",\"reasons\":{\"insufficient-cpu\":3}}");
    String onC1 = nodeOf.entrySet().stream().filter(e -> e.getValue().equals("c-1")).findFirst().orElseThrow().getKey();
    assertThat(lines.get(4)).isEqualTo("{\"task\":\"" + onC1 + "\",\"status\":\"evicted\",\"node\":\"c-1\",\"cause\":\"node-removed\"}");
    Matcher last = placed.matcher(lines.get(5));
    assertThat(last.matches()).isTrue();
    assertThat(last.group(1)).isEqualTo("k4");
    assertThat(last.group(2)).isIn("d-0", "d-1");
  }

  @Test
  void twoHalfSharesShareOneDeviceAndAThirdGoesToTheNewNode() {
    String half = "\"devices\":[{\"index\":0,\"milli\":500,\"memoryMiB\":8000}]}";
    assertThat(run("fractional.yaml")).containsExactly(
        "{\"task\":\"h1\",\"status\":\"placed\",\"node\":\"n1\"," + half,
        "{\"task\":\"h2\",\"status\":\"placed\",\"node\":\"n1\"," + half,
        "{\"task\":\"h3\",\"status\":\"pending\",\"reasons\":{\"insufficient-gpu\":1}}",
        "{\"task\":\"h3\",\"status\":\"placed\",\"node\":\"n2\"," + half);
  }

  @Test
  void maxSharersLimitsTenantsAndAWholeModelTakesNoShares() {
    String share = "\"devices\":[{\"index\":0,\"milli\":200,\"memoryMiB\":0}]}";
    assertThat(run("sharers.yaml")).containsExactly(
        "{\"task\":\"s1\",\"status\":\"placed\",\"node\":\"n1\"," + share,
        "{\"task\":\"s2\",\"status\":\"placed\",\"node\":\"n1\"," + share,
        "{\"task\":\"s3\",\"status\":\"pending\",\"reasons\":{\"model-mismatch\":1,\"insufficient-gpu\":1}}",
        "{\"task\":\"w1\",\"status\":\"placed\",\"node\":\"n2\",\"devices\":[{\"index\":0,\"milli\":1000,\"memoryMiB\":32768}]}");
  }

  @Test
  void jsonIsAValidScenario() {
    assertThat(run("scenario.json")).containsExactly(
        "{\"task\":\"j1\",\"status\":\"placed\",\"node\":\"n1\",\"devices\":[{\"index\":0,\"milli\":300,\"memoryMiB\":2048}]}",
        "{\"task\":\"j1\",\"status\":\"released\",\"node\":\"n1\"}");
  }

  @Test
  void anExplicitWorkloadRunsAndPlacesEveryTask() {
    List<String> lines = run("workload.yaml");
    assertThat(lines).hasSize(3).allMatch(l -> l.contains("\"status\":\"placed\""));
    // t2 wants both T4s of a node, so it cannot share a node with t1 or t3.
    assertThat(lines.get(1)).matches("\\{\"task\":\"t2\",\"status\":\"placed\",\"node\":\"n-[01]\",\"devices\":\\["
        + "\\{\"index\":0,\"milli\":1000,\"memoryMiB\":16384},\\{\"index\":1,\"milli\":1000,\"memoryMiB\":16384}]}");
  }
}
