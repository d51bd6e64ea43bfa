package io.flexsched.sim.cli;

import io.flexsched.core.Damping;
import io.flexsched.core.Scheduler;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.sim.replay.QosDelays;
import io.flexsched.sim.replay.TimeReplay;
import io.flexsched.sim.replay.TimedTask;
import io.flexsched.sim.replay.TimelineResult;
import io.flexsched.sim.trace.TraceNodes;
import io.flexsched.sim.trace.TracePods;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flex timeline}: the time-driven replay of a trace (creation and deletion times as
 * arrivals and departures, QoS classes as priorities), per scoring policy and victim search.
 */
@Command(name = "timeline", mixinStandardHelpOptions = true,
    description = {
      "Replay a trace in time: pods arrive at their creation time and run for their lifetime; LS and Guaranteed "
          + "pods are high priority and never preempted, BE pods low priority and preemptible, Burstable between. "
          + "Reports queueing delay p50/p99 per QoS class, preemptions, GPU allocation over time and unfinished pods.",
      "Needs a pod list with creation_time and deletion_time: the built-in workload carries no times."})
public final class TimelineCommand implements Callable<Integer> {
  /** The damping settings {@code --damping} names. */
  private static final Map<String, Damping> DAMPINGS = new TreeMap<>(Map.of("off", Damping.OFF, "standard", Damping.standard(),
      "yielding", Damping.yielding()));
  /** The {@code --ordering} values that name only backfill or strict FIFO, in FIFO order. */
  private static final List<String> LEGACY = List.of("backfill", "strict-fifo");
  /** Every {@code --ordering} value. */
  private static final List<String> ORDERINGS = List.of("backfill", "strict-fifo", "fifo", "sjf", "srtf", "themis");

