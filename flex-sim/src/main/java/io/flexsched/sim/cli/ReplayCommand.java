package io.flexsched.sim.cli;

import io.flexsched.core.Scheduler;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.sim.report.AllocationPng;
import io.flexsched.sim.report.HtmlReport;
import io.flexsched.sim.report.ReplayReport;
import io.flexsched.sim.replay.AllocationBound;
import io.flexsched.sim.replay.PaperReplay;
import io.flexsched.sim.replay.PaperResults;
import io.flexsched.sim.replay.PolicySummary;
import io.flexsched.sim.replay.ReplayRunner;
import io.flexsched.sim.replay.RunResult;
import io.flexsched.sim.replay.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flex replay}: the FGD paper's replay protocol over policies and seeds, on a trace or on
 * the built-in workload.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
      "Replay a workload with the FGD paper's protocol (typical tasks, seeded shuffle, inflation to 130%% "
          + "of GPU capacity, one attempt per task) and report GPU allocation against arrivals.",
      "Without --nodes/--pods it runs the six paper policies and flexfit on the built-in workload (no download)."})
public final class ReplayCommand implements Callable<Integer> {
  /** The paper's six policies, in its order. */
  public static final List<String> PAPER_POLICIES = List.of("random", "dotprod", "clustering", "packing", "bestfit", "fgd");
  /** What {@code flex replay} runs when no policy is named: the paper's six, then Flex's own {@code flexfit}. */
  public static final List<String> DEFAULT_POLICIES = List.of("random", "dotprod", "clustering", "packing", "bestfit", "fgd",
      "flexfit");

  private static final int[] REPORTED = {80, 90, 100, 110, 120, 130};

  @Spec CommandSpec spec;

  @Mixin TraceFiles trace;

  @Option(names = "--policy", split = ",", paramLabel = "P", description = "policies, comma-separated (default: the paper's six and flexfit)")
  List<String> policies;

  @Option(names = "--seeds", paramLabel = "A-B|A,B,..", defaultValue = "42-51", description = "seeds (default ${DEFAULT-VALUE})")
  String seeds;

  @Option(names = "--csv", paramLabel = "OUT", description = "write policy,trace,bucket,mean,sd,seeds for every bucket 0..130")
  Path csv;

  @Option(names = "--report", paramLabel = "OUT.html",
      description = "write a self-contained HTML report: allocation, fragmentation and per-model utilisation charts")
  Path report;

  @Option(names = "--png", paramLabel = "DIR", description = "write the allocation chart to DIR/allocation.png")
  Path png;

  @Option(names = "--threads", paramLabel = "N|auto", defaultValue = "auto",
      description = "parallel runs, at least 1, or auto for the available processors (default ${DEFAULT-VALUE})")
  String threads;

  @Option(names = "--migrations", paramLabel = "K",
      description = "defragmentation: a task that fits nowhere may migrate up to K placed tasks to make room; "
          + "reports the moves per run (default: none, the paper's protocol)")
  String migrations;

  @Option(names = "--bound",
      description = "also compute the offline upper bound on allocation (as flex bound does, by linear programs) at "
          + "every 5%% of arrivals, for the same seeds; shown as a row of the table and a dashed line in --report and --png")
  boolean bound;

  @Option(names = "--remote-share", paramLabel = "F",
      description = "remote devices (Flex:ai's pooling): a seeded share F (0 to 1) of the tasks that ask for GPUs may take "
          + "another node's GPUs when no node takes them whole, their CPU and memory staying on their own node; "
          + "reports the remote placements per run (default: none, the paper's protocol)")
  Double remoteShare;

