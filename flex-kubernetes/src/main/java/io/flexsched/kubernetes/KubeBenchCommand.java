package io.flexsched.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flex kube-bench}: how fast schedulers bind the same pods on a real API server. Without
 * {@code --kubeconfig} each scheduler gets a throwaway control plane of its own (etcd and
 * kube-apiserver v1.20.2 on loopback; kube-scheduler itself for {@code default-scheduler}), so
 * that no run inherits another's objects or load. With {@code --scheduler flex} Flex runs in this
 * process as a secondary scheduler; any other name is a scheduler started by
 * {@code --scheduler-command} or already serving the cluster.
 */
@Command(name = "kube-bench", mixinStandardHelpOptions = true,
    description = "Creates fake GPU nodes and pods on a real API server, and measures how fast schedulers bind them.")
final class KubeBenchCommand implements Callable<Integer> {
  @Option(names = "--kubeconfig", description = "The API server to use; without it, a throwaway local control plane "
      + "per scheduler (binaries from .ci/k8s-binaries.sh in FLEX_K8S_BIN, default ~/.cache/flex-k8s/bin).")
  Path kubeconfig;

  @Option(names = "--scheduler", split = ",", description = "Schedulers to compare, in order: flex (run in this process) "
      + "or a scheduler's name, e.g. default-scheduler (default: flex,default-scheduler on local control planes; flex with --kubeconfig).")
  java.util.List<String> schedulers;

  @Option(names = "--workload", defaultValue = "trace", description = "trace (nodes sampled from the built-in cluster shaped "
      + "like the Alibaba trace's, pods drawn from its task shapes) or uniform (--gpus-per-node V100s, one-GPU pods, "
      + "--fractional of them half a GPU) (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(names = "--kube-scheduler-qps", defaultValue = "50", description = "Client QPS of the kube-scheduler a local "
      + "control plane starts (burst twice it; kube-scheduler's own default is 50) (default ${DEFAULT-VALUE}).")
  int kubeSchedulerQps;

  @Option(names = "--scheduler-command", description = "For a scheduler other than flex: the command line that starts it "
      + "(run, then killed, by the bench; split at spaces). Without it, that scheduler must be running already.")
  String schedulerCommand;

  @Option(names = "--arrivals", defaultValue = "backlog", description = "backlog (every pod created before the scheduler "
      + "starts; needs flex or --scheduler-command) or stream (created while it runs) (default ${DEFAULT-VALUE}).")
  String arrivals;

  @Option(names = "--policy", defaultValue = "fgd", description = "Flex's scoring policy (default ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--nodes", defaultValue = "1000", description = "Fake nodes to create (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--pods", defaultValue = "4000", description = "Pods to create (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--gpus-per-node", defaultValue = "8", description = "GPUs of each node (default ${DEFAULT-VALUE}).")
  int gpusPerNode;

  @Option(names = "--fractional", defaultValue = "0", description = "Share of pods asking for half a GPU, 0..1 (default ${DEFAULT-VALUE}).")
  double fractional;

  @Option(names = "--create-threads", defaultValue = "16", description = "Concurrent creates (default ${DEFAULT-VALUE}).")
  int createThreads;

