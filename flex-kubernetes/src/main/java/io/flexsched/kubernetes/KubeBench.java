package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One throughput run on a real API server: fake GPU nodes (no kubelet needed, their status is
 * written on create), then pods created as fast as the server takes them, while a scheduler
 * binds them. Times come from this process's own watch: a pod's latency runs from the start of
 * its create call to the first time it is seen bound; throughput is pods bound over the time
 * from the first create to the last binding.
 */
final class KubeBench {
  /**
   * What one run is asked to do.
   *
   * @param workload {@code uniform}: nodes of {@code gpusPerNode} V100s, pods of one GPU or (the
   *     {@code fractional} share of them) half of one; {@code trace}: nodes sampled evenly from the
   *     built-in cluster shaped like the Alibaba trace's, pods drawn from its task shapes (seed 42)
   */
  record Plan(String scheduler, boolean backlog, String workload, int nodes, int pods, int gpusPerNode, double fractional,
      int createThreads, Duration settle, Duration timeout) {}

  /** What one run measured. */
  record Result(String scheduler, boolean backlog, int nodes, int pods, int bound, int fractionalAsked, int fractionalBound,
      double seconds, double createSeconds, long firstMillis, long p50Millis, long p99Millis, double gpuAllocated,
      int overCommitted) {
    double podsPerSecond() {
      return seconds == 0 ? 0 : bound / seconds;
    }

    String line() {
      return String.format(java.util.Locale.ROOT,
          "%-18s %-7s nodes=%d pods=%d bound=%d fractional=%d/%d seconds=%.1f pods/s=%.0f create/s=%.0f first=%dms p50=%dms p99=%dms gpu=%.1f%% overcommitted=%d",
          scheduler, backlog ? "backlog" : "stream", nodes, pods, bound, fractionalBound, fractionalAsked, seconds, podsPerSecond(),
          createSeconds == 0 ? 0 : pods / createSeconds, firstMillis, p50Millis, p99Millis, gpuAllocated, overCommitted);
    }
  }

  private final KubernetesClient client;
  private final BenchObjects objects;

  KubeBench(KubernetesClient client, Plan plan) {
    this.client = client;
    this.objects = new BenchObjects(plan);
  }

  /**
   * Runs {@code plan} in a fresh namespace {@code ns}; pods name {@code schedulerName}, which
   * {@code startScheduler} brings up: after every pod exists for a backlog run (the time runs from
   * the scheduler's start), before the first create for a stream run (from the first create).
   */
  Result run(Plan plan, String ns, String schedulerName, Runnable startScheduler) throws InterruptedException {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    long[] created = new long[plan.pods()];
    var boundAt = new ConcurrentHashMap<String, Long>();
    SharedIndexInformer<Pod> watch = client.pods().inNamespace(ns).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        seen(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        seen(after);
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {}

      private void seen(Pod pod) {
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
          boundAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
        }
      }
    }, 0);
    try {
      if (!plan.backlog()) {
        startScheduler.run();
      }
      long firstCreate = System.nanoTime();
      parallel(plan.createThreads(), plan.pods(), i -> {
        created[i] = System.nanoTime();
        client.pods().resource(objects.pod(ns, schedulerName, i)).create();
      });
      double createSeconds = (System.nanoTime() - firstCreate) / 1e9;
      long start = firstCreate;
      if (plan.backlog()) {
        start = System.nanoTime();
        Arrays.fill(created, start);
        startScheduler.run();
      }
      awaitBindings(plan, boundAt::size, start);
      return measure(plan, created, boundAt, start, createSeconds, OverCommits.count(client, ns, objects.nodes(ns)));
    } finally {
      watch.close();
    }
  }

  /** Creates the plan's nodes, labelled {@code flexsched.io/bench=ns} so they can be removed. */
  void createNodes(Plan plan, String ns) throws InterruptedException {
    List<Node> nodes = objects.nodes(ns);
    parallel(plan.createThreads(), plan.nodes(), i -> client.nodes().resource(nodes.get(i)).create());
  }

  /** Removes what a run created (pods at once, as no kubelet will stop them; then the nodes). */
  void cleanUp(String ns) {
    client.pods().inNamespace(ns).withGracePeriod(0).delete();
    client.nodes().withLabel("flexsched.io/bench", ns).delete();
  }

  private void awaitBindings(Plan plan, Supplier<Integer> bound, long start) throws InterruptedException {
    long deadline = start + plan.timeout().toNanos();
    int last = -1;
    long lastChange = System.nanoTime();
    while (bound.get() < plan.pods() && System.nanoTime() < deadline) {
      int now = bound.get();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > plan.settle().toNanos()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private Result measure(Plan plan, long[] created, Map<String, Long> boundAt, long start, double createSeconds, int overCommitted) {
    long[] latencies = new long[boundAt.size()];
    long lastBound = start;
    int k = 0;
    int fractionalAsked = 0;
    int fractionalBound = 0;
    double gpus = 0;
    for (int i = 0; i < plan.pods(); i++) {
      boolean share = objects.fractional(i);
      fractionalAsked += share ? 1 : 0;
      Long at = boundAt.get("p-" + i);
      if (at != null) {
        latencies[k++] = (at - created[i]) / 1_000_000;
        lastBound = Math.max(lastBound, at);
        fractionalBound += share ? 1 : 0;
        gpus += objects.gpus(i);
      }
    }
    Arrays.sort(latencies, 0, k);
    return new Result(plan.scheduler(), plan.backlog(), plan.nodes(), plan.pods(), k, fractionalAsked, fractionalBound,
        (lastBound - start) / 1e9, createSeconds, k == 0 ? 0 : latencies[0], percentile(latencies, k, 0.50), percentile(latencies, k, 0.99),
        100.0 * gpus / objects.totalGpus(), overCommitted);
  }

  static long percentile(long[] sorted, int n, double q) {
    return n == 0 ? 0 : sorted[Math.min(n - 1, (int) Math.ceil(q * n) - 1)];
  }

  /** Runs {@code work(0..n-1)} on {@code threads} threads; the first failure is rethrown. */
  private static void parallel(int threads, int n, java.util.function.IntConsumer work) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    var failures = new ArrayList<RuntimeException>();
    var next = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
          try {
            work.accept(i);
          } catch (RuntimeException e) {
            synchronized (failures) {
              failures.add(e);
            }
            return;
          }
        }
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
      pool.shutdownNow();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  static List<String> header() {
    return List.of("scheduler, arrivals (backlog: every pod exists before the scheduler starts; stream: created while it runs),",
        "nodes, pods, pods bound, half-GPU pods bound/asked, seconds from the scheduler's start (backlog) or the first create",
        "(stream) to the last binding, bound pods/s, pod creates/s, latency of the first binding, p50 and p99, from the same start (backlog) or from",
        "each pod's create (stream), GPUs allocated, nodes over-committed (CPU, memory or a GPU, from the bound pods as the API server has them)");
  }
}