  @ParentCommand FlexCommand flex;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() {
    trace.check();
    int threadCount = OptionChecks.threads("--threads", threads);
    int moves = migrations == null ? 0 : OptionChecks.wholeAtLeast("--migrations", migrations, 0);
    if (remoteShare != null) {
      if (!(remoteShare >= 0 && remoteShare <= 1)) {
        throw new InvalidSpecException("--remote-share", remoteShare, "must be in [0, 1]");
      }
    }
    List<Long> seedList = parseSeeds(seeds);
    List<String> policyList = policies == null ? DEFAULT_POLICIES : policies;
    OptionChecks.known("--policy", policyList, Scheduler.scoringPolicies().keySet());
    // Outputs are checked before the replay, so a typo costs no minutes of running.
    if (report != null) {
      HtmlReport.requireWritable(report);
    }
    if (png != null) {
      AllocationPng.requireDirectory(png);
    }
    Workload workload = trace.load();
    int runs = policyList.size() * seedList.size();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.printf(Locale.ROOT, "Replay of %s: %d nodes, %d GPUs, %d tasks; %d policies x %d seeds%n",
        workload.name(), workload.nodes().size(), workload.gpus(), workload.tasks().size(), policyList.size(), seedList.size());
    out.flush();
    var progress = new ProgressBar(err, runs, !quiet, flex != null && flex.terminal());
    long start = System.nanoTime();
    List<RunResult> results;
    try {
      results = ReplayRunner.run(workload, policyList, seedList, moves, remoteShare == null ? 0 : remoteShare,
          threadCount, progress::update);
    } finally {
      progress.finish();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    List<PolicySummary> summaries = PolicySummary.of(results);
    Optional<PaperResults> paper = trace.pods == null ? Optional.empty()
        : PaperResults.besideTrace(trace.pods).map(PaperResults::load);
    double[] upper = bound ? boundEvery5(workload, seedList) : null;
    printTable(out, summaries, paper, workload.name(), upper);
    if (migrations != null) {
      printMigrations(out, results, moves);
    }
    if (remoteShare != null) {
      printRemote(out, results, remoteShare);
    }
    out.printf(Locale.ROOT, "%d runs in %.1f s wall time (%.2f s per run of CPU time on average)%n",
        runs, wall, summaries.stream().mapToDouble(PolicySummary::seconds).sum() / runs);
    if (csv != null) {
      writeCsv(csv, summaries);
      out.println("wrote " + csv);
    }
    if (report != null || png != null) {
      ReplayReport charts = ReplayReport.of(workload, summaries);
      if (upper != null) {
        charts = charts.withBound(upper);
      }
      if (report != null) {
        HtmlReport.write(charts, report);
        out.println("wrote " + report);
      }
      if (png != null) {
        out.println("wrote " + AllocationPng.write(charts, png));
      }
    }
    out.flush();
    return FlexCommand.OK;
  }

  /** Parses {@code 42-51} or {@code 42,43,50}. */
  static List<Long> parseSeeds(String text) {
    var out = new ArrayList<Long>();
    try {
      for (String part : text.split(",")) {
        String p = part.trim();
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          long a = Long.parseLong(p.substring(0, dash).trim());
          long b = Long.parseLong(p.substring(dash + 1).trim());
          if (b < a || b - a > 10_000) {
            throw new InvalidSpecException("--seeds", "'" + text + "'", "must be a range A-B with A <= B, at most 10001 seeds");
          }
          for (long s = a; s <= b; s++) {
            out.add(s);
          }
        } else {
          out.add(Long.parseLong(p));
        }
      }
    } catch (NumberFormatException e) {
      throw new InvalidSpecException("--seeds", "'" + text + "'", "must be A-B or a comma-separated list of whole numbers");
    }
    return out;
  }

  /** The mean bound at buckets 0, 5, .., 130 over {@code seeds}; NaN at the other buckets. */
  private static double[] boundEvery5(Workload workload, List<Long> seeds) {
    int[] buckets = new int[PaperReplay.MAX_BUCKET / 5 + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = 5 * i;
    }
    double[] means = AllocationBound.byBucket(workload, seeds, buckets);
    double[] out = new double[PaperReplay.MAX_BUCKET + 1];
    java.util.Arrays.fill(out, Double.NaN);
    for (int i = 0; i < buckets.length; i++) {
      out[buckets[i]] = means[i];
    }
    return out;
  }

