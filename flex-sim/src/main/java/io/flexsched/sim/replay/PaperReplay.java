package io.flexsched.sim.replay;

import io.flexsched.core.Decision;
import io.flexsched.core.PlacementEngine;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.WorkloadDistribution;
import io.flexsched.spi.WorkloadFragmentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One run of the FGD paper's replay protocol (Weng et al., ATC'23; see
 * {@code reference/fgd-replay.md}):
 *
 * <ol>
 *   <li>the target workload is the most popular task shapes covering 95% of the original tasks;
 *   <li>the tasks are shuffled with the run's seed;
 *   <li>copies drawn uniformly from the originals are appended until the next would push the
 *       total GPU request past 130% of capacity (or random tasks are dropped if above);
 *   <li>each task is tried once, in order: no retry, departure or preemption;
 *   <li>after every task, GPU allocation is recorded against cumulative GPU arrivals, and averaged
 *       per arrival bucket {@code round(100·arrived/capacity)}, 0..130.
 * </ol>
 */
public final class PaperReplay {
  /** The last arrival bucket reported. */
  public static final int MAX_BUCKET = 130;
  /** Inflation target, as a fraction of GPU capacity. */
  public static final double LOAD = 1.3;
  /** Share of tasks the typical shapes must cover. */
  public static final double TYPICAL_COVERAGE = 0.95;

  private PaperReplay() {}

  /** The tasks of one run in the order they are tried: shuffled originals, then copies. */
  public static List<Task> arrivals(Workload workload, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Task> originals = workload.tasks();
    var tasks = new ArrayList<>(originals);
    Collections.shuffle(tasks, new java.util.Random(random.nextLong()));
    double target = LOAD * workload.gpus() * 1000.0;
    long total = 0;
    for (Task t : tasks) {
      total += t.accelerators().totalMilli();
    }
    if (total > target) {
      while (total > target && !tasks.isEmpty()) {
        Task dropped = tasks.remove(random.nextInt(tasks.size()));
        total -= dropped.accelerators().totalMilli();
      }
      return tasks;
    }
    for (int copy = 0; ; copy++) {
      Task t = originals.get(random.nextInt(originals.size()));
      long milli = t.accelerators().totalMilli();
      if (total + milli > target) {
        return tasks;
      }
      total += milli;
      tasks.add(t.toBuilder().id(t.id() + "+copy" + copy).build());
    }
  }

  /** Runs {@code policy} on {@code workload} with {@code seed}. */
  public static RunResult run(Workload workload, String policy, long seed) {
    long start = System.nanoTime();
    WorkloadDistribution typical = WorkloadDistribution.typical(workload.tasks(), TYPICAL_COVERAGE);
    List<Task> tasks = arrivals(workload, seed);
    PlacementEngine engine = PlacementEngine.builder()
        .policy(policy).seed(seed).workload(typical).nodes(workload.nodes()).build();
    var measure = new WorkloadFragmentation(typical);
    List<Node> nodes = workload.nodes();
    Map<String, Integer> index = new HashMap<>();
    double[] nodeFrag = new double[nodes.size()];
    double totalFrag = 0;
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).name(), i);
      nodeFrag[i] = measure.fragmentation(engine.node(nodes.get(i).name()));
      totalFrag += nodeFrag[i];
    }
    double capacity = engine.capacityMilli();
    int gpus = workload.gpus();
    var allocation = new Buckets();
    var fragmentation = new Buckets();
    allocation.add(0, 0);
    fragmentation.add(0, 100 * totalFrag / capacity);
    long arrived = 0;
    int placed = 0;
    for (Task task : tasks) {
      arrived += task.accelerators().totalMilli();
      Decision d = engine.place(task);
      if (d.placed()) {
        placed++;
        int i = index.get(d.assignment().node());
        double after = measure.fragmentation(engine.node(d.assignment().node()));
        totalFrag += after - nodeFrag[i];
        nodeFrag[i] = after;
      }
      int bucket = (int) Math.rint(arrived / (double) gpus / 10.0);
      double used = engine.allocatedMilli();
      allocation.add(bucket, Math.rint(used / gpus / 10.0 * 100) / 100);
      double free = capacity - used;
      fragmentation.add(bucket, free <= 0 ? 0 : 100 * totalFrag / free);
    }
    // Whatever the mode, a run ends with a full recomputation of the engine's accounting.
    engine.verifyAccounting();
    return new RunResult(policy, workload.name(), seed, allocation.means(), fragmentation.means(),
        tasks.size(), placed, System.nanoTime() - start);
  }

  /** Per-bucket means, where an empty bucket takes the mean of the rows within one bucket of it. */
  private static final class Buckets {
    private final double[] sum = new double[MAX_BUCKET + 2];
    private final int[] count = new int[MAX_BUCKET + 2];

    void add(int bucket, double value) {
      if (bucket >= 0 && bucket <= MAX_BUCKET + 1) {
        sum[bucket] += value;
        count[bucket]++;
      }
    }

    double[] means() {
      double[] out = new double[MAX_BUCKET + 1];
      for (int b = 0; b <= MAX_BUCKET; b++) {
        if (count[b] > 0) {
          out[b] = sum[b] / count[b];
        } else {
          double s = 0;
          int c = 0;
          for (int k = Math.max(0, b - 1); k <= b + 1; k++) {
            s += sum[k];
            c += count[k];
          }
          out[b] = c == 0 ? Double.NaN : s / c;
        }
      }
      return out;
    }
  }
}
