package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code flex plan} on profile-partitioned GPUs, Ascend rings, linked GPUs and gangs. Every
 * expected line is worked out by hand from hardware.md and the rules' javadoc (the scenario files
 * carry the working in comments), not copied from a run.
 */
class HardwareScenariosTest {
  private static List<String> run(String scenario) {
    PlanRun run = PlanRun.of("hardware/" + scenario);
    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isEqualTo(FlexCommand.OK);
    return run.linesWithoutNearest();
  }

  private static String profile(String task, String node, String profile, int start) {
    return "{\"task\":\"" + task + "\",\"status\":\"placed\",\"node\":\"" + node + "\",\"devices\":[{\"index\":0,\"profile\":\""
        + profile + "\",\"start\":" + start + "}]}";
  }

  private static String whole(String task, String node, long memory, int... devices) {
    var b = new StringBuilder("{\"task\":\"" + task + "\",\"status\":\"placed\",\"node\":\"" + node + "\",\"devices\":[");
    for (int i = 0; i < devices.length; i++) {
      b.append(i == 0 ? "" : ",").append("{\"index\":").append(devices[i]).append(",\"milli\":1000,\"memoryMiB\":")
          .append(memory).append('}');
    }
    return b.append("]}").toString();
  }

  private static String pending(String task, String reasons) {
    return "{\"task\":\"" + task + "\",\"status\":\"pending\",\"reasons\":{" + reasons + "}}";
  }

  private static String released(String task, String node) {
    return "{\"task\":\"" + task + "\",\"status\":\"released\",\"node\":\"" + node + "\"}";
  }

  @Test
  void sevenSmallestProfilesFitAndAnEighthDoesNot() {
    // Starts as PlacementEngineTest works them out: 6, 4, 5, 0, 1, 2, 3.
    assertThat(run("mig-seven-small.yaml")).containsExactly(
        profile("p1", "n1", "1g.5gb", 6), profile("p2", "n1", "1g.5gb", 4), profile("p3", "n1", "1g.5gb", 5),
        profile("p4", "n1", "1g.5gb", 0), profile("p5", "n1", "1g.5gb", 1), profile("p6", "n1", "1g.5gb", 2),
        profile("p7", "n1", "1g.5gb", 3), pending("p8", "\"insufficient-gpu\":1"));
  }

  @Test
  void threeTwoGProfilesAndAOneGFitButAFourthTwoGNever() {
    // 2g.10gb on an empty GPU: start 4 keeps 3g.20gb and 4g.20gb at 0 (room 2, against 1 at 0 or 2);
    // then 0 (ties with 2, lower wins), then 2; the 1g.5gb takes slot 6, the only 1g start left.
    // A fourth 2g.10gb needs 2 compute units: none left, even after the 1g.5gb goes (1 left).
    assertThat(run("mig-three-2g-one-1g.yaml")).containsExactly(
        profile("a", "n1", "2g.10gb", 4), profile("b", "n1", "2g.10gb", 0), profile("c", "n1", "2g.10gb", 2),
        profile("d", "n1", "1g.5gb", 6), pending("e", "\"insufficient-gpu\":1"), released("d", "n1"));
  }

  @Test
  void largeProfilesPairUpAndTheWholeGpuProfileNeedsAnEmptyGpu() {
    // 3g.20gb on an empty GPU: start 4 keeps 4g.20gb at 0 placeable; the second takes 0.
    assertThat(run("mig-large-pairs.yaml")).containsExactly(
        profile("x1", "n1", "3g.20gb", 4), profile("x2", "n1", "3g.20gb", 0),
        "{\"task\":\"x1\",\"status\":\"evicted\",\"node\":\"n1\",\"cause\":\"node-removed\"}",
        "{\"task\":\"x2\",\"status\":\"evicted\",\"node\":\"n1\",\"cause\":\"node-removed\"}",
        profile("y1", "n2", "4g.20gb", 0), profile("y2", "n2", "3g.20gb", 4), pending("z", "\"insufficient-gpu\":1"),
        released("y1", "n2"), released("y2", "n2"), profile("z", "n2", "7g.40gb", 0));
  }

