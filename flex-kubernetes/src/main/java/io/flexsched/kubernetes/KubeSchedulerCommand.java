package io.flexsched.kubernetes;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flex kube-scheduler}: Flex as a secondary scheduler of a Kubernetes cluster. */
@Command(name = "kube-scheduler", mixinStandardHelpOptions = true,
    description = "Schedules the pods whose spec.schedulerName is --scheduler-name, until SIGTERM.")
final class KubeSchedulerCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(KubeSchedulerCommand.class.getName());

  @Option(names = "--kubeconfig", description = "The kubeconfig file to reach the API server with (in a pod: the pod's service account when absent).")
  @Nullable Path kubeconfig;

  @Option(names = "--scheduler-name", defaultValue = "flex", description = "Pods naming it are scheduled (default ${DEFAULT-VALUE}).")
  String schedulerName;

  @Option(names = "--policy", defaultValue = "fgd", description = "The scoring policy (default ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--config", description = "YAML: queues, gpuProducts, topologyLabels, preemption.")
  @Nullable Path config;

  @Option(names = "--leader-elect", description = "Bind only while holding the Lease --lease-namespace/--scheduler-name.")
  boolean leaderElect;

  @Option(names = "--lease-namespace", defaultValue = "kube-system", description = "The Lease's namespace (default ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(names = "--metrics-port", defaultValue = "-1", description = "Serve Prometheus metrics on 127.0.0.1:N/metrics.")
  int metricsPort;

  @Option(names = "--metrics-address", defaultValue = "127.0.0.1", description = "The metrics endpoint's address (default ${DEFAULT-VALUE}).")
  String metricsAddress;

  @Override
  public Integer call() throws Exception {
    if (metricsPort > 65_535 || metricsPort < -1) {
      throw new UsageException("--metrics-port " + metricsPort + ": must be 0..65535");
    }
    SchedulerSettings settings = SchedulerSettings.defaults(schedulerName, policy);
    if (config != null) {
      settings = Kubeconfigs.readConfig(settings, config);
    }
    KubernetesClient client = Kubeconfigs.client(kubeconfig);
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer metrics = metricsPort >= 0 ? serveMetrics(registry) : null;
    var done = new CountDownLatch(1);
    var scheduler = new KubeScheduler(client, settings, registry);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      scheduler.close();
      if (metrics != null) {
        metrics.stop(0);
      }
      done.countDown();
    }));
    if (leaderElect) {
      String identity = InetAddress.getLocalHost().getHostName() + "_" + UUID.randomUUID();
      client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
          .withName(schedulerName)
          .withLock(new LeaseLock(leaseNamespace, schedulerName, identity))
          .withLeaseDuration(Duration.ofSeconds(15)).withRenewDeadline(Duration.ofSeconds(10))
          .withRetryPeriod(Duration.ofSeconds(2))
          .withLeaderCallbacks(new LeaderCallbacks(
              () -> {
                LOG.info("leading as " + identity);
                scheduler.start();
              },
              () -> {
                // As kube-scheduler does: a scheduler that lost its lease stops at once, so two never bind.
                LOG.severe("lost the lease; exiting");
                Runtime.getRuntime().halt(1);
              },
              leader -> LOG.info("leader is " + leader)))
          .build()).build().start();
    } else {
      scheduler.start();
    }
    done.await();
    return 0;
  }

  private HttpServer serveMetrics(PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(metricsAddress, metricsPort), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    LOG.info("metrics on http://" + metricsAddress + ":" + server.getAddress().getPort() + "/metrics");
    return server;
  }
}
