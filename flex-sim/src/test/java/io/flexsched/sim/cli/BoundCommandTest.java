package io.flexsched.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void boundsTheBuiltInWorkloadAndWritesTheCsv() throws IOException {
    Path csv = dir.resolve("bound.csv");
    CliRun r = run("bound", "--seeds", "42-43", "--arrivals", "50,100", "--quiet", "--csv", csv.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("Allocation bound of built-in: 1213 nodes, 6212 GPUs, 8152 tasks; 2 seeds; LP (GLOP)")
        .contains("wrote " + csv);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("trace,bucket,seed,bound,arrived,status");
    assertThat(lines).hasSize(1 + 2 * 3);
    assertThat(lines.get(1)).startsWith("built-in,50,42,");
    assertThat(lines.get(3)).startsWith("built-in,50,mean,").endsWith(",mean");
    assertThat(lines.get(6)).startsWith("built-in,100,mean,");
    // At half the capacity everything fits: the bound is the arrivals, about 50%.
    String[] half = lines.get(1).split(",");
    assertThat(half[5]).isEqualTo("fits");
    assertThat(Double.parseDouble(half[3])).isCloseTo(Double.parseDouble(half[4]), org.assertj.core.api.Assertions.within(0.01));
    // At 100% the bound is below the arrivals and above what FGD reaches on this workload (about 95%).
    String[] full = lines.get(4).split(",");
    assertThat(full[2]).isEqualTo("42");
    double bound = Double.parseDouble(full[3]);
    assertThat(bound).isLessThan(Double.parseDouble(full[4])).isGreaterThan(94.0);
    double mean = (bound + Double.parseDouble(lines.get(5).split(",")[3])) / 2;
    double csvMean = Double.parseDouble(lines.get(6).split(",")[3]);
    assertThat(csvMean).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-4));
    String meanRow = r.out().lines().filter(l -> l.startsWith("mean ")).findFirst().orElseThrow();
    String[] cells = meanRow.trim().split("\\s+");
    // The table shows two decimals of the CSV's four.
    assertThat(Double.parseDouble(cells[2])).isCloseTo(csvMean, org.assertj.core.api.Assertions.within(0.005 + 1e-9));
  }

  @Test
  void badInputExitsTwoWithOneLine() throws IOException {
    Path nodes = Files.writeString(dir.resolve("nodes.csv"), "sn,cpu_milli,memory_mib,gpu,model\nn1,8000,32768,1,T4\n");
    for (String[] args : List.of(
        new String[] {"bound", "--arrivals", "131"},
        new String[] {"bound", "--arrivals", "-1"},
        new String[] {"bound", "--arrivals", "x"},
        new String[] {"bound", "--arrivals", "100,100"},
        new String[] {"bound", "--seeds", "9-3"},
        new String[] {"bound", "--seeds", "a"},
        new String[] {"bound", "--time-limit", "0"},
        new String[] {"bound", "--nodes", nodes.toString()},
        new String[] {"bound", "--nodes", nodes.toString(), "--pods", dir.resolve("missing.csv").toString()},
        new String[] {"bound", "--csv", dir.resolve("no/such/dir/out.csv").toString()},
        new String[] {"bound", "--nope"})) {
      CliRun r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(FlexCommand.BAD_INPUT);
      assertThat(r.out()).as(String.join(" ", args)).isEmpty();
      assertThat(r.err().lines().count()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.err()).startsWith("flex: ").doesNotContain("Exception").doesNotContain("\tat ");
    }
    assertThat(run("bound", "--arrivals", "131").err()).contains("--arrivals").contains("131").contains("0..130");
    assertThat(run("bound", "--time-limit", "0").err()).contains("--time-limit").contains("'0'");
    assertThat(run("bound", "--nodes", nodes.toString()).err()).contains("--pods");
  }
}
