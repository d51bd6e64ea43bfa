package io.flexsched.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.sim.TraceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The allocation bound against the truth: an exhaustive search of every subset and placement on
 * small seeded instances, every built-in policy replaying the same arrivals, hand-made instances
 * where a cut decides, and FGD on the trace.
 */
class AllocationBoundTest {
  private static final List<String> MODELS = List.of("T4", "V100M16");
  private static final int[] ALL_BUCKETS = IntStream.rangeClosed(0, PaperReplay.MAX_BUCKET).toArray();

  @Test
  void theBoundIsAtLeastTheExactOptimumOnSmallRandomInstances() {
    int binding = 0;
    int tight = 0;
    for (long seed = 1; seed <= 150; seed++) {
      var random = new SplittableRandom(seed);
      List<Node> nodes = randomNodes(random);
      List<Task> tasks = randomTasks(random, 3 + random.nextInt(5));
      long exact = new ExactPlacement(nodes).best(tasks);
      long lp = AllocationBound.maxAllocatedMilli(nodes, tasks, false);
      long mip = AllocationBound.maxAllocatedMilli(nodes, tasks, true);
      long arrived = tasks.stream().mapToLong(t -> t.accelerators().totalMilli()).sum();
      assertThat(lp).as("seed %d: LP bound vs exact optimum of %s on %s", seed, tasks, nodes).isGreaterThanOrEqualTo(exact);
      assertThat(mip).as("seed %d: MIP bound vs exact optimum", seed).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(lp);
      assertThat(lp).as("seed %d: never above the arrivals", seed).isLessThanOrEqualTo(arrived);
      if (exact < arrived) {
        binding++;
        tight += lp == exact ? 1 : 0;
      }
    }
    System.out.printf("bound vs exact: %d of 150 instances cannot place everything; the LP bound is exact on %d%n", binding, tight);
    // The instances must exercise the bound, not only the everything-fits case.
    assertThat(binding).isGreaterThan(50);
  }

  @Test
  void theBoundIsAtLeastWhatEveryPolicyAllocatesReplayingTheSameArrivals() {
    List<String> policies = List.copyOf(Scheduler.scoringPolicies().keySet());
    assertThat(policies).contains("fgd", "bestfit", "random");
    for (long seed = 1; seed <= 12; seed++) {
      var random = new SplittableRandom(seed);
      Workload w = new Workload("random-" + seed, randomNodes(random), randomTasks(random, 6 + random.nextInt(6)));
      List<AllocationBound.Point> bound = AllocationBound.run(w, seed, ALL_BUCKETS, false, 10_000);
      for (String policy : policies) {
        double[] allocation = PaperReplay.run(w, policy, seed).allocation();
        for (int b : ALL_BUCKETS) {
          AllocationBound.Point p = bound.get(b);
          assertThat(Double.isNaN(p.bound())).as("seed %d bucket %d: empty in both", seed, b).isEqualTo(Double.isNaN(allocation[b]));
          if (!Double.isNaN(allocation[b])) {
            assertThat(p.bound()).as("seed %d, %s at bucket %d", seed, policy, b).isGreaterThanOrEqualTo(allocation[b]);
          }
        }
      }
    }
  }

  @Test
  void skippingTheSolvesBelowTheFirstBucketThatFitsChangesNoBound() {
    for (long seed = 20; seed <= 25; seed++) {
      var random = new SplittableRandom(seed);
      Workload w = new Workload("random-" + seed, randomNodes(random), randomTasks(random, 8));
      List<AllocationBound.Point> together = AllocationBound.run(w, seed, ALL_BUCKETS, false, 10_000);
      for (int b : ALL_BUCKETS) {
        AllocationBound.Point alone = AllocationBound.run(w, seed, new int[] {b}, false, 10_000).get(0);
        assertThat(Double.valueOf(together.get(b).bound())).as("seed %d bucket %d", seed, b).isEqualTo(Double.valueOf(alone.bound()));
      }
    }
  }