  private static void printTable(PrintWriter out, List<PolicySummary> summaries, Optional<PaperResults> paper, String workload,
      double @Nullable [] upper) {
    out.println("GPU allocation % at arrived % of GPU capacity (mean ± sd over seeds)"
        + (paper.isPresent() ? "; [paper] = the FGD authors' mean" : ""));
    var head = new StringBuilder(String.format(Locale.ROOT, "%-12s", "policy"));
    for (int b : REPORTED) {
      head.append(String.format(Locale.ROOT, "%16s", b + "%"));
    }
    out.println(head);
    for (PolicySummary s : summaries) {
      var row = new StringBuilder(String.format(Locale.ROOT, "%-12s", s.policy()));
      for (int b : REPORTED) {
        row.append(String.format(Locale.ROOT, "%16s",
            String.format(Locale.ROOT, "%.2f ± %.2f", s.allocationMean()[b], s.allocationSd()[b])));
      }
      out.println(row);
      Optional<double[]> ref = paper.flatMap(p -> p.mean(workload, s.policy()));
      if (ref.isPresent()) {
        var refRow = new StringBuilder(String.format(Locale.ROOT, "%-12s", "  [paper]"));
        for (int b : REPORTED) {
          refRow.append(String.format(Locale.ROOT, "%16.2f", ref.get()[b]));
        }
        out.println(refRow);
      }
    }
    if (upper != null) {
      var row = new StringBuilder(String.format(Locale.ROOT, "%-12s", "bound"));
      for (int b : REPORTED) {
        row.append(String.format(Locale.ROOT, "%16.2f", upper[b]));
      }
      out.println(row);
    }
  }

  /** The runs by policy, in the order the policies first appear. */
  private static java.util.Map<String, List<RunResult>> byPolicy(List<RunResult> results) {
    var policies = new java.util.LinkedHashMap<String, List<RunResult>>();
    for (RunResult r : results) {
      policies.computeIfAbsent(r.policy(), k -> new ArrayList<>()).add(r);
    }
    return policies;
  }

  /** Per policy and seed: allocation at 100% of arrivals and the moves made, then their means. */
  private static void printMigrations(PrintWriter out, List<RunResult> results, int moves) {
    out.printf(Locale.ROOT, "Defragmentation: up to %d migrations per failed placement%n", moves);
    out.printf(Locale.ROOT, "%-12s%8s%14s%12s%n", "policy", "seed", "alloc@100%", "migrations");
    for (var e : byPolicy(results).entrySet()) {
      double alloc = 0;
      double moved = 0;
      for (RunResult r : e.getValue()) {
        out.printf(Locale.ROOT, "%-12s%8d%14.2f%12d%n", r.policy(), r.seed(), r.allocation()[100], r.migrations());
        alloc += r.allocation()[100];
        moved += r.migrations();
      }
      int n = e.getValue().size();
      out.printf(Locale.ROOT, "%-12s%8s%14.2f%12.1f%n", e.getKey(), "mean", alloc / n, moved / n);
    }
  }

  /** Per policy: allocation at 100% of arrivals, tasks placed and remote placements, means over seeds. */
  private static void printRemote(PrintWriter out, List<RunResult> results, double share) {
    out.printf(Locale.ROOT, "Remote devices: a share %.2f of GPU tasks may use another node's GPUs%n", share);
    out.printf(Locale.ROOT, "%-12s%14s%12s%10s%n", "policy", "alloc@100%", "placed", "remote");
    for (var e : byPolicy(results).entrySet()) {
      double alloc = 0;
      double placed = 0;
      double remote = 0;
      for (RunResult r : e.getValue()) {
        alloc += r.allocation()[100];
        placed += r.placed();
        remote += r.remote();
      }
      int n = e.getValue().size();
      out.printf(Locale.ROOT, "%-12s%14.2f%12.1f%10.1f%n", e.getKey(), alloc / n, placed / n, remote / n);
    }
  }

  static void writeCsv(Path file, List<PolicySummary> summaries) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("policy,trace,bucket,mean,sd,seeds\n");
      for (PolicySummary s : summaries) {
        for (int b = 0; b <= PaperReplay.MAX_BUCKET; b++) {
          w.write(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.4f,%d%n",
              s.policy(), s.workload(), b, s.allocationMean()[b], s.allocationSd()[b], s.seeds().size()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
