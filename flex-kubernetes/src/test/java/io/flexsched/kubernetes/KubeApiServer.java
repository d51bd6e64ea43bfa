package io.flexsched.kubernetes;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real control plane for a test class ({@link LocalControlPlane}: etcd and kube-apiserver
 * v1.20.2 on loopback), with the clients and namespaces tests use. Use with
 * {@code @ExtendWith(KubeApiServer.Extension.class)} and a {@code KubeApiServer} parameter.
 * Without the binaries, a test fails when {@code FLEX_REQUIRE_K8S=true} (CI) and is skipped,
 * loudly, otherwise.
 */
final class KubeApiServer implements AutoCloseable {
  /** The token of the service account deploy/kubernetes/flex-scheduler.yaml binds to its ClusterRole. */
  static final String SCHEDULER_TOKEN = "flex-sa-" + UUID.randomUUID();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final LocalControlPlane plane;
  private final KubernetesClient client;
  private final List<KubernetesClient> clients = new ArrayList<>();

  private KubeApiServer(Path bin) throws Exception {
    this.plane = new LocalControlPlane(bin, Map.of(SCHEDULER_TOKEN,
        "system:serviceaccount:flex-system:flex-scheduler,flex-sa-uid,\"system:serviceaccounts,system:serviceaccounts:flex-system\""));
    this.client = newClient();
  }

  static Path binaries() {
    return LocalControlPlane.binaries();
  }

  /** Starts (or restarts) kube-apiserver on the same port and etcd data, and waits until it is ready. */
  void startApiServer() throws Exception {
    plane.startApiServer();
  }

  /** Kills kube-apiserver (etcd and its data stay). */
  void stopApiServer() throws InterruptedException {
    plane.stopApiServer();
  }

  String url() {
    return plane.url();
  }

  /** An admin client (closed with the server). */
  KubernetesClient client() {
    return client;
  }

  /** A new admin client, for a component under test (closed with the server). */
  KubernetesClient newClient() {
    return newClient(plane.adminToken);
  }

  /** A new client authenticated by {@code token} (closed with the server). */
  KubernetesClient newClient(String token) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withOauthToken(token).withTrustCerts(true)
        .withNamespace("default").withRequestTimeout(10_000).build();
    KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build();
    clients.add(c);
    return c;
  }

  /** A kubeconfig file with the admin token, as a user would pass to {@code --kubeconfig}. */
  Path kubeconfig() throws IOException {
    return plane.kubeconfig();
  }

  /** A fresh namespace (deleted namespaces stay Terminating without a controller manager). */
  String namespace(String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  Path dir() {
    return plane.dir();
  }

  @Override
  public void close() throws Exception {
    clients.forEach(KubernetesClient::close);
    plane.close();
  }

  static int freePort() throws IOException {
    return LocalControlPlane.freePort();
  }

  static SSLContext trustAll() {
    return LocalControlPlane.trustAll();
  }

  /** Starts one control plane per test class and hands it to test methods as a parameter. */
  static final class Extension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KubeApiServer.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      Path bin = binaries();
      boolean present = Files.isExecutable(bin.resolve("etcd")) && Files.isExecutable(bin.resolve("kube-apiserver"))
          && Files.isExecutable(bin.resolve("kube-scheduler"));
      if (!present) {
        String message = "etcd, kube-apiserver and kube-scheduler v1.20.2 are not in " + bin
            + ": build them once with .ci/k8s-binaries.sh (4 to 20 minutes on 2 cores; set FLEX_K8S_BIN to use another directory)";
        if ("true".equalsIgnoreCase(System.getenv("FLEX_REQUIRE_K8S"))) {
          fail(message + " [FLEX_REQUIRE_K8S=true]");
        }
        System.err.println("*** SKIPPED " + context.getDisplayName() + ": " + message);
        Assumptions.abort(message);
      }
      context.getStore(NS).put("server", new KubeApiServer(bin));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
      KubeApiServer server = context.getStore(NS).remove("server", KubeApiServer.class);
      if (server != null) {
        server.close();
      }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
      return p.getParameter().getType() == KubeApiServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
      return c.getStore(NS).get("server", KubeApiServer.class);
    }
  }
}
