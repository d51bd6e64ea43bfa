package io.flexsched.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.sim.TraceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceLoaderTest {
  private static final String POD_HEADER =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time";
  private static final String GOOD_POD = "p0,4000,8192,1,500,,LS,Running,0,10,0";

  @TempDir Path dir;

  private Path write(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  @Test
  void readsEveryColumnOfAPodRow() throws IOException {
    Path f = write("pods.csv", POD_HEADER, GOOD_POD, "p1,8000,16384,2,1000,V100M16|V100M32,BE,Failed,5,,7");
    List<TracePod> pods = TracePods.load(f);
    assertThat(pods).containsExactly(
        new TracePod("p0", 4000, 8192, 1, 500, Set.of(), "LS", "Running", 0, 10, 0),
        new TracePod("p1", 8000, 16384, 2, 1000, Set.of("V100M16", "V100M32"), "BE", "Failed", 5, -1, 7));
    assertThat(pods.get(1).toTask().accelerators().models()).containsExactlyInAnyOrder("V100M16", "V100M32");
  }

  @Test
  void readsTheFiveColumnMultigpuFormat() throws IOException {
    Path f = write("multi.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli", "p0,1000,2048,8,1000", "p1,1000,2048,0,0");
    List<TracePod> pods = TracePods.load(f);
    assertThat(pods).extracting(TracePod::gpus).containsExactly(8, 0);
    assertThat(pods.get(0).qos()).isEmpty();
    assertThat(pods.get(0).creationTime()).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " | ", quoteCharacter = '"', value = {
    "missing column | p0,4000,8192,1 | pods.csv:2: column gpu_milli must be present (11 columns expected, found 4), was missing",
    "non-numeric    | p0,4k,8192,1,500,,LS,Running,0,10,0 | pods.csv:2: column cpu_milli must be a whole number, was '4k'",
    "negative       | p0,4000,-1,1,500,,LS,Running,0,10,0 | pods.csv:2: column memory_mib must be at least 0, was -1",
    "three GPUs     | p0,4000,8192,3,1000,,LS,Running,0,10,0 | pods.csv:2: column num_gpu must be one of 0, 1, 2, 4, 8, was 3",
    "1200 milli     | p0,4000,8192,1,1200,,LS,Running,0,10,0 | pods.csv:2: column gpu_milli must be in 0..1000, was 1200",
    "share of two   | p0,4000,8192,2,500,,LS,Running,0,10,0 | pods.csv:2: column gpu_milli must be 1000 when num_gpu is 2 (shares need one GPU), was 500",
    "milli w/o GPU  | p0,4000,8192,0,500,,LS,Running,0,10,0 | pods.csv:2: column gpu_milli must be 0 when num_gpu is 0, was 500",
    "empty spec     | p0,4000,8192,1,500,T4||G2,LS,Running,0,10,0 | pods.csv:2: column gpu_spec must be model names separated by |, was 'T4||G2'",
    "bad time       | p0,4000,8192,1,500,,LS,Running,x,10,0 | pods.csv:2: column creation_time must be a whole number, was 'x'",
    "extra column   | p0,4000,8192,1,500,,LS,Running,0,10,0,9 | pods.csv:2: column #12 must not exist (11 columns expected, found 12), was '9'",
  })
  void rejectsABadPodRowNamingFileLineAndColumn(String caseName, String row, String message) throws IOException {
    Path f = write("pods.csv", POD_HEADER, row);
    assertThatThrownBy(() -> TracePods.load(f)).isInstanceOf(TraceFormatException.class).hasMessage(message.trim())
        .satisfies(e -> {
          assertThat(((TraceFormatException) e).file()).isEqualTo("pods.csv");
          assertThat(((TraceFormatException) e).line()).isEqualTo(2);
        });
  }

  @Test
  void reportsTheLineOfALaterBadRowAndARepeatedPod() throws IOException {
    Path f = write("pods.csv", POD_HEADER, GOOD_POD, GOOD_POD);
    assertThatThrownBy(() -> TracePods.load(f)).hasMessage("pods.csv:3: column name must not repeat a pod, was 'p0'");
  }

  @Test
  void rejectsAWrongHeader() throws IOException {
    Path f = write("pods.csv", "name,cpu,memory_mib,num_gpu,gpu_milli", GOOD_POD);
    assertThatThrownBy(() -> TracePods.load(f)).isInstanceOf(TraceFormatException.class)
        .hasMessageStartingWith("pods.csv:1: column header must start with name,cpu_milli,memory_mib,num_gpu,gpu_milli");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unknown model | n0,64000,262144,2,X100 | nodes.csv:2: column model must be a known model",
    "no model      | n0,64000,262144,2, | nodes.csv:2: column model must name the GPU model of a node with GPUs, was ''",
    "negative cpu  | n0,-5,262144,2,T4 | nodes.csv:2: column cpu_milli must be at least 0, was -5",
    "too many GPUs | n0,64000,262144,65,T4 | nodes.csv:2: column gpu must be in 0..64, was 65",
  })
  void rejectsABadNodeRow(String caseName, String row, String messageStart) throws IOException {
    Path f = write("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model", row);
    assertThatThrownBy(() -> TraceNodes.load(f)).isInstanceOf(TraceFormatException.class).hasMessageStartingWith(messageStart.trim());
  }

  @Test
  void readsTheWholeTraceAsTheReferenceDescribesIt() {
    var gpuNodes = TraceNodes.load(TraceFiles.file("openb_node_list_gpu_node.csv"));
    assertThat(gpuNodes).hasSize(1213);
    assertThat(gpuNodes.stream().mapToInt(n -> n.devices().size()).sum()).isEqualTo(6212);
    var allNodes = TraceNodes.load(TraceFiles.file("openb_node_list_all_node.csv"));
    assertThat(allNodes).hasSize(1523);
    assertThat(allNodes.stream().filter(n -> n.devices().isEmpty()).count()).isEqualTo(310);
    assertThat(TracePods.load(TraceFiles.file("openb_pod_list_default.csv"))).hasSize(8152);
    assertThat(TracePods.load(TraceFiles.file("openb_pod_list_multigpu50.csv"))).hasSize(9061);
  }

  @ParameterizedTest
  @CsvSource({
    "cpu0,7064", "cpu037,7336", "cpu050,7439", "cpu072,7608", "cpu100,7853", "cpu200,8832", "cpu235,9240",
    "cpu250,9420", "cpu300,10094", "default,8152", "gpushare100,8152", "gpushare20,8152", "gpushare40,8152",
    "gpushare60,8152", "gpushare80,8152", "gpuspec05,8152", "gpuspec10,8152", "gpuspec20,8152", "gpuspec25,8152",
    "gpuspec33,8152", "multigpu20,8324", "multigpu30,8508", "multigpu40,8746", "multigpu50,9061"})
  void readsEveryPodListVariant(String variant, int rows) {
    assertThat(TracePods.load(TraceFiles.file("openb_pod_list_" + variant + ".csv"))).hasSize(rows);
  }
}