  @Option(names = "--settle", defaultValue = "15", description = "Seconds without a new binding after which the run ends (default ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Option(names = "--timeout", defaultValue = "600", description = "Seconds a run may take at most (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--keep", description = "Leave the nodes and pods in place.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    check("--nodes", nodes, 1, 1_000_000);
    check("--pods", pods, 1, 10_000_000);
    check("--gpus-per-node", gpusPerNode, 1, 64);
    check("--create-threads", createThreads, 1, 256);
    check("--settle", settleSeconds, 1, 3600);
    check("--timeout", timeoutSeconds, 1, 86_400);
    if (!(fractional >= 0 && fractional <= 1)) {
      throw new UsageException("--fractional " + fractional + ": must be 0..1");
    }
    check("--kube-scheduler-qps", kubeSchedulerQps, 1, 100_000);
    if (!workload.equals("trace") && !workload.equals("uniform")) {
      throw new UsageException("--workload " + workload + ": must be trace or uniform");
    }
    if (!arrivals.equals("backlog") && !arrivals.equals("stream")) {
      throw new UsageException("--arrivals " + arrivals + ": must be backlog or stream");
    }
    boolean backlog = arrivals.equals("backlog");
    var names = schedulers != null ? schedulers : kubeconfig == null ? java.util.List.of("flex", "default-scheduler") : java.util.List.of("flex");
    for (String name : names) {
      boolean startable = name.equals("flex") || schedulerCommand != null || (kubeconfig == null && name.equals("default-scheduler"));
      if (backlog && !startable) {
        throw new UsageException("--arrivals backlog with --scheduler " + name + " needs --scheduler-command to start it");
      }
    }
    if (names.contains("flex") && !io.flexsched.core.Scheduler.scoringPolicies().containsKey(policy)) {
      throw new UsageException("--policy '" + policy + "': must be one of " + io.flexsched.core.Scheduler.scoringPolicies().keySet());
    }
    KubeBench.header().forEach(line -> System.out.println("# " + line));
    for (String name : names) {
      var plan = new KubeBench.Plan(name, backlog, workload, nodes, pods, gpusPerNode, fractional, createThreads,
          Duration.ofSeconds(settleSeconds), Duration.ofSeconds(timeoutSeconds));
      if (kubeconfig != null) {
        System.out.println(run(plan, kubeconfig, null).line());
      } else {
        try (var plane = new LocalControlPlane(LocalControlPlane.binaries(), LocalControlPlane.noTokens())) {
          System.out.println(run(plan, plane.kubeconfig(), plane).line());
        }
      }
    }
    return 0;
  }

  /** One run of {@code plan} on the API server of {@code config}; {@code plane} starts kube-scheduler when it is local. */
  private KubeBench.Result run(KubeBench.Plan plan, Path config, LocalControlPlane plane) throws Exception {
    boolean flex = plan.scheduler().equals("flex");
    String ns = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = Kubeconfigs.client(config)) {
      var bench = new KubeBench(client, plan);
      bench.createNodes(plan, ns);
      var running = new java.util.ArrayList<AutoCloseable>();
      try {
        String schedulerName = flex ? ns : plan.scheduler();
        Runnable start = () -> {
          if (flex) {
            // Its own client (own connections), so its writes do not queue behind the creates.
            Logger.getLogger(KubeScheduler.class.getPackageName()).setLevel(Level.WARNING);
            SchedulerSettings settings = SchedulerSettings.defaults(ns, policy);
            if (plan.workload().equals("trace")) {
              settings = settings.withGpuProducts(BenchObjects.products());
            }
            var flexScheduler = new KubeScheduler(Kubeconfigs.client(config), settings, new SimpleMeterRegistry());
            running.add(flexScheduler);
            flexScheduler.start();
          } else if (schedulerCommand != null) {
            running.add(startProcess(schedulerCommand));
          } else if (plane != null) {
            try {
              plane.startKubeScheduler(kubeSchedulerQps);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
        return bench.run(plan, ns, schedulerName, start);
      } finally {
        for (AutoCloseable c : running) {
          c.close();
        }
        if (!keep) {
          bench.cleanUp(ns);
        }
      }
    }
  }

  private static AutoCloseable startProcess(String command) {
    Process p;
    try {
      p = new ProcessBuilder(command.trim().split("\\s+")).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (java.io.IOException e) {
      throw new UsageException("--scheduler-command: cannot start (" + e.getMessage() + ")");
    }
    return () -> {
      p.destroy();
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    };
  }

  private static void check(String flag, long value, long min, long max) {
    if (value < min || value > max) {
      throw new UsageException(String.format(Locale.ROOT, "%s %d: must be %d..%d", flag, value, min, max));
    }
  }
}
