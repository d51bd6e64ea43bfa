package io.flexsched.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharingCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void printsOffOnAndGainRowsAndTheirCsvAgrees() throws IOException {
    // Two one-GPU nodes, quarter-GPU tasks: with sharing all eight fit, without it two do.
    Path nodes = Files.write(dir.resolve("nodes.csv"), List.of("sn,cpu_milli,memory_mib,gpu,model",
        "n0,64000,262144,1,T4", "n1,64000,262144,1,T4"));
    var pods = new java.util.ArrayList<String>(List.of("name,cpu_milli,memory_mib,num_gpu,gpu_milli"));
    for (int i = 0; i < 8; i++) {
      pods.add("q" + i + ",1000,1024,1,250");
    }
    Path podFile = Files.write(dir.resolve("pods.csv"), pods);
    Path csv = dir.resolve("gain.csv");
    CliRun r = run("sharing", "--nodes", nodes.toString(), "--pods", podFile.toString(), "--policy", "bestfit",
        "--seeds", "1-2", "--quiet", "--csv", csv.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Sharing gain on pods: 2 nodes, 2 GPUs, 8 tasks; 1 policies x 2 seeds x sharing off/on");
    assertThat(row(r.out(), "off")).containsExactly("bestfit", "off", "2.0", "/", "8", "100.00", "25.00");
    assertThat(row(r.out(), "on")).containsExactly("bestfit", "on", "8.0", "/", "8", "100.00", "100.00");
    assertThat(row(r.out(), "gain")).containsExactly("bestfit", "gain", "+300.0%", "+0.0%", "+300.0%");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("policy,trace,seed,sharing,arrived,placed,allocated,compute");
    assertThat(lines.subList(1, lines.size())).containsExactlyInAnyOrder(
        "bestfit,pods,1,off,8,2,100.0000,25.0000", "bestfit,pods,2,off,8,2,100.0000,25.0000",
        "bestfit,pods,1,on,8,8,100.0000,100.0000", "bestfit,pods,2,on,8,8,100.0000,100.0000");
  }

  @Test
  void theBuiltInWorkloadRunsWithoutADownload() {
    CliRun r = run("sharing", "--policy", "fgd", "--seeds", "42", "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    double offCompute = Double.parseDouble(row(r.out(), "off").get(6));
    double onCompute = Double.parseDouble(row(r.out(), "on").get(6));
    assertThat(onCompute).isGreaterThan(offCompute);
    // The printed figures are rounded to 0.01 points, the gain to 0.1%.
    double gain = Double.parseDouble(row(r.out(), "gain").get(4).replace("%", ""));
    assertThat(gain).isCloseTo(100 * (onCompute / offCompute - 1), within(0.1));
  }

  @Test
  void badInputExitsTwoWithOneLine() {
    for (String[] args : List.of(
        new String[] {"sharing", "--policy", "nope"},
        new String[] {"sharing", "--seeds", "x"},
        new String[] {"sharing", "--threads", "0"},
        new String[] {"sharing", "--nodes", "a.csv"},
        new String[] {"sharing", "--nodes", "missing.csv", "--pods", "missing.csv"})) {
      CliRun r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(FlexCommand.BAD_INPUT);
      assertThat(r.out()).as(String.join(" ", args)).isEmpty();
      assertThat(r.err().lines().count()).as(String.join(" ", args)).isEqualTo(1);
    }
  }

  private static List<String> row(String out, String sharing) {
    String line = out.lines().filter(l -> l.matches("\\S+\\s+" + sharing + "\\s+[-+0-9].*")).findFirst().orElseThrow();
    return List.of(line.trim().split("\\s+"));
  }
}