  @Test
  void aLoneSmallProfileGoesWhereItBlocksTheLeast() {
    assertThat(run("mig-start-choice.yaml")).containsExactly(
        profile("small", "n1", "1g.5gb", 6), profile("big", "n1", "4g.20gb", 0), profile("mid", "n1", "2g.10gb", 4));
  }

  @Test
  void ascendRingsArePreferredByWhatTheyHaveFree() {
    long m = 32_768;
    assertThat(run("ascend-rings.yaml")).containsExactly(
        whole("a", "n1", m, 0), whole("b", "n1", m, 1), whole("c", "n1", m, 2, 3),
        pending("d", "\"device-rules\":1"), whole("e", "n1", m, 4, 5), released("a", "n1"), whole("f", "n1", m, 0),
        pending("g", "\"insufficient-gpu\":1"), released("c", "n1"), pending("g2", "\"device-rules\":1"),
        whole("h", "n1", m, 2), whole("i", "n1", m, 6, 7));
  }

  @Test
  void oneNpuPrefersThreeFreeOverTwoAndTwoNpusPreferTwoFreeOverThree() {
    long m = 32_768;
    assertThat(run("ascend-one-three-two.yaml")).containsExactly(
        whole("a", "n1", m, 0, 1), whole("b", "n1", m, 2), whole("c", "n1", m, 3), whole("d", "n1", m, 4),
        released("a", "n1"), whole("e", "n1", m, 5), released("e", "n1"), whole("f", "n1", m, 0, 1),
        pending("g", "\"insufficient-gpu\":1"));
  }

  @Test
  void aFourGpuTaskOnAHybridMeshGetsAFullyLinkedQuad() {
    long m = 32_768;
    assertThat(run("hybrid-mesh-quad.yaml")).containsExactly(
        whole("one", "dgx", m, 0), whole("quad", "dgx", m, 4, 5, 6, 7),
        pending("far", "\"link-score\":1"), whole("pair", "dgx", m, 1, 2));
  }

  @Test
  void aRequiredRackGangStaysInOneRackAndOneThatFitsNoRackPlacesNothing() {
    List<String> lines = run("gang-rack.yaml");
    assertThat(lines).hasSize(13);
    assertThat(lines.subList(0, 4)).containsExactly(
        "{\"task\":\"j0\",\"status\":\"waiting\",\"gang\":\"job\"}",
        "{\"task\":\"j1\",\"status\":\"waiting\",\"gang\":\"job\"}",
        "{\"task\":\"j0\",\"status\":\"waiting\",\"gang\":\"job\"}",
        "{\"task\":\"j1\",\"status\":\"waiting\",\"gang\":\"job\"}");
    // r1 has two nodes: the gang goes to r2, one member per node (which node is the policy's tie).
    Pattern placed = Pattern.compile("\\{\"task\":\"(j[0-2])\",\"status\":\"placed\",\"node\":\"(b-[0-2])\",\"devices\":\\[.*]}");
    var nodes = new HashSet<String>();
    String j0Node = null;
    for (int i = 4; i < 7; i++) {
      Matcher mt = placed.matcher(lines.get(i));
      assertThat(mt.matches()).as(lines.get(i)).isTrue();
      assertThat(mt.group(1)).isEqualTo("j" + (i - 4));
      nodes.add(mt.group(2));
      j0Node = i == 4 ? mt.group(2) : j0Node;
    }
    assertThat(nodes).containsExactlyInAnyOrder("b-0", "b-1", "b-2");
    // big fits no rack: r2 is full (tried first, tightest), r1 holds two of three: nothing placed.
    // The last attempt (r1) blocks on the third member: 2 nodes full, 3 outside the rack.
    assertThat(lines.subList(7, 12)).containsExactly(
        "{\"task\":\"k0\",\"status\":\"waiting\",\"gang\":\"big\"}",
        "{\"task\":\"k1\",\"status\":\"waiting\",\"gang\":\"big\"}",
        pending("k0", "\"insufficient-gpu\":2,\"topology\":3"),
        pending("k1", "\"insufficient-gpu\":2,\"topology\":3"),
        pending("k2", "\"insufficient-gpu\":2,\"topology\":3"));
    // Releasing j0 frees one r2 node: still no rack for three, so big stays queued silently.
    assertThat(lines.get(12)).isEqualTo(released("j0", j0Node));
  }
}
