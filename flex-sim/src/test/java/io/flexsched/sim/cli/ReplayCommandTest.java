package io.flexsched.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void replaysTheBuiltInWorkloadAndWritesTheCsv() throws IOException {
    Path csv = dir.resolve("out.csv");
    Path html = dir.resolve("report.html");
    CliRun r = run("replay", "--policy", "fgd,random", "--seeds", "42-43", "--quiet", "--csv", csv.toString(),
        "--report", html.toString(), "--png", dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("wrote " + html).contains("wrote " + dir.resolve("allocation.png"));
    assertThat(Files.readString(html)).contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"allocation-chart\"")
        .contains("data-policy=\"fgd\"").contains("data-policy=\"random\"").contains("id=\"utilisation-chart-g2\"");
    assertThat(javax.imageio.ImageIO.read(dir.resolve("allocation.png").toFile())).isNotNull();
    assertThat(r.out()).contains("Replay of built-in: 1213 nodes, 6212 GPUs, 8152 tasks; 2 policies x 2 seeds");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("policy,trace,bucket,mean,sd,seeds");
    assertThat(lines).hasSize(1 + 2 * 131);
    assertThat(lines.get(1)).startsWith("fgd,built-in,0,");
    assertThat(lines.get(131)).startsWith("fgd,built-in,130,").endsWith(",2");
    assertThat(lines.get(132)).startsWith("random,built-in,0,");
    double fgd = Double.parseDouble(lines.get(101).split(",")[3]);
    double random = Double.parseDouble(lines.get(132 + 100).split(",")[3]);
    assertThat(lines.get(101)).startsWith("fgd,built-in,100,");
    // FGD packs better than Random on this workload by several points (paper: 95.2 vs 86.3).
    assertThat(fgd).isGreaterThan(random + 4);
    String fgdRow = r.out().lines().filter(l -> l.startsWith("fgd ")).findFirst().orElseThrow();
    assertThat(fgdRow).contains(String.format(java.util.Locale.ROOT, "%.2f ±", fgd));
  }

  @Test
  void badInputExitsTwoWithOneLine() {
    for (String[] args : List.of(
        new String[] {"replay", "--policy", "nope"},
        new String[] {"replay", "--seeds", "x-3"},
        new String[] {"replay", "--seeds", "9-3"},
        new String[] {"replay", "--seeds", "1-20000"},
        new String[] {"replay", "--seeds", "1,,2"},
        new String[] {"replay", "--threads", "0"},
        new String[] {"replay", "--threads", "-2"},
        new String[] {"replay", "--threads", "many"},
        new String[] {"replay", "--threads", "1.5"},
        new String[] {"replay", "--migrations", "-1"},
        new String[] {"replay", "--migrations", "two"},
        new String[] {"replay", "--remote-share", "1.5"},
        new String[] {"replay", "--remote-share", "-0.1"},
        new String[] {"replay", "--remote-share", "some"},
        new String[] {"replay", "--nodes", "a.csv"},
        new String[] {"replay", "--nodes", "missing.csv", "--pods", "missing.csv"},
        new String[] {"replay", "--frobnicate"},
        new String[] {"replay", "--report", dir.resolve("missing").resolve("out.html").toString()},
        new String[] {"replay", "--report", dir.toString()},
        new String[] {"replay", "--png", dir.resolve("missing").toString()})) {
      CliRun r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(FlexCommand.BAD_INPUT);
      assertThat(r.out()).as(String.join(" ", args)).isEmpty();
      assertThat(r.err().lines().count()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.err()).startsWith("flex: ").doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void aBadTraceRowNamesTheFileLineAndColumn() throws IOException {
    Path nodes = Files.write(dir.resolve("nodes.csv"), List.of("sn,cpu_milli,memory_mib,gpu,model", "n0,64000,262144,2,T4"));
    Path pods = Files.write(dir.resolve("pods.csv"), List.of("name,cpu_milli,memory_mib,num_gpu,gpu_milli", "p0,1000,1024,3,1000"));
    CliRun r = run("replay", "--nodes", nodes.toString(), "--pods", pods.toString(), "--quiet");
    assertThat(r.code()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).isEqualTo("flex: pods.csv:2: column num_gpu must be one of 0, 1, 2, 4, 8, was 3");
  }

  @Test
  void withMigrationsItReportsAllocationAndMovesPerSeed() throws IOException {
    // Half-GPU tasks and whole-GPU ones on two-GPU nodes: halves scatter, wholes then need moves.
    Path nodes = Files.write(dir.resolve("nodes.csv"), List.of("sn,cpu_milli,memory_mib,gpu,model",
        "n0,64000,262144,2,T4", "n1,64000,262144,2,T4", "n2,64000,262144,2,T4", "n3,64000,262144,2,T4"));
    var pods = new java.util.ArrayList<String>(List.of("name,cpu_milli,memory_mib,num_gpu,gpu_milli"));
    for (int i = 0; i < 6; i++) {
      pods.add("h" + i + ",1000,1024,1,500");
      pods.add("w" + i + ",1000,1024,1,1000");
    }
    Path podFile = Files.write(dir.resolve("pods.csv"), pods);
    CliRun r = run("replay", "--nodes", nodes.toString(), "--pods", podFile.toString(), "--policy", "fgd",
        "--seeds", "1-3", "--migrations", "2", "--quiet", "--threads", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Defragmentation: up to 2 migrations per failed placement");
    List<String> rows = r.out().lines().filter(l -> l.matches("fgd\\s+\\d+\\s+.*")).toList();
    assertThat(rows).hasSize(3);
    for (String row : rows) {
      String[] cols = row.trim().split("\\s+");
      assertThat(Double.parseDouble(cols[2])).isBetween(0.0, 100.0);
      assertThat(Long.parseLong(cols[3])).isNotNegative();
    }
    assertThat(r.out().lines().filter(l -> l.matches("fgd\\s+mean\\s+.*"))).hasSize(1);
  }

  @Test
  void withBoundATableRowAndADashedLineSitAtOrAboveEveryPolicy() throws IOException {
    var nodeRows = new java.util.ArrayList<String>(List.of("sn,cpu_milli,memory_mib,gpu,model"));
    for (int i = 0; i < 10; i++) {
      nodeRows.add("n" + i + ",64000,262144,2,T4");
    }
    Path nodes = Files.write(dir.resolve("nodes.csv"), nodeRows);
    // Shares of 600 milli never pair on a device: the bound stays below 100% at 130% of arrivals.
    var pods = new java.util.ArrayList<String>(List.of("name,cpu_milli,memory_mib,num_gpu,gpu_milli"));
    for (int i = 0; i < 30; i++) {
      pods.add("s" + i + ",1000,1024,1,600");
    }
    for (int i = 0; i < 6; i++) {
      pods.add("t" + i + ",1000,1024,1,200");
    }
    Path podFile = Files.write(dir.resolve("pods.csv"), pods);
    Path html = dir.resolve("bound.html");
    CliRun r = run("replay", "--nodes", nodes.toString(), "--pods", podFile.toString(), "--policy", "fgd,random",
        "--seeds", "1-3", "--bound", "--quiet", "--threads", "1", "--report", html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String[]> rows = r.out().lines().filter(l -> l.matches("(fgd|random|bound)\\s.*"))
        .map(l -> l.replace("±", " ").trim().split("\\s+")).toList();
    assertThat(rows).extracting(c -> c[0]).containsExactly("fgd", "random", "bound");
    String[] bound = rows.get(2);
    for (String[] policy : rows.subList(0, 2)) {
      for (int col = 0; col < 6; col++) {
        // Policy rows are mean then sd per column; the bound row one mean per column.
        assertThat(Double.parseDouble(bound[1 + col])).as(policy[0] + " column " + col)
            .isGreaterThanOrEqualTo(Double.parseDouble(policy[1 + 2 * col]) - 0.005);
      }
    }
    assertThat(Double.parseDouble(bound[6])).isLessThan(100);
    assertThat(Files.readString(html)).contains("data-policy=\"upper bound\"").contains("stroke-dasharray");
  }
}
