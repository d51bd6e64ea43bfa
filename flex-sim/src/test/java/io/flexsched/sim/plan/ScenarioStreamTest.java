package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.sim.cli.FlexCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a scenario in parts: limits per part, errors in the order of a whole-file read, bounded state. */
class ScenarioStreamTest {
  @TempDir Path dir;

  private static final String CLUSTER = "nodes:\n  - {name: n1, cpuMilli: 100000, memoryMiB: 100000, devices: {model: T4, count: 2}}\n";

  private static ScenarioLimits limits(int chars, int depth, int aliases) {
    return new ScenarioLimits(chars, depth, aliases);
  }

  @Test
  void theDefaultWorkloadFromCountsIsTheOneFromTheListOfTasks() {
    var random = new SplittableRandom(7);
    var text = new StringBuilder(CLUSTER + "events:\n");
    for (int i = 0; i < 600; i++) {
      int gpus = random.nextInt(3);
      String share = gpus == 1 && random.nextBoolean() ? ", gpuMilli: " + (100 * (1 + random.nextInt(9))) : "";
      String models = gpus > 0 && random.nextInt(5) == 0 ? ", models: [T4" + (random.nextBoolean() ? ", A10]" : "]") : "";
      text.append("  - task: {id: t").append(i).append(", cpuMilli: ").append(1000 * random.nextInt(4))
          .append(", gpus: ").append(gpus).append(share).append(models).append("}\n");
    }
    Scenario s = ScenarioReader.read("s.yaml", text.toString());
    var tasks = new ArrayList<Task>();
    s.events().forEach(e -> tasks.add(((ScenarioEvent.Submit) e).task()));
    WorkloadDistribution expected = WorkloadDistribution.typical(tasks, 1.0);
    assertThat(expected.size()).as("shapes, with ties in count").isGreaterThan(10);
    assertThat(s.workload().shapes()).containsExactlyElementsOf(expected.shapes());
  }

  @Test
  void theSizeLimitHoldsPerPartNotForTheWholeFile() {
    var text = new StringBuilder(CLUSTER + "events:\n");
    for (int i = 0; i < 50; i++) {
      text.append("  - task: {id: t").append(i).append(", cpuMilli: 1}\n");
    }
    assertThat(text.length()).isGreaterThan(1000);
    ScenarioStream ok = ScenarioStream.open("s.yaml", text.toString(), limits(200, 50, 50));
    var count = new int[1];
    ok.events(e -> count[0]++);
    assertThat(count[0]).isEqualTo(50);
    text.append("  - task: {id: long, cpuMilli: 1").append(" ".repeat(2000)).append("}\n");
    assertThatThrownBy(() -> ScenarioStream.open("s.yaml", text.toString(), limits(200, 50, 50)))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("s.yaml:54: the event starting on line 54 is longer than 200 characters")
        .hasMessageContaining("--max-part-chars");
  }

  @Test
  void anchorsOfTheSettingsReachEveryEventButThoseOfAnEventStayInIt() {
    String header = CLUSTER.replace("devices:", "labels: &zone {zone: z1}, devices:") + "events:\n";
    String reuse = header + "  - addNode: {name: n2, cpuMilli: 1, memoryMiB: 1, labels: *zone}\n";
    var added = (ScenarioEvent.AddNode) ScenarioReader.read("s.yaml", reuse).events().get(0);
    assertThat(added.nodes().get(0).labels()).containsEntry("zone", "z1");
    String across = header + "  - task: {id: e, models: &l [T4], cpuMilli: 1}\n  - task: {id: f, models: *l}\n";
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", across)).isInstanceOf(ScenarioException.class)
        .hasMessage("s.yaml:5: not valid YAML at 'task': found undefined alias l");
  }

  private static String linkedNode(String name) {
    return "  - addNode: {name: " + name + ", cpuMilli: 1, memoryMiB: 1, devices: {model: T4, count: 3}, "
        + "links: [&r [100, 100, 100], *r, *r]}\n";
  }

