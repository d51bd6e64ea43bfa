package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.sim.cli.FlexCommand;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Lines form of a scenario: every test scenario that JSON can write the same way runs to
 * the same output, or fails with the same error on the same event, as its YAML form.
 */
class JsonLinesScenarioTest {
  @TempDir Path dir;

  private static List<Path> testScenarios() throws IOException, URISyntaxException {
    Path root = Path.of(JsonLinesScenarioTest.class.getResource("/scenarios").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** The message without the file and line it names, and the line (0 when none). */
  private record Located(String message, int line) {
    static Located of(String err, Path file) {
      String first = err.lines().findFirst().orElse("");
      String prefix = "flex: " + file + ":";
      if (!first.startsWith(prefix)) {
        return new Located(first, 0);
      }
      String rest = first.substring(prefix.length());
      int colon = rest.indexOf(':');
      return new Located(rest.substring(colon + 2), Integer.parseInt(rest.substring(0, colon)));
    }
  }

  @Test
  void everyScenarioJsonCanWriteRunsTheSameAsItsYaml() throws Exception {
    int compared = 0;
    int failing = 0;
    for (Path yaml : testScenarios()) {
      String text = Files.readString(yaml, StandardCharsets.UTF_8);
      Optional<String> lines = JsonLinesOf.convert(text);
      if (lines.isEmpty()) {
        continue;
      }
      Path jsonl = Files.writeString(dir.resolve(yaml.getFileName() + ".jsonl"), lines.get());
      PlanRun a = PlanRun.of(yaml);
      PlanRun b = PlanRun.of(jsonl);
      assertThat(b.exit()).as("exit of %s", yaml).isEqualTo(a.exit());
      assertThat(b.out()).as("stdout of %s", yaml).isEqualTo(a.out());
      Located ya = Located.of(a.err(), yaml);
      Located js = Located.of(b.err(), jsonl);
      assertThat(js.message()).as("stderr of %s", yaml).isEqualTo(ya.message());
      if (ya.line() > 0) {
        // The line named holds the same event (or, for the settings and nodes, is the header line).
        assertThat(js.line()).as("line of %s", yaml).isEqualTo(eventLine(text, lines.get(), ya.line()));
      }
      compared++;
      failing += a.exit() == 0 ? 0 : 1;
    }
    // Most test scenarios, good and bad, are plain enough for JSON; a broken converter would skip them all.
    assertThat(compared).isGreaterThan(50);
    assertThat(failing).isGreaterThan(20);
  }

  /**
   * The JSON Lines line of what the YAML has on {@code yamlLine}: the n-th event's line when that
   * line is inside the n-th event, else 1 (the header).
   */
  private static int eventLine(String yaml, String jsonl, int yamlLine) {
    List<String> yamlLines = yaml.lines().toList();
    int eventsAt = -1;
    var starts = new ArrayList<Integer>();
    for (int i = 0; i < yamlLines.size(); i++) {
      String l = yamlLines.get(i);
      if (l.startsWith("events:")) {
        eventsAt = i + 1;
      } else if (eventsAt > 0 && l.startsWith("  - ")) {
        starts.add(i + 1);
      } else if (eventsAt > 0 && !l.startsWith(" ") && !l.isBlank() && !l.startsWith("#")) {
        eventsAt = -1;
      }
    }
    int event = -1;
    for (int i = 0; i < starts.size(); i++) {
      if (starts.get(i) <= yamlLine) {
        event = i;
      }
    }
    return event < 0 || yamlLine < starts.get(0) ? 1 : 2 + event;
  }

  private PlanRun plan(String name, String text) throws IOException {
    return PlanRun.of(Files.writeString(dir.resolve(name), text));
  }

  @Test
  void aLineThatIsNoJsonIsNamed() throws IOException {
    PlanRun r = plan("s.jsonl", """
        {"nodes": [{"name": "n1", "cpuMilli": 1000, "memoryMiB": 1024}]}
        {"task": {"id": "a", "cpuMilli": 100}}
        {"task": {id: "b"}}
        """);
    assertThat(r.exit()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).isEqualTo("flex: " + dir.resolve("s.jsonl")
        + ":3: not valid JSON: expected a key in double quotes, found 'i' (column 11)");
  }

  @Test
  void eventsBelongOnTheirOwnLinesNotInTheHeader() throws IOException {
    PlanRun r = plan("s.jsonl", "{\"nodes\": [], \"events\": []}\n");
    assertThat(r.exit()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(r.err()).contains("s.jsonl:1: unknown key 'events' in the scenario");
  }

  @Test
  void blankLinesAreSkippedAndLinesKeepTheirNumbers() throws IOException {
    PlanRun r = plan("s.jsonl", "{\"nodes\": [{\"name\": \"n1\", \"cpuMilli\": 1000, \"memoryMiB\": 1024}]}\r\n\r\n"
        + "{\"task\": {\"id\": \"a\", \"cpuMilli\": 100}}\r\n\n{\"release\": \"b\"}\n");
    assertThat(r.err()).contains("s.jsonl:5: release must name a task submitted above and not yet released, was 'b'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aLineLongerThanTheLimitNamesTheFlag() throws IOException {
    String task = "{\"task\": {\"id\": \"" + "a".repeat(200) + "\"}}\n";
    Path file = Files.writeString(dir.resolve("s.jsonl"), "{}\n" + task);
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    int code = FlexCommand.execute(new String[] {"plan", "--max-part-chars", "100", file.toString()},
        new java.io.PrintWriter(out), new java.io.PrintWriter(err));
    assertThat(code).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(err.toString()).contains("s.jsonl:2: line 2 is longer than 100 characters").contains("--max-part-chars");
    assertThat(PlanRun.of(file).exit()).as("under the default limit").isEqualTo(FlexCommand.OK);
  }

  @Test
  void numbersKeepTheirYamlTypes() {
    var e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> ScenarioReader.read("s.jsonl",
        "{}\n{\"task\": {\"id\": \"t\", \"gpus\": 1, \"gpuMilli\": 1.5e2}}\n"), ScenarioException.class);
    assertThat(e).hasMessage("s.jsonl:2: task.gpuMilli must be a whole number, was 1.5e2");
    var quoted = org.assertj.core.api.Assertions.catchThrowableOfType(() -> ScenarioReader.read("s.jsonl",
        "{\"seed\": \"7\"}\n"), ScenarioException.class);
    assertThat(quoted).hasMessage("s.jsonl:1: seed must be a whole number, was '7'");
  }
}
