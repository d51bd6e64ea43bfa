package io.flexsched.sim.fuzz;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.sim.plan.ScenarioException;
import io.flexsched.sim.plan.ScenarioReader;
import io.flexsched.sim.trace.TraceFormatException;
import io.flexsched.sim.trace.TraceNodes;
import io.flexsched.sim.trace.TracePods;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per parser bug {@link ParserFuzzTest} found; each failed before its fix. */
class FuzzFindingsTest {
  @TempDir Path dir;

  private Path write(String name, byte[]... parts) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Was an UncheckedIOException (MalformedInputException) without a line. */
  @Test
  void aPodListThatIsNotUtf8IsATypedErrorOnItsLine() throws IOException {
    Path f = write("pods.csv", text("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1000,2048,0,0\np"), new byte[] {(byte) 0xE9},
        text(",500,1024,1,250\n"));
    assertThatThrownBy(() -> TracePods.load(f)).isInstanceOf(TraceFormatException.class)
        .hasMessage("pods.csv:3: column name must be UTF-8 text, was bytes E9");
  }

  /** The same bug in the node list, here inside the header. */
  @Test
  void aNodeListThatIsNotUtf8IsATypedErrorOnItsLine() throws IOException {
    Path f = write("nodes.csv", text("sn,cpu_milli,memory_mib,gpu,mod"), new byte[] {(byte) 0xC3, '('}, text("l\nn1,1000,1024,0,\n"));
    assertThatThrownBy(() -> TraceNodes.load(f)).isInstanceOf(TraceFormatException.class)
        .hasMessage("nodes.csv:1: column header must be UTF-8 text, was bytes C3");
  }

  /** Was "file: the scenario file is not UTF-8 text", without a line. */
  @Test
  void aScenarioThatIsNotUtf8NamesTheLine() throws IOException {
    Path f = write("s.yaml", text("nodes:\n  - {name: n1, cpuMilli: 1000, memoryMiB: 1024}\n  - {name: n"), new byte[] {(byte) 0xFF},
        text("2}\n"));
    assertThatThrownBy(() -> ScenarioReader.read(f)).isInstanceOf(ScenarioException.class)
        .hasMessage(f + ":3: the scenario file is not UTF-8 text (bytes FF after '- {name: n')");
  }

  /** Was "file: not valid YAML: special characters are not allowed", without a line. */
  @Test
  void aControlCharacterInAScenarioNamesTheLine() {
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", "nodes:\n  - {name: n1, cpuMilli: 10\u001000, memoryMiB: 1}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("s.yaml:2: not valid YAML: character U+0010 is not allowed in YAML text");
  }

  /** Was "file: not valid YAML: Nesting Depth exceeded max 50", without a line. */
  @Test
  void nestingTooDeepNamesTheLineWhereItWentTooDeep() {
    String text = "nodes:\n  - {name: n1, cpuMilli: 1000, memoryMiB: 1}\nevents:\n  - task: " + "[".repeat(60) + "\n";
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", text)).isInstanceOf(ScenarioException.class)
        .hasMessage("s.yaml:4: not valid YAML: Nesting Depth exceeded max 50");
  }

  /** Pods whose name or model list can never make a task were accepted, to fail later without a line. */
  @Test
  void aPodThatCanBeNoTaskIsRejectedOnItsLine() throws IOException {
    Path name = write("pods.csv", text("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1,1,0,0\np 1,1,1,0,0\n"));
    assertThatThrownBy(() -> TracePods.load(name)).isInstanceOf(TraceFormatException.class)
        .hasMessage("pods.csv:3: column name must be a name of letters, digits and ._:/+-, was 'p 1'");
    Path spec = write("spec.csv", text("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\np0,1,1,1,1000,T4|\"G2\"\n"));
    assertThatThrownBy(() -> TracePods.load(spec)).isInstanceOf(TraceFormatException.class)
        .hasMessage("spec.csv:2: column gpu_spec must name models with letters, digits and ._:/+-, was '\"G2\"'");
  }

  /**
   * Was a hang: the message of an error about a value holding a long run of spaces was flattened
   * to one line by a regex that backtracks quadratically (seed 15,912 took minutes).
   */
  @Test
  @org.junit.jupiter.api.Timeout(10)
  void aValueWithALongRunOfSpacesIsRejectedPromptly() {
    String value = "0" + " ".repeat(100_000) + "0";
    assertThatThrownBy(() -> ScenarioReader.read("s.yaml", "events:\n  - task: {id: a, cpuMilli: " + value + "}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("s.yaml:2: task.cpuMilli must be a whole number, was '0 ");
  }
}