  @Test
  void byBucketIsTheMeanOverSeedsOfEachRunsBound() {
    var random = new SplittableRandom(31);
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < 12; i++) {
      nodes.add(Node.of("n" + i, 32000, 131072, MODELS.get(i % 2), 4));
    }
    // Shares only, so every bucket (48 GPUs: 480 milli each) has events.
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < 80; i++) {
      tasks.add(share("s" + i, 100 * (1 + random.nextInt(4))));
    }
    Workload w = new Workload("shares", nodes, tasks);
    int[] buckets = {130, 60, 100};
    double[] means = AllocationBound.byBucket(w, List.of(3L, 4L, 5L), buckets);
    for (int i = 0; i < buckets.length; i++) {
      double sum = 0;
      for (long seed = 3; seed <= 5; seed++) {
        sum += AllocationBound.run(w, seed, new int[] {buckets[i]}, false, 10_000).get(0).bound();
      }
      assertThat(Double.isNaN(sum)).as("bucket %d has events", buckets[i]).isFalse();
      assertThat(means[i]).as("bucket %d", buckets[i]).isCloseTo(sum / 3, org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  @Test
  void whenEverythingFitsTheBoundIsEverythingArrived() {
    List<Node> nodes = List.of(Node.of("a", 8000, 32768, "T4", 2), Node.of("b", 8000, 32768, "T4", 2));
    List<Task> tasks = List.of(share("s1", 500), share("s2", 500), share("s3", 300), whole("w1", 1), whole("w2", 1));
    assertThat(AllocationBound.maxAllocatedMilli(nodes, tasks, false)).isEqualTo(500 + 500 + 300 + 2000);
    // In a replay, the buckets before the first failure equal the arrivals, as every policy's do.
    var random = new SplittableRandom(7);
    Workload w = new Workload("fits", randomNodes(random), randomTasks(random, 10));
    List<AllocationBound.Point> points = AllocationBound.run(w, 7, ALL_BUCKETS, false, 10_000);
    double[] fgd = PaperReplay.run(w, "fgd", 7).allocation();
    for (AllocationBound.Point p : points) {
      if (p.status().equals("fits")) {
        assertThat(p.bound()).as("bucket %d", p.bucket()).isEqualTo(fgd[p.bucket()]);
      }
    }
    assertThat(points.get(0).status()).isEqualTo("fits");
  }

  @Test
  void twoSharesAboveHalfCannotShareOneDevice() {
    List<Node> one = List.of(Node.of("a", 64000, 262144, "T4", 1));
    // Pooled milli alone would allow 1000 of the 1200; each needs a device of its own.
    assertThat(AllocationBound.maxAllocatedMilli(one, List.of(share("a", 600), share("b", 600)), false)).isEqualTo(600);
    // Three 400s: any two fit, three do not (u_2 counts each as half a device).
    assertThat(AllocationBound.maxAllocatedMilli(one, List.of(share("a", 400), share("b", 400), share("c", 400)), false))
        .isEqualTo(800);
    // A 700 pairs with neither 350: the 700 or the two 350s, not both.
    assertThat(AllocationBound.maxAllocatedMilli(one, List.of(share("a", 700), share("b", 350), share("c", 350)), false))
        .isEqualTo(700);
    // A task restricted to another model, or asking more devices than a node has, places nothing.
    Task v100 = Task.builder("v").accelerators(AcceleratorRequest.whole(1).onModels(Set.of("V100M16"))).build();
    assertThat(AllocationBound.maxAllocatedMilli(one, List.of(v100, whole("two", 2)), false)).isZero();
    // Two CPU-heavy tasks on one node with two devices: at most one fits.
    List<Node> cpu = List.of(Node.of("c", 8000, 262144, "T4", 2));
    Task heavy1 = Task.builder("h1").cpuMilli(5000).accelerators(AcceleratorRequest.whole(1)).build();
    Task heavy2 = Task.builder("h2").cpuMilli(5000).accelerators(AcceleratorRequest.whole(1)).build();
    assertThat(AllocationBound.maxAllocatedMilli(cpu, List.of(heavy1, heavy2), false)).isEqualTo(1000);
  }

  @Test
  void aMipStoppedByItsTimeLimitReportsItsDualBoundNeverAPrimalValue() {
    Workload w = BuiltInWorkload.load();
    AllocationBound.Point proven = AllocationBound.run(w, 42, new int[] {100}, true, 120_000).get(0);
    AllocationBound.Point stopped = AllocationBound.run(w, 42, new int[] {100}, true, 1).get(0);
    AllocationBound.Point lp = AllocationBound.run(w, 42, new int[] {100}, false, 120_000).get(0);
    System.out.printf("built-in, seed 42, 100%%: MIP %.2f (%s), after 1 ms %.2f (%s), LP %.2f%n",
        proven.bound(), proven.status(), stopped.bound(), stopped.status(), lp.bound());
    assertThat(proven.status()).isEqualTo("optimal");
    assertThat(stopped.status()).isIn("dual", "arrivals");
    assertThat(stopped.bound()).isGreaterThanOrEqualTo(proven.bound());
    assertThat(lp.bound()).isGreaterThanOrEqualTo(proven.bound());
  }

  @Test
  void onTheDefaultTraceTheBoundIsAboveFgdAndBelowFullAtSeed42() {
    Path dir = TraceFiles.dir();
    Workload w = Workload.fromTrace(dir.resolve("openb_node_list_gpu_node.csv"), dir.resolve("openb_pod_list_default.csv"));
    AllocationBound.Point p = AllocationBound.run(w, 42, new int[] {100}, false, 60_000).get(0);
    double fgd = PaperReplay.run(w, "fgd", 42).allocation()[100];
    System.out.printf("default trace, seed 42, 100%%: bound %.2f (%s), fgd %.2f%n", p.bound(), p.status(), fgd);
    assertThat(p.status()).isEqualTo("optimal");
    assertThat(p.bound()).isGreaterThanOrEqualTo(fgd).isLessThan(100.0);
    // The GPU-only relaxation's figure is about 97.5: this one has more constraints, so no more.
    assertThat(p.bound()).isLessThanOrEqualTo(97.6);
  }

  private static List<Node> randomNodes(SplittableRandom random) {
    var nodes = new ArrayList<Node>();
    int count = 1 + random.nextInt(3);
    int cards = 0;
    for (int i = 0; i < count && cards < 5; i++) {
      int gpus = 1 + random.nextInt(Math.min(3, 6 - cards));
      cards += gpus;
      nodes.add(Node.of("n" + i, 4000L * (1 + random.nextInt(3)), 16384L * (1 + random.nextInt(2)),
          MODELS.get(random.nextInt(MODELS.size())), gpus));
    }
    return nodes;
  }

  private static List<Task> randomTasks(SplittableRandom random, int count) {
    int[] shares = {100, 200, 250, 300, 400, 500, 600, 700, 750, 800, 900};
    var tasks = new ArrayList<Task>();
    for (int i = 0; i < count; i++) {
      AcceleratorRequest r = random.nextInt(3) == 0
          ? AcceleratorRequest.whole(1 + random.nextInt(2))
          : AcceleratorRequest.share(1, shares[random.nextInt(shares.length)], 0);
      if (random.nextInt(4) == 0) {
        r = r.onModels(Set.of(MODELS.get(random.nextInt(MODELS.size()))));
      }
      tasks.add(Task.builder("t" + i).cpuMilli(1000L * random.nextInt(5)).memoryMiB(4096L * random.nextInt(5))
          .accelerators(r).build());
    }
    return tasks;
  }

  private static Task share(String id, int milli) {
    return Task.builder(id).cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.share(1, milli, 0)).build();
  }

  private static Task whole(String id, int count) {
    return Task.builder(id).cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.whole(count)).build();
  }

  /** The exact optimum by exhaustive search: each task skipped, or on every node and device it fits. */
  private static final class ExactPlacement {
    private final List<Node> nodes;
    private final long[] cpu;
    private final long[] mem;
    private final int[][] free;

    ExactPlacement(List<Node> nodes) {
      this.nodes = nodes;
      cpu = nodes.stream().mapToLong(Node::cpuMilli).toArray();
      mem = nodes.stream().mapToLong(Node::memoryMiB).toArray();
      free = new int[nodes.size()][];
      for (int i = 0; i < free.length; i++) {
        free[i] = new int[nodes.get(i).devices().size()];
        Arrays.fill(free[i], DeviceModel.WHOLE_MILLI);
      }
    }

    long best(List<Task> tasks) {
      return search(tasks, 0);
    }

    private long search(List<Task> tasks, int i) {
      if (i == tasks.size()) {
        return 0;
      }
      Task task = tasks.get(i);
      AcceleratorRequest r = task.accelerators();
      long best = search(tasks, i + 1);
      for (int n = 0; n < nodes.size(); n++) {
        if (cpu[n] < task.cpuMilli() || mem[n] < task.memoryMiB() || !r.allows(nodes.get(n).devices().get(0).model())) {
          continue;
        }
        cpu[n] -= task.cpuMilli();
        mem[n] -= task.memoryMiB();
        if (r.isWhole()) {
          // Fully free devices are interchangeable: take the first ones.
          var taken = new ArrayList<Integer>();
          for (int d = 0; d < free[n].length && taken.size() < r.count(); d++) {
            if (free[n][d] == DeviceModel.WHOLE_MILLI) {
              taken.add(d);
            }
          }
          if (taken.size() == r.count()) {
            for (int d : taken) {
              free[n][d] = 0;
            }
            best = Math.max(best, r.totalMilli() + search(tasks, i + 1));
            for (int d : taken) {
              free[n][d] = DeviceModel.WHOLE_MILLI;
            }
          }
        } else {
          for (int d = 0; d < free[n].length; d++) {
            if (free[n][d] >= r.milliPerDevice()) {
              free[n][d] -= r.milliPerDevice();
              best = Math.max(best, r.totalMilli() + search(tasks, i + 1));
              free[n][d] += r.milliPerDevice();
            }
          }
        }
        cpu[n] += task.cpuMilli();
        mem[n] += task.memoryMiB();
      }
      return best;
    }
  }
}
