package io.flexsched.kubernetes;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real control plane for a test class: etcd and kube-apiserver v1.20.2 on loopback, from the
 * binaries {@code .ci/k8s-binaries.sh} builds (in {@code FLEX_K8S_BIN}, default
 * {@code ~/.cache/flex-k8s/bin}). Use with {@code @ExtendWith(KubeApiServer.Extension.class)} and
 * a {@code KubeApiServer} parameter. Without the binaries, a test fails when
 * {@code FLEX_REQUIRE_K8S=true} (CI) and is skipped, loudly, otherwise.
 */
final class KubeApiServer implements AutoCloseable {
  static final String TOKEN = "flex-test-" + UUID.randomUUID();
  /** The token of the service account deploy/kubernetes/flex-scheduler.yaml binds to its ClusterRole. */
  static final String SCHEDULER_TOKEN = "flex-sa-" + UUID.randomUUID();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final int etcdPort;
  private final int apiPort;
  private Process etcd;
  private Process apiserver;
  private final KubernetesClient client;
  private final List<KubernetesClient> clients = new ArrayList<>();

  private KubeApiServer(Path bin) throws Exception {
    this.bin = bin;
    this.dir = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"), "flex-k8s-");
    this.etcdPort = freePort();
    this.apiPort = freePort();
    Files.writeString(dir.resolve("tokens.csv"), TOKEN + ",flex-admin,flex-admin-uid,\"system:masters\"\n"
        + SCHEDULER_TOKEN + ",system:serviceaccount:flex-system:flex-scheduler,flex-sa-uid,"
        + "\"system:serviceaccounts,system:serviceaccounts:flex-system\"\n");
    writeServiceAccountKey(dir.resolve("sa.key"));
    startEtcd();
    // Should the test JVM die without closing this, etcd and kube-apiserver die with it.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process p : new Process[] {apiserver, etcd}) {
        if (p != null) {
          p.destroyForcibly();
        }
      }
    }));
    startApiServer();
    this.client = newClient();
  }

  static Path binaries() {
    String env = System.getenv("FLEX_K8S_BIN");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "flex-k8s", "bin");
  }

  private void startEtcd() throws IOException {
    int peer = freePort();
    etcd = new ProcessBuilder(bin.resolve("etcd").toString(),
        "--data-dir", dir.resolve("etcd").toString(),
        "--listen-client-urls", "http://127.0.0.1:" + etcdPort, "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
        "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
        "--initial-cluster", "default=http://127.0.0.1:" + peer,
        "--unsafe-no-fsync=true", "--logger", "zap", "--log-level", "error")
        .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
  }

  /** Starts (or restarts) kube-apiserver on the same port and etcd data, and waits until it is ready. */
  void startApiServer() throws Exception {
    apiserver = new ProcessBuilder(bin.resolve("kube-apiserver").toString(),
        "--etcd-servers", "http://127.0.0.1:" + etcdPort,
        "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(apiPort), "--insecure-port", "0",
        "--cert-dir", dir.resolve("certs").toString(),
        "--token-auth-file", dir.resolve("tokens.csv").toString(),
        "--authorization-mode", "RBAC",
        "--service-account-issuer", "https://flex.test", "--service-account-key-file", dir.resolve("sa.key").toString(),
        "--service-account-signing-key-file", dir.resolve("sa.key").toString(),
        "--service-cluster-ip-range", "10.96.0.0/16",
        "--disable-admission-plugins", "ServiceAccount,TaintNodesByCondition",
        "--endpoint-reconciler-type", "none", "--v", "0")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("apiserver.log").toFile())).start();
    waitReady(Duration.ofSeconds(60));
  }

  /** Kills kube-apiserver (etcd and its data stay). */
  void stopApiServer() throws InterruptedException {
    apiserver.destroyForcibly();
    apiserver.waitFor(20, TimeUnit.SECONDS);
  }

  private void waitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!apiserver.isAlive()) {
        fail("kube-apiserver exited with " + apiserver.exitValue() + "; log: " + tail(dir.resolve("apiserver.log")));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    fail("kube-apiserver not ready in " + timeout + ": " + last + "; log: " + tail(dir.resolve("apiserver.log")));
  }

  String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  /** An admin client (closed with the server). */
  KubernetesClient client() {
    return client;
  }

  /** A new admin client, for a component under test (closed with the server). */
  KubernetesClient newClient() {
    return newClient(TOKEN);
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
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: admin
          user: {token: "%s"}
        contexts:
        - name: test
          context: {cluster: test, user: admin, namespace: default}
        current-context: test
        """.formatted(url(), TOKEN));
    return file;
  }

  /** A fresh namespace (deleted namespaces stay Terminating without a controller manager). */
  String namespace(String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    clients.forEach(KubernetesClient::close);
    for (Process p : new Process[] {apiserver, etcd}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static int freePort() throws IOException {
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void writeServiceAccountKey(Path file) throws Exception {
    var gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    byte[] pkcs8 = gen.generateKeyPair().getPrivate().getEncoded();
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
  }

  static SSLContext trustAll() throws Exception {
    var ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return ctx;
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