  @Spec CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "FILE", description = "node list CSV (sn,cpu_milli,memory_mib,gpu,model)")
  Path nodes;

  @Option(names = "--pods", paramLabel = "FILE", description = "pod list CSV with qos, creation_time and deletion_time")
  Path pods;

  @Option(names = "--policy", split = ",", paramLabel = "P", defaultValue = "fgd,bestfit",
      description = "scoring policies, comma-separated (default ${DEFAULT-VALUE})")
  List<String> policies;

  @Option(names = "--preemption", split = ",", paramLabel = "V", defaultValue = "greedy",
      description = "victim searches, comma-separated: greedy, exact or none (default ${DEFAULT-VALUE})")
  List<String> preemptions;

  @Option(names = "--damping", split = ",", paramLabel = "D", defaultValue = "off",
      description = "churn damping of preemption, comma-separated: off, standard (10 min minimum run time; "
          + "protected for a week after 3 preemptions in a week; 5 min wait before preempting unless 2 priority "
          + "levels above the victim) or yielding (the same, but protected for a year after 2 preemptions in a year, "
          + "and protected pods and reservations give way to waiting pods of higher priority) (default ${DEFAULT-VALUE})")
  List<String> dampings;

  @Option(names = "--compress", paramLabel = "K", defaultValue = "1",
      description = "arrivals at creation time / K, lifetimes kept (default ${DEFAULT-VALUE}: the trace's own times)")
  double compress;

  @Option(names = "--cluster-scale", paramLabel = "F", defaultValue = "1",
      description = "keep this fraction of each GPU model's nodes, spread evenly (default ${DEFAULT-VALUE})")
  double clusterScale;

  @Option(names = "--ordering", split = ",", paramLabel = "O", defaultValue = "backfill",
      description = "queue orderings, comma-separated: backfill or strict-fifo (both FIFO), or under backfill fifo, "
          + "sjf (shortest job first), srtf (shortest remaining time first) or themis (finish-time fairness), which "
          + "read each pod's trace lifetime as its expected duration; more than one, or any but backfill and "
          + "strict-fifo, adds an ordering column and the makespan (default ${DEFAULT-VALUE})")
  List<String> orderings;

  @Option(names = "--reserve-after", paramLabel = "N", defaultValue = "10",
      description = "under backfill, passes before a waiting pod gets a reservation (default ${DEFAULT-VALUE})")
  int reserveAfter;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "tie-breaking seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--csv", paramLabel = "OUT",
      description = "write policy,preemption,time,allocatedMilli,capacityMilli for every sample")
  Path csv;

  @Override
  public Integer call() {
    if (nodes == null && pods == null) {
      throw new InvalidSpecException("--pods", "missing", "must be given with --nodes: the time-driven replay needs "
          + "creation and deletion times, and the built-in workload carries none");
    }
    OptionChecks.together(nodes, pods);
    // Numbers first: a typo costs no loading of a trace.
    OptionChecks.numberAtLeast("--compress", compress, 1);
    OptionChecks.fraction("--cluster-scale", clusterScale);
    OptionChecks.atLeast("--reserve-after", reserveAfter, 1);
    for (Path f : List.of(nodes, pods)) {
      if (!Files.isRegularFile(f)) {
        throw new InvalidSpecException(f == nodes ? "--nodes" : "--pods", f, "must be a readable file");
      }
    }
    OptionChecks.known("--policy", policies, Scheduler.scoringPolicies().keySet());
    var knownVictims = new TreeSet<>(Scheduler.preemptionPolicies().keySet());
    knownVictims.add(TimeReplay.NO_PREEMPTION);
    OptionChecks.known("--preemption", preemptions, knownVictims);
    OptionChecks.known("--damping", dampings, DAMPINGS.keySet());
    OptionChecks.known("--ordering", orderings, ORDERINGS);
    // The output of a lone backfill or strict-fifo run stays as it was before orders were compared.
    boolean compare = orderings.size() > 1 || !LEGACY.contains(orderings.get(0));
    List<TimedTask> tasks = TimedTask.fromTrace(TracePods.load(pods), pods);
    List<Node> cluster = TimeReplay.scaled(TraceNodes.load(nodes), clusterScale);
    String name = pods.getFileName().toString().replaceFirst("\\.csv$", "");
    PrintWriter out = spec.commandLine().getOut();
    long gpus = cluster.stream().mapToLong(n -> n.devices().size()).sum();
    out.printf(Locale.ROOT, "Time-driven replay of %s: %d nodes, %d GPUs, %d pods; arrivals compressed %sx, cluster scale %s%n",
        name, cluster.size(), gpus, tasks.size(), plain(compress), plain(clusterScale));
    out.printf(Locale.ROOT, "%-9s %-10s %-8s " + (compare ? "%-8s " : "%s") + "%-11s %6s %7s %11s %11s %10s %8s %6s %10s%n",
        "policy", "preemption", "damping", compare ? "ordering" : "", "qos", "pods", "started", "delay p50", "delay p99",
        "preempted", "repeated", "most", "unfinished");
    out.flush();
    var results = new ArrayList<TimelineResult>();
    var ordered = new ArrayList<String>();
    for (String policy : policies) {
      for (String victims : preemptions) {
        for (String damping : dampings) {
          for (String ordering : orderings) {
            String order = LEGACY.contains(ordering) ? "fifo" : ordering;
            var settings = new TimeReplay.Settings(policy, victims, seed, compress, ordering.equals("strict-fifo"),
                reserveAfter, DAMPINGS.get(damping), order);
            TimelineResult r = TimeReplay.run(name, cluster, tasks, settings);
            results.add(r);
            ordered.add(ordering);
            String label = compare ? String.format(Locale.ROOT, "%-8s %-8s", damping, ordering) : damping;
            for (QosDelays q : r.classes()) {
              row(out, r, q, label);
            }
            row(out, r, r.all(), label);
            out.printf(Locale.ROOT, "%-9s %-10s %-8s GPU allocation: mean %.2f%% while pods arrive (%.1f days), %.2f%% to "
                    + "the horizon (%.1f days), peak %.2f%%; %d preemptions; %d unfinished; %s%.1f s%n",
                r.policy(), r.preemption(), label, 100 * r.meanAllocationWhileArriving(),
                (r.lastArrival() - r.firstArrival()) / 86_400.0, 100 * r.meanAllocation(), r.horizon() / 86_400.0,
                100 * r.peakAllocation(), r.preemptions(), r.all().unfinished(), compare ? makespan(r) : "",
                r.nanos() / 1e9);
            out.flush();
          }
        }
      }
    }
    if (csv != null) {
      writeCsv(csv, results, compare ? ordered : null);
      out.println("wrote " + csv);
    }
    out.flush();
    return FlexCommand.OK;
  }

  /** The makespan, for a run that compares orderings. */
  private static String makespan(TimelineResult r) {
    long m = r.makespan();
    return m < 0 ? "makespan unknown (unfinished at the horizon); "
        : String.format(Locale.ROOT, "makespan %d s (%.1f days); ", m, m / 86_400.0);
  }

  private static void row(PrintWriter out, TimelineResult r, QosDelays q, String damping) {
    out.printf(Locale.ROOT, "%-9s %-10s %-8s %-11s %6d %7d %11s %11s %10d %8d %6d %10d%n", r.policy(), r.preemption(),
        damping, q.qos(), q.tasks(), q.started(), seconds(q.p50()), seconds(q.p99()), q.preempted(), q.repeated(),
        q.mostPreempted(), q.unfinished());
  }

  private static String seconds(long s) {
    return s < 0 ? "-" : s + " s";
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** The {@code --damping} name of {@code d}, or {@code custom}. */
  private static String dampingName(Damping d) {
    for (Map.Entry<String, Damping> e : DAMPINGS.entrySet()) {
      if (e.getValue().equals(d)) {
        return e.getKey();
      }
    }
    return "custom";
  }

  /**
   * Writes every sample of {@code results}; with {@code orderings} (one per result, when orderings
   * are compared) an ordering column follows the damping.
   */
  static void writeCsv(Path file, List<TimelineResult> results, @Nullable List<String> orderings) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("policy,preemption,damping," + (orderings == null ? "" : "ordering,") + "time,allocatedMilli,capacityMilli\n");
      for (int k = 0; k < results.size(); k++) {
        TimelineResult r = results.get(k);
        String damping = dampingName(r.damping()) + (orderings == null ? "" : "," + orderings.get(k));
        for (int i = 0; i < r.times().length; i++) {
          w.write(r.policy() + "," + r.preemption() + "," + damping + "," + r.times()[i] + "," + r.allocatedMilli()[i]
              + "," + r.capacityMilli() + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
