package io.flexsched.kubernetes;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flex kube-extender}: Flex behind kube-scheduler's extender protocol. */
@Command(name = "kube-extender", mixinStandardHelpOptions = true,
    description = "Serves filter, prioritize, bind and preempt to kube-scheduler, until SIGTERM.")
final class KubeExtenderCommand implements Callable<Integer> {
  @Option(names = "--kubeconfig", description = "The kubeconfig file to reach the API server with (in a pod: the pod's service account when absent).")
  @Nullable Path kubeconfig;

  @Option(names = "--port", required = true, description = "The port to listen on.")
  int port;

  @Option(names = "--address", defaultValue = "127.0.0.1", description = "The address to listen on (default ${DEFAULT-VALUE}).")
  String address;

  @Option(names = "--policy", defaultValue = "fgd", description = "The scoring policy (default ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--config", description = "YAML: queues, gpuProducts, topologyLabels, preemption.")
  @Nullable Path config;

  @Option(names = "--tls-keystore", description = "A PKCS#12 keystore: serve HTTPS with its key and certificate.")
  @Nullable Path keystore;

  @Option(names = "--tls-keystore-password", defaultValue = "", description = "The keystore's password.")
  String keystorePassword;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65_535) {
      throw new UsageException("--port " + port + ": must be 0..65535");
    }
    SchedulerSettings settings = SchedulerSettings.defaults("flex-extender", policy);
    if (config != null) {
      settings = Kubeconfigs.readConfig(settings, config);
    }
    SSLContext tls = keystore == null ? null : tls(keystore, keystorePassword.toCharArray());
    var scheduler = new KubeScheduler(Kubeconfigs.client(kubeconfig), settings, new SimpleMeterRegistry());
    scheduler.start();
    var server = new ExtenderServer(scheduler, new InetSocketAddress(address, port), tls);
    var done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      scheduler.close();
      done.countDown();
    }));
    done.await();
    return 0;
  }

  static SSLContext tls(Path file, char[] password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (Exception e) {
      throw new UsageException("--tls-keystore " + file + ": cannot be used (" + Kubeconfigs.firstLine(e.getMessage()) + ")");
    }
  }
}
