package io.flexsched.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flex timeline} on a four-pod trace written here, whose delays are worked out by hand in
 * {@code TimeReplayTest}, and on bad input.
 */
class TimelineCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private Path nodes() throws IOException {
    return Files.writeString(dir.resolve("nodes.csv"), "sn,cpu_milli,memory_mib,gpu,model\nn1,32000,65536,1,Ascend910\n");
  }

  private Path pods() throws IOException {
    return Files.writeString(dir.resolve("pods.csv"), """
        name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
        clock,1000,1024,0,0,,LS,Running,0,100,0
        a,1000,1024,1,1000,,BE,Running,0,10,0
        b,1000,1024,1,1000,,LS,Running,5,15,5
        c,1000,1024,1,1000,,BE,Running,6,7,6
        """);
  }

  @Test
  void reportsDelaysPerQosClassForEachVictimSearchAndWritesTheAllocationSeries() throws IOException {
    Path csv = dir.resolve("alloc.csv");
    CliRun r = run("timeline", "--nodes", nodes().toString(), "--pods", pods().toString(), "--policy", "bestfit",
        "--preemption", "greedy,none", "--csv", csv.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Time-driven replay of pods: 1 nodes, 1 GPUs, 4 pods; arrivals compressed 1x, cluster scale 1");
    assertThat(lines.subList(1, 5)).containsExactly(
        "policy    preemption damping  qos           pods started   delay p50   delay p99  preempted repeated   most unfinished",
        "bestfit   greedy     off      LS               2       2         0 s         0 s          0        0      0          0",
        "bestfit   greedy     off      BE               2       2         0 s        19 s          1        0      1          0",
        "bestfit   greedy     off      all              4       4         0 s        19 s          1        0      1          0");
    assertThat(lines.get(5)).startsWith("bestfit   greedy     off      GPU allocation: mean 100.00% while pods arrive (0.0 days), "
        + "26.00% to the horizon (0.0 days), peak 100.00%; 1 preemptions; 0 unfinished; ");
    assertThat(lines.subList(6, 9)).containsExactly(
        "bestfit   none       off      LS               2       2         0 s         5 s          0        0      0          0",
        "bestfit   none       off      BE               2       2         0 s        14 s          0        0      0          0",
        "bestfit   none       off      all              4       4         0 s        14 s          0        0      0          0");
    assertThat(lines.get(10)).isEqualTo("wrote " + csv);
    List<String> series = Files.readAllLines(csv);
    assertThat(series.get(0)).isEqualTo("policy,preemption,damping,time,allocatedMilli,capacityMilli");
    assertThat(series).contains("bestfit,greedy,off,26,0,1000", "bestfit,none,off,20,1000,1000").hasSize(1 + 8 + 7);
  }

  /**
   * One GPU: {@code run} holds it until 10 s; {@code long} (100 s, arrives at 1) and {@code short}
   * (10 s, arrives at 2) wait. FIFO starts long at 10 and short at 110 (BE delays 0, 9, 108 s); the
   * duration-aware orders start short at 10 and long at 20 (0, 8, 19 s). Themis too: at 10 s, rho
   * is (9 + 100) / 100 for long and (8 + 10) / 10 for short. Either way the GPU is busy until
   * 120 s, when {@code clock} (no GPU, there to set the horizon) also ends: makespan 120 s.
   */
  @Test
  void comparesQueueOrderingsWithTheirMakespan() throws IOException {
    Path trace = Files.writeString(dir.resolve("orders.csv"), """
        name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
        clock,1000,1024,0,0,,LS,Running,0,120,0
        run,1000,1024,1,1000,,BE,Running,0,10,0
        long,1000,1024,1,1000,,BE,Running,1,101,1
        short,1000,1024,1,1000,,BE,Running,2,12,2
        """);
    Path csv = dir.resolve("orders-alloc.csv");
    CliRun r = run("timeline", "--nodes", nodes().toString(), "--pods", trace.toString(), "--policy", "bestfit",
        "--preemption", "none", "--ordering", "fifo,sjf,srtf,themis", "--csv", csv.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(1).split(" +")).startsWith("policy", "preemption", "damping", "ordering", "qos", "pods");
    for (String[] expected : new String[][] {{"fifo", "9", "108"}, {"sjf", "8", "19"}, {"srtf", "8", "19"}, {"themis", "8", "19"}}) {
      String be = lines.stream().filter(l -> l.matches("bestfit +none +off +" + expected[0] + " +BE .*")).findFirst().orElseThrow();
      // policy, preemption, damping, ordering, qos, pods, started, p50, "s", p99, "s", ...
      String[] f = be.split(" +");
      assertThat(f[5]).as(expected[0] + " pods").isEqualTo("3");
      assertThat(f[7]).as(expected[0] + " p50").isEqualTo(expected[1]);
      assertThat(f[9]).as(expected[0] + " p99").isEqualTo(expected[2]);
      String summary = lines.stream().filter(l -> l.matches("bestfit +none +off +" + expected[0] + " +GPU allocation.*"))
          .findFirst().orElseThrow();
      assertThat(summary).as(expected[0]).contains("0 unfinished; makespan 120 s (0.0 days); ");
    }
    List<String> series = Files.readAllLines(csv);
    assertThat(series.get(0)).isEqualTo("policy,preemption,damping,ordering,time,allocatedMilli,capacityMilli");
    assertThat(series).contains("bestfit,none,off,fifo,110,1000,1000", "bestfit,none,off,sjf,20,1000,1000");
  }

  @Test
  void withoutATraceItSaysTheBuiltInWorkloadCarriesNoTimes() {
    CliRun r = run("timeline");
    assertThat(r.code()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).containsExactly("flex: --pods must be given with --nodes: the time-driven replay needs "
        + "creation and deletion times, and the built-in workload carries none, was missing");
  }

  @Test
  void aPodListWithoutTimesIsBadInput() throws IOException {
    Path fiveColumns = Files.writeString(dir.resolve("multigpu.csv"),
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1000,1024,1,1000\n");
    CliRun r = run("timeline", "--nodes", nodes().toString(), "--pods", fiveColumns.toString());
    assertThat(r.code()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(r.err().lines()).containsExactly("flex: --pods must have creation_time and deletion_time for pod p1 "
        + "(the time-driven replay needs them; the multigpu pod lists have only their first five columns), was " + fiveColumns);
  }

  @Test
  void yieldingDampingIsNamedInTheTableAndTheSeries() throws IOException {
    Path csv = dir.resolve("damped.csv");
    CliRun r = run("timeline", "--nodes", nodes().toString(), "--pods", pods().toString(), "--policy", "bestfit",
        "--damping", "off,yielding", "--csv", csv.toString());
    assertThat(r.err()).isEmpty();
    List<String> ls = r.out().lines().filter(l -> l.contains(" LS ")).toList();
    assertThat(ls).hasSize(2);
    // Undamped, b (LS) preempts a (BE) on arrival; damped, a is within its 10-minute minimum run
    // time, so b waits the 5 s until a leaves, and nothing is preempted.
    assertThat(ls.get(0).split(" +")).startsWith("bestfit", "greedy", "off", "LS", "2", "2", "0", "s", "0", "s", "0");
    assertThat(ls.get(1).split(" +")).startsWith("bestfit", "greedy", "yielding", "LS", "2", "2", "0", "s", "5", "s", "0");
    assertThat(r.out()).contains("yielding GPU allocation").contains("; 0 preemptions;");
    assertThat(Files.readAllLines(csv)).anyMatch(l -> l.startsWith("bestfit,greedy,yielding,"));
  }

  @Test
  void anUnknownVictimSearchOrOrderingIsBadInput() throws IOException {
    CliRun bad = run("timeline", "--nodes", nodes().toString(), "--pods", pods().toString(), "--preemption", "oldest");
    assertThat(bad.code()).isEqualTo(FlexCommand.BAD_INPUT);
    assertThat(bad.err().lines()).containsExactly("flex: --preemption must be one of [exact, greedy, none], was 'oldest'");
    CliRun ordering = run("timeline", "--nodes", nodes().toString(), "--pods", pods().toString(), "--ordering", "lifo");
    assertThat(ordering.err().lines()).containsExactly("flex: --ordering must be one of [backfill, strict-fifo, fifo, sjf, srtf, themis], was 'lifo'");
    CliRun compress = run("timeline", "--nodes", nodes().toString(), "--pods", pods().toString(), "--compress", "0.5");
    assertThat(compress.err().lines()).containsExactly("flex: --compress must be a number of at least 1, was 0.5");
  }

  @Test
  void everyNumericOptionIsCheckedBeforeTheTraceIsRead() throws IOException {
    // A missing trace file: a numeric error must come first, naming the option.
    String missing = dir.resolve("missing.csv").toString();
    String[][] cases = {
        {"--compress", "0", "must be a number of at least 1, was 0.0"},
        {"--compress", "NaN", "must be a number of at least 1, was NaN"},
        {"--compress", "Infinity", "must be a number of at least 1, was Infinity"},
        {"--cluster-scale", "0", "must be in (0, 1], was 0.0"},
        {"--cluster-scale", "1.5", "must be in (0, 1], was 1.5"},
        {"--cluster-scale", "NaN", "must be in (0, 1], was NaN"},
        {"--reserve-after", "0", "must be at least 1, was 0"},
        {"--reserve-after", "-3", "must be at least 1, was -3"}};
    for (String[] c : cases) {
      CliRun r = run("timeline", "--nodes", missing, "--pods", missing, c[0], c[1]);
      assertThat(r.code()).as(c[0] + " " + c[1]).isEqualTo(FlexCommand.BAD_INPUT);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines()).as(c[0] + " " + c[1]).containsExactly("flex: " + c[0] + " " + c[2]);
    }
    for (String[] c : new String[][] {{"--seed", "x"}, {"--reserve-after", "1.5"}, {"--compress", "fast"}}) {
      CliRun r = run("timeline", "--nodes", nodes().toString(), "--pods", pods().toString(), c[0], c[1]);
      assertThat(r.code()).as(c[0] + " " + c[1]).isEqualTo(FlexCommand.BAD_INPUT);
      assertThat(r.err().lines()).as(c[0] + " " + c[1]).hasSize(1).allMatch(l -> l.startsWith("flex: ") && l.contains(c[0]));
    }
  }
}
