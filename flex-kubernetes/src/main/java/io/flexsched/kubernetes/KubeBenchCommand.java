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
 * {@code flex kube-bench}: how fast a scheduler binds pods on a real API server. With
 * {@code --scheduler flex} Flex runs in this process as a secondary scheduler; any other name is
 * a scheduler already serving the cluster (kube-scheduler is {@code default-scheduler}).
 */
@Command(name = "kube-bench", mixinStandardHelpOptions = true,
    description = "Creates fake GPU nodes and pods on the API server, and measures how fast a scheduler binds them.")
final class KubeBenchCommand implements Callable<Integer> {
  @Option(names = "--kubeconfig", required = true, description = "The kubeconfig file to reach the API server with.")
  Path kubeconfig;

  @Option(names = "--scheduler", defaultValue = "flex",
      description = "flex (run in this process), or the name of a running scheduler, e.g. default-scheduler (default ${DEFAULT-VALUE}).")
  String scheduler;

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
    boolean flex = scheduler.equals("flex");
    if (!arrivals.equals("backlog") && !arrivals.equals("stream")) {
      throw new UsageException("--arrivals " + arrivals + ": must be backlog or stream");
    }
    boolean backlog = arrivals.equals("backlog");
    if (backlog && !flex && schedulerCommand == null) {
      throw new UsageException("--arrivals backlog with --scheduler " + scheduler + " needs --scheduler-command to start it");
    }
    if (flex && !io.flexsched.core.Scheduler.scoringPolicies().containsKey(policy)) {
      throw new UsageException("--policy '" + policy + "': must be one of " + io.flexsched.core.Scheduler.scoringPolicies().keySet());
    }
    var plan = new KubeBench.Plan(scheduler, backlog, nodes, pods, gpusPerNode, fractional, createThreads,
        Duration.ofSeconds(settleSeconds), Duration.ofSeconds(timeoutSeconds));
    String ns = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = Kubeconfigs.client(kubeconfig)) {
      var bench = new KubeBench(client);
      bench.createNodes(plan, ns);
      var running = new java.util.ArrayList<AutoCloseable>();
      try {
        String schedulerName = flex ? ns : scheduler;
        Runnable start = () -> {
          if (flex) {
            // Its own client (own connections), so its writes do not queue behind the creates.
            Logger.getLogger(KubeScheduler.class.getPackageName()).setLevel(Level.WARNING);
            var flexScheduler = new KubeScheduler(Kubeconfigs.client(kubeconfig), SchedulerSettings.defaults(ns, policy),
                new SimpleMeterRegistry());
            running.add(flexScheduler);
            flexScheduler.start();
          } else if (schedulerCommand != null) {
            running.add(startProcess(schedulerCommand));
          }
        };
        KubeBench.Result result = bench.run(plan, ns, schedulerName, start);
        KubeBench.header().forEach(line -> System.out.println("# " + line));
        System.out.println(result.line());
      } finally {
        for (AutoCloseable c : running) {
          c.close();
        }
        if (!keep) {
          bench.cleanUp(ns);
        }
      }
    }
    return 0;
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