  @Test
  void aliasesOfListsAreLimitedPerPart() {
    String text = CLUSTER + "events:\n" + linkedNode("n2") + linkedNode("n3");
    assertThat(ScenarioStream.open("s.yaml", text, limits(1 << 20, 50, 2)).header().nodes()).hasSize(1);
    assertThatThrownBy(() -> ScenarioStream.open("s.yaml", text, limits(1 << 20, 50, 1)))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("s.yaml:4: not valid YAML: the event starting on line 4 has more than 1 aliases of lists or "
            + "mappings (--max-aliases raises the limit)");
  }

  @Test
  void nestingIsLimitedAndTheLimitCanBeRaised() {
    String deep = CLUSTER + "events:\n  - task: {id: a, models: " + "[".repeat(60) + "T4" + "]".repeat(60) + "}\n";
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", deep)).hasMessage("s.yaml:4: not valid YAML: Nesting Depth exceeded max 50");
    assertThatThrownBy(() -> ScenarioStream.open("s.yaml", deep, limits(1 << 20, 100, 50)))
        .as("past the reader, the value is judged").hasMessageContaining("task.models must be a name");
  }

  @Test
  void aSyntaxErrorAnywhereBeatsAnEarlierBadValue() {
    String text = CLUSTER + "events:\n  - release: nobody\n  - task: {id: a\n";
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", text)).hasMessageContaining("s.yaml:").hasMessageContaining("not valid YAML");
    String later = CLUSTER + "events:\n  - release: nobody\npolicy: fastest\n";
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", later)).as("settings are judged before events, wherever written")
        .hasMessageStartingWith("s.yaml:5: policy must be one of");
    String nodesLast = "events:\n  - removeNode: n1\n" + CLUSTER;
    assertThat(ScenarioReader.read("s.yaml", nodesLast).events()).hasSize(1);
  }

  @Test
  void everyNodeMustBeAMappingBeforeAnyNodesValuesAreJudged() {
    String text = "nodes:\n  - {name: n1, cpuMilli: -1, memoryMiB: 1}\n  - just a name\n";
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", text)).hasMessage("s.yaml:3: node must be a mapping, was 'just a name'");
  }

  private PlanRun plan(String text) throws IOException {
    return PlanRun.of(Files.writeString(dir.resolve("s.yaml"), text));
  }

  @Test
  void anIdSubmittedAgainAfterItsTaskWasEvictedRuns() throws IOException {
    PlanRun r = plan(CLUSTER + "  - {name: n2, cpuMilli: 1, memoryMiB: 1}\nevents:\n  - task: {id: a, gpus: 1}\n"
        + "  - removeNode: n1\n  - task: {id: a, cpuMilli: 1}\n");
    assertThat(r.err()).isEmpty();
    assertThat(r.lines()).hasSize(3);
    assertThat(r.lines().get(1)).contains("\"status\":\"evicted\"");
  }

  @Test
  void badInputFoundOnlyByRunningStillPrintsNothing() throws IOException {
    PlanRun r = plan(CLUSTER + "events:\n  - task: {id: a, gpus: 1}\n  - task: {id: b, gpus: 1}\n"
        + "  - removeNode: n1\n  - task: {id: c}\n  - task: {id: c}\n");
    assertThat(r.exit()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("s.yaml:8: task.id must not repeat a task that is still placed or queued, was 'c'");
  }

  @Test
  void badLimitsAreOneLineErrors() throws IOException {
    Path file = Files.writeString(dir.resolve("s.yaml"), CLUSTER);
    for (String[] args : new String[][] {
        {"--max-part-chars", "0"}, {"--max-nesting-depth", "0"}, {"--max-nesting-depth", "1001"},
        {"--max-aliases", "-1"}, {"--max-aliases", "10001"}, {"--max-part-chars", "x"}}) {
      var out = new StringWriter();
      var err = new StringWriter();
      String[] all = {"plan", args[0], args[1], file.toString()};
      int code = FlexCommand.execute(all, new PrintWriter(out), new PrintWriter(err));
      assertThat(code).as(String.join(" ", args)).isEqualTo(FlexCommand.BAD_INPUT);
      assertThat(out.toString()).isEmpty();
      assertThat(err.toString().lines()).as(String.join(" ", args)).hasSize(1).allMatch(l -> l.startsWith("flex: ") && l.contains(args[0]));
    }
  }
}
