package io.flexsched.sim.cli;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.sim.replay.AllocationBound;
import io.flexsched.sim.replay.PaperReplay;
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
 * {@code flex bound}: an upper bound on the GPU allocation any placement could reach for the
 * replay's arrivals, per arrival level and seed.
 */
@Command(name = "bound", mixinStandardHelpOptions = true,
    description = {
      "Upper-bound the GPU allocation %% any placement could reach for the replay's arrivals (same seeded shuffle "
          + "and inflation as flex replay), per arrival level: a relaxation over node types and task classes "
          + "solved with OR-Tools. No policy's replay figure at that level and seed can exceed it.",
      "Without --nodes/--pods it bounds the built-in workload."})
public final class BoundCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TraceFiles trace;

  @Option(names = "--seeds", paramLabel = "A-B|A,B,..", defaultValue = "42-51", description = "seeds (default ${DEFAULT-VALUE})")
  String seeds;

  @Option(names = "--arrivals", split = ",", paramLabel = "X", defaultValue = "100,130",
      description = "arrival levels (replay buckets), %% of GPU capacity, 0..130 (default ${DEFAULT-VALUE})")
  List<String> arrivals;

  @Option(names = "--mip", description = "whole task counts, solved by SCIP (tighter, slower; its proven dual bound "
      + "if the time limit stops it) instead of a linear program solved by GLOP")
  boolean mip;

  @Option(names = "--time-limit", paramLabel = "S", defaultValue = "60",
      description = "time limit of each solve in seconds, at least 1 (default ${DEFAULT-VALUE})")
  String timeLimit;

  @Option(names = "--csv", paramLabel = "OUT",
      description = "write trace,bucket,seed,bound,arrived,status: one row per level and seed, then a row with seed "
          + "'mean' per level; bound and arrived in %% of GPU capacity")
  Path csv;

  @Option(names = "--quiet", description = "no progress")
  boolean quiet;

  @ParentCommand FlexCommand flex;

  @Override
  public Integer call() {
    trace.check();
    List<Long> seedList = ReplayCommand.parseSeeds(seeds);
    int[] buckets = buckets(arrivals);
    long limit = OptionChecks.wholeAtLeast("--time-limit", timeLimit, 1) * 1000L;
    if (csv != null && csv.getParent() != null && !Files.isDirectory(csv.getParent())) {
      throw new InvalidSpecException("--csv", csv, "must be in an existing directory");
    }
    Workload workload = trace.load();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.printf(Locale.ROOT, "Allocation bound of %s: %d nodes, %d GPUs, %d tasks; %d seeds; %s%n",
        workload.name(), workload.nodes().size(), workload.gpus(), workload.tasks().size(), seedList.size(),
        mip ? "MIP (SCIP)" : "LP (GLOP)");
    out.flush();
    var progress = new ProgressBar(err, seedList.size(), !quiet, flex != null && flex.terminal());
    long start = System.nanoTime();
    var perSeed = new ArrayList<List<AllocationBound.Point>>();
    try {
      for (long seed : seedList) {
        perSeed.add(AllocationBound.run(workload, seed, buckets, mip, limit));
        progress.update(perSeed.size());
      }
    } finally {
      progress.finish();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    double[] means = printTable(out, seedList, buckets, perSeed);
    long solves = 0;
    long solveNanos = 0;
    long slowest = 0;
    for (List<AllocationBound.Point> points : perSeed) {
      for (AllocationBound.Point p : points) {
        if (p.nanos() > 0) {
          solves++;
          solveNanos += p.nanos();
          slowest = Math.max(slowest, p.nanos());
        }
      }
    }
    out.printf(Locale.ROOT, "%d solves in %.1f s wall time (%.2f s per solve on average, slowest %.2f s)%n",
        solves, wall, solves == 0 ? 0 : solveNanos / 1e9 / solves, slowest / 1e9);
    if (csv != null) {
      writeCsv(csv, workload.name(), buckets, perSeed, means);
      out.println("wrote " + csv);
    }
    out.flush();
    return FlexCommand.OK;
  }

  /** The arrival levels: whole numbers 0..130, no repeats. */
  static int[] buckets(List<String> levels) {
    int[] out = new int[levels.size()];
    for (int i = 0; i < out.length; i++) {
      String text = levels.get(i).strip();
      try {
        out[i] = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        out[i] = -1;
      }
      if (out[i] < 0 || out[i] > PaperReplay.MAX_BUCKET) {
        throw new InvalidSpecException("--arrivals", "'" + text + "'", "must be whole numbers in 0.." + PaperReplay.MAX_BUCKET);
      }
      for (int j = 0; j < i; j++) {
        if (out[j] == out[i]) {
          throw new InvalidSpecException("--arrivals", "'" + text + "'", "must not repeat a level");
        }
      }
    }
    return out;
  }

  /** Prints a row per seed and the mean row; returns the means per level. */
  private static double[] printTable(PrintWriter out, List<Long> seeds, int[] buckets, List<List<AllocationBound.Point>> perSeed) {
    out.println("GPU allocation bound, % of GPU capacity, at arrived % of GPU capacity");
    var head = new StringBuilder(String.format(Locale.ROOT, "%-8s", "seed"));
    for (int b : buckets) {
      head.append(String.format(Locale.ROOT, "%12s", b + "%"));
    }
    out.println(head);
    double[] means = new double[buckets.length];
    for (int s = 0; s < seeds.size(); s++) {
      var row = new StringBuilder(String.format(Locale.ROOT, "%-8d", seeds.get(s)));
      for (int i = 0; i < buckets.length; i++) {
        AllocationBound.Point p = perSeed.get(s).get(i);
        means[i] += p.bound() / seeds.size();
        row.append(String.format(Locale.ROOT, "%12s", String.format(Locale.ROOT, "%.2f%s", p.bound(), mark(p.status()))));
      }
      out.println(row);
    }
    var row = new StringBuilder(String.format(Locale.ROOT, "%-8s", "mean"));
    for (double m : means) {
      row.append(String.format(Locale.ROOT, "%12.2f", m));
    }
    out.println(row);
    out.println("(* = everything arrived fits: the bound is the arrivals; ~ = a MIP's dual bound at the time limit; "
        + "! = no proof, the arrivals)");
    return means;
  }

  private static String mark(String status) {
    return switch (status) {
      case "fits" -> "*";
      case "dual" -> "~";
      case "arrivals" -> "!";
      default -> " ";
    };
  }

  private static void writeCsv(Path file, String trace, int[] buckets, List<List<AllocationBound.Point>> perSeed, double[] means) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("trace,bucket,seed,bound,arrived,status\n");
      for (int i = 0; i < buckets.length; i++) {
        double arrived = 0;
        for (List<AllocationBound.Point> points : perSeed) {
          AllocationBound.Point p = points.get(i);
          arrived += p.arrived() / perSeed.size();
          w.write(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%s%n", trace, p.bucket(), p.seed(), p.bound(), p.arrived(), p.status()));
        }
        w.write(String.format(Locale.ROOT, "%s,%d,mean,%.4f,%.4f,mean%n", trace, buckets[i], means[i], arrived));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
