package io.flexsched.sim.replay;

import io.flexsched.core.ClusterView;
import io.flexsched.core.Outcome;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.Device;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 *
 * <p>Beside the paper's allocation curve, a run records the cluster's fragmentation ratio and, per
 * device model, the share of that model's compute allocated, on the same buckets.
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
    return run(workload, policy, seed, 0);
  }

  /**
   * Runs {@code policy} on {@code workload} with {@code seed}; a task that fits nowhere may migrate
   * up to {@code migrations} placed tasks to make room (0: the paper's protocol as it is).
   */
  public static RunResult run(Workload workload, String policy, long seed, int migrations) {
    return run(workload, policy, seed, migrations, 0);
  }

  /**
   * {@link #run(Workload, String, long, int)} with a seeded share {@code remoteShare} (0 to 1) of
   * the tasks that ask for devices accepting remote devices at penalty 0 (the whole cluster one
   * pool): the gain of Flex:ai-style pooling on the trace. At 0 the run is the paper's protocol
   * exactly (no draw is made).
   */
  public static RunResult run(Workload workload, String policy, long seed, int migrations, double remoteShare) {
    long start = System.nanoTime();
    WorkloadDistribution typical = WorkloadDistribution.typical(workload.tasks(), TYPICAL_COVERAGE);
    List<Task> tasks = remoteShare > 0 ? remoteOk(arrivals(workload, seed), seed, remoteShare) : arrivals(workload, seed);
    // Past 100% of arrivals most tasks fit nowhere; the replay reports allocation, not why.
    PlacementEngine engine = Scheduler.builder()
        .policy(policy).seed(seed).workload(typical).nodes(workload.nodes()).nearestMiss(false).buildEngine();
    ClusterView cluster = engine.cluster();
    FragmentationMeasure measure = FragmentationMeasure.of(typical);
    List<Node> nodes = workload.nodes();
    Map<String, Integer> index = new HashMap<>();
    double[] nodeFrag = new double[nodes.size()];
    double totalFrag = 0;
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).name(), i);
      nodeFrag[i] = measure.fragmentation(cluster.node(nodes.get(i).name()));
      totalFrag += nodeFrag[i];
    }
    // Per device model: its devices' compute and what is allocated of it, kept up to date from
    // each placement's slices (the replay never releases), so no event rescans the cluster.
    Map<String, Integer> modelIndex = new LinkedHashMap<>();
    int[][] deviceModel = new int[nodes.size()][];
    for (int i = 0; i < nodes.size(); i++) {
      List<Device> devices = nodes.get(i).devices();
      deviceModel[i] = new int[devices.size()];
      for (Device device : devices) {
        Integer m = modelIndex.get(device.model().name());
        if (m == null) {
          m = modelIndex.size();
          modelIndex.put(device.model().name(), m);
        }
        deviceModel[i][device.index()] = m;
      }
    }
    int models = modelIndex.size();
    long[] modelCapacity = new long[models];
    for (int[] node : deviceModel) {
      for (int m : node) {
        modelCapacity[m] += DeviceModel.WHOLE_MILLI;
      }
    }
    long[] modelAllocated = new long[models];
    var utilisation = new Buckets[models];
    for (int m = 0; m < models; m++) {
      utilisation[m] = new Buckets();
      utilisation[m].add(0, 0);
    }
    double capacity = cluster.capacityMilli();
    int gpus = workload.gpus();
    var allocation = new Buckets();
    var fragmentation = new Buckets();
    allocation.add(0, 0);
    fragmentation.add(0, 100 * totalFrag / capacity);
    long arrived = 0;
    int placed = 0;
    var budget = PlacementEngine.DisruptionBudget.moves(migrations);
    long moves = 0;
    long remote = 0;
    for (Task task : tasks) {
      arrived += task.accelerators().totalMilli();
      Outcome outcome;
      if (migrations == 0) {
        outcome = engine.place(task);
      } else {
        PlacementEngine.Defragmentation defrag = engine.defragment(List.of(task), budget);
        outcome = defrag.outcome();
        for (PlacementEngine.Migration m : defrag.migrations()) {
          moves++;
          // Remote tasks never move, but a mover may land remote: slices count where the devices are.
          int from = index.get(m.from().deviceNode());
          int to = index.get(m.to().deviceNode());
          for (Slice slice : m.from().slices()) {
            modelAllocated[deviceModel[from][slice.device()]] -= slice.milli();
          }
          for (Slice slice : m.to().slices()) {
            modelAllocated[deviceModel[to][slice.device()]] += slice.milli();
          }
          int fromHost = index.get(m.fromNode());
          int toHost = index.get(m.toNode());
          totalFrag += remeasure(measure, cluster, nodes, nodeFrag, fromHost);
          totalFrag += remeasure(measure, cluster, nodes, nodeFrag, toHost);
          if (from != fromHost) {
            totalFrag += remeasure(measure, cluster, nodes, nodeFrag, from);
          }
          if (to != toHost) {
            totalFrag += remeasure(measure, cluster, nodes, nodeFrag, to);
          }
        }
      }
      if (outcome instanceof Outcome.Placed d) {
        placed++;
        // A remote placement's slices are its device node's; its CPU and memory change its host.
        Assignment a = d.assignment();
        int i = index.get(a.deviceNode());
        for (Slice slice : a.slices()) {
          modelAllocated[deviceModel[i][slice.device()]] += slice.milli();
        }
        totalFrag += remeasure(measure, cluster, nodes, nodeFrag, index.get(a.node()));
        if (a.remote()) {
          totalFrag += remeasure(measure, cluster, nodes, nodeFrag, i);
          remote++;
        }
      }
      int bucket = (int) Math.rint(arrived / (double) gpus / 10.0);
      double used = cluster.allocatedMilli();
      allocation.add(bucket, Math.rint(used / gpus / 10.0 * 100) / 100);
      double free = capacity - used;
      fragmentation.add(bucket, free <= 0 ? 0 : 100 * totalFrag / free);
      for (int m = 0; m < models; m++) {
        utilisation[m].add(bucket, 100.0 * modelAllocated[m] / modelCapacity[m]);
      }
    }
    // Whatever the mode, a run ends with a full recomputation of the engine's accounting.
    engine.verifyAccounting();
    assert java.util.Arrays.stream(modelAllocated).sum() == cluster.allocatedMilli()
        : "per-model allocation drifted from the engine's";
    Map<String, double[]> perModel = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : modelIndex.entrySet()) {
      perModel.put(e.getKey(), utilisation[e.getValue()].means());
    }
    return new RunResult(policy, workload.name(), seed, allocation.means(), fragmentation.means(), perModel,
        tasks.size(), placed, System.nanoTime() - start, moves, remote);
  }

  /** Measures node {@code k}'s fragmentation again, keeps it in {@code nodeFrag}, and returns how much it changed. */
  private static double remeasure(FragmentationMeasure measure, ClusterView cluster, List<Node> nodes, double[] nodeFrag,
      int k) {
    double after = measure.fragmentation(cluster.node(nodes.get(k).name()));
    double change = after - nodeFrag[k];
    nodeFrag[k] = after;
    return change;
  }

  /** {@code tasks}, each that asks for devices accepting remote ones with probability {@code share}, seeded. */
  static List<Task> remoteOk(List<Task> tasks, long seed, double share) {
    var random = new SplittableRandom(seed ^ 0x7E307E0C0L);
    var out = new ArrayList<Task>(tasks.size());
    for (Task t : tasks) {
      boolean mayPool = t.accelerators().wantsDevices() && t.numa() != Task.Numa.REQUIRED;
      out.add(mayPool && random.nextDouble() < share ? t.toBuilder().accelerators(t.accelerators().remoteOk(0)).build() : t);
    }
    return out;
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
