package io.flexsched.sim.cli;

import io.flexsched.core.Scheduler;
import io.flexsched.sim.replay.ReplayRunner;
import io.flexsched.sim.replay.SharingGain;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flex sharing}: what fractional sharing gains over each share taking a whole device, at
 * 100% arrivals of the paper's protocol (see {@link SharingGain}).
 */
@Command(name = "sharing", mixinStandardHelpOptions = true,
    description = {
      "Replay the same arrivals (the paper's seeded shuffle and inflation) up to 100%% of GPU capacity twice: "
          + "with fractional sharing, and with sharing disabled (every task asking a share of one GPU takes the "
          + "whole GPU). Report tasks placed, GPU allocation and the compute the placed tasks asked for, and the "
          + "relative gain of sharing.",
      "Without --nodes/--pods it runs on the built-in workload (no download)."})
public final class SharingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TraceFiles trace;

  @Option(names = "--policy", split = ",", paramLabel = "P", defaultValue = "bestfit,fgd",
      description = "policies, comma-separated (default ${DEFAULT-VALUE})")
  List<String> policies;

  @Option(names = "--seeds", paramLabel = "A-B|A,B,..", defaultValue = "42-51", description = "seeds (default ${DEFAULT-VALUE})")
  String seeds;

  @Option(names = "--csv", paramLabel = "OUT",
      description = "write policy,trace,seed,sharing,arrived,placed,allocated,compute for every run")
  Path csv;

  @Option(names = "--threads", paramLabel = "N|auto", defaultValue = "auto",
      description = "parallel runs, at least 1, or auto for the available processors (default ${DEFAULT-VALUE})")
  String threads;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @ParentCommand FlexCommand flex;

  @Override
  public Integer call() {
    trace.check();
    int threadCount = OptionChecks.threads("--threads", threads);
    List<Long> seedList = ReplayCommand.parseSeeds(seeds);
    OptionChecks.known("--policy", policies, Scheduler.scoringPolicies().keySet());
    Workload workload = trace.load();
    PrintWriter out = spec.commandLine().getOut();
    int runs = policies.size() * seedList.size() * 2;
    out.printf(Locale.ROOT, "Sharing gain on %s: %d nodes, %d GPUs, %d tasks; %d policies x %d seeds x sharing off/on%n",
        workload.name(), workload.nodes().size(), workload.gpus(), workload.tasks().size(), policies.size(), seedList.size());
    out.flush();
    var progress = new ProgressBar(spec.commandLine().getErr(), runs, !quiet, flex != null && flex.terminal());
    List<SharingGain.Point> points;
    try {
      points = runAll(workload, seedList, threadCount, progress);
    } finally {
      progress.finish();
    }
    printTable(out, points);
    if (csv != null) {
      writeCsv(csv, workload.name(), points);
      out.println("wrote " + csv);
    }
    out.flush();
    return FlexCommand.OK;
  }

  private List<SharingGain.Point> runAll(Workload workload, List<Long> seedList, int threadCount, ProgressBar progress) {
    var runs = new ArrayList<Callable<SharingGain.Point>>();
    for (String policy : policies) {
      for (boolean sharing : new boolean[] {false, true}) {
        for (long seed : seedList) {
          runs.add(() -> SharingGain.run(workload, policy, seed, sharing));
        }
      }
    }
    return ReplayRunner.inParallel(runs, threadCount, progress::update);
  }

  /** Per policy: the means over seeds with sharing off and on, then sharing's relative gain. */
  static void printTable(PrintWriter out, List<SharingGain.Point> points) {
    out.println("At 100% arrivals, mean over seeds: tasks placed of tasks arrived, GPU allocation and compute used, % of GPU capacity");
    out.printf(Locale.ROOT, "%-12s%-9s%16s%16s%16s%n", "policy", "sharing", "tasks placed", "GPU allocated", "compute used");
    for (String policy : points.stream().map(SharingGain.Point::policy).distinct().toList()) {
      double[] off = means(points, policy, false);
      double[] on = means(points, policy, true);
      out.printf(Locale.ROOT, "%-12s%-9s%16s%16.2f%16.2f%n", policy, "off",
          String.format(Locale.ROOT, "%.1f / %.0f", off[1], off[0]), off[2], off[3]);
      out.printf(Locale.ROOT, "%-12s%-9s%16s%16.2f%16.2f%n", policy, "on",
          String.format(Locale.ROOT, "%.1f / %.0f", on[1], on[0]), on[2], on[3]);
      out.printf(Locale.ROOT, "%-12s%-9s%16s%16s%16s%n", policy, "gain",
          gain(on[1], off[1]), gain(on[2], off[2]), gain(on[3], off[3]));
    }
  }

  /** Mean arrived, placed, allocated %, compute % of one policy's runs with sharing off or on. */
  private static double[] means(List<SharingGain.Point> points, String policy, boolean sharing) {
    double[] sum = new double[4];
    int n = 0;
    for (SharingGain.Point p : points) {
      if (p.policy().equals(policy) && p.sharing() == sharing) {
        sum[0] += p.arrived();
        sum[1] += p.placed();
        sum[2] += p.allocatedPercent();
        sum[3] += p.computePercent();
        n++;
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= n;
    }
    return sum;
  }

  private static String gain(double on, double off) {
    return off == 0 ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100 * (on / off - 1));
  }

  private static void writeCsv(Path file, String trace, List<SharingGain.Point> points) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("policy,trace,seed,sharing,arrived,placed,allocated,compute\n");
      for (SharingGain.Point p : points) {
        w.write(String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%d,%.4f,%.4f%n", p.policy(), trace, p.seed(),
            p.sharing() ? "on" : "off", p.arrived(), p.placed(), p.allocatedPercent(), p.computePercent()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
