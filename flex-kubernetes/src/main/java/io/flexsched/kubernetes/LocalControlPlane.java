package io.flexsched.kubernetes;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * A throwaway control plane on loopback: etcd and kube-apiserver v1.20.2 (and, when asked,
 * kube-scheduler), from the binaries {@code .ci/k8s-binaries.sh} builds into {@code FLEX_K8S_BIN}
 * (default {@code ~/.cache/flex-k8s/bin}). Data lives in a temporary directory (in /dev/shm when
 * there is one) removed on close; the processes die with this JVM should it never close.
 */
final class LocalControlPlane implements AutoCloseable {
  /** The admin token, in group {@code system:masters}. */
  final String adminToken = "flex-admin-" + UUID.randomUUID();

  private final Path bin;
  private final Path dir;
  private final int etcdPort;
  private final int apiPort;
  private final List<Process> processes = new ArrayList<>();
  private @Nullable Process etcd;
  private @Nullable Process apiserver;

  /**
   * Starts etcd and kube-apiserver and waits until the API server is ready.
   *
   * @param extraTokens more tokens the API server accepts, each with its token-file line after the
   *     token ({@code user,uid,"groups"})
   */
  LocalControlPlane(Path bin, Map<String, String> extraTokens) throws IOException, InterruptedException {
    for (String b : List.of("etcd", "kube-apiserver")) {
      if (!Files.isExecutable(bin.resolve(b))) {
        throw new UsageException(bin.resolve(b) + " is missing: build the control plane once with .ci/k8s-binaries.sh"
            + " (4 to 20 minutes on 2 cores; FLEX_K8S_BIN chooses the directory)");
      }
    }
    this.bin = bin;
    this.dir = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"), "flex-k8s-");
    this.etcdPort = freePort();
    this.apiPort = freePort();
    var tokens = new StringBuilder(adminToken + ",flex-admin,flex-admin-uid,\"system:masters\"\n");
    extraTokens.forEach((token, rest) -> tokens.append(token).append(',').append(rest).append('\n'));
    Files.writeString(dir.resolve("tokens.csv"), tokens);
    writeServiceAccountKey(dir.resolve("sa.key"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
    startEtcd();
    startApiServer();
  }

  /** The binaries' directory: {@code FLEX_K8S_BIN}, or {@code ~/.cache/flex-k8s/bin}. */
  static Path binaries() {
    String env = System.getenv("FLEX_K8S_BIN");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "flex-k8s", "bin");
  }

  private void startEtcd() throws IOException {
    int peer = freePort();
    etcd = start("etcd.log", bin.resolve("etcd").toString(),
        "--data-dir", dir.resolve("etcd").toString(),
        "--listen-client-urls", "http://127.0.0.1:" + etcdPort, "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
        "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
        "--initial-cluster", "default=http://127.0.0.1:" + peer,
        "--unsafe-no-fsync=true", "--logger", "zap", "--log-level", "error");
  }

  /** Starts (or restarts) kube-apiserver on the same port and etcd data, and waits until it is ready. */
  void startApiServer() throws IOException, InterruptedException {
    apiserver = start("apiserver.log", bin.resolve("kube-apiserver").toString(),
        "--etcd-servers", "http://127.0.0.1:" + etcdPort,
        "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(apiPort), "--insecure-port", "0",
        "--cert-dir", dir.resolve("certs").toString(),
        "--token-auth-file", dir.resolve("tokens.csv").toString(),
        "--authorization-mode", "RBAC",
        "--service-account-issuer", "https://flex.local", "--service-account-key-file", dir.resolve("sa.key").toString(),
        "--service-account-signing-key-file", dir.resolve("sa.key").toString(),
        "--service-cluster-ip-range", "10.96.0.0/16",
        "--disable-admission-plugins", "ServiceAccount,TaintNodesByCondition",
        "--endpoint-reconciler-type", "none", "--v", "0");
    waitReady(Duration.ofSeconds(60));
  }

  /** Kills kube-apiserver (etcd and its data stay). */
  void stopApiServer() throws InterruptedException {
    if (apiserver != null) {
      apiserver.destroyForcibly();
      apiserver.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts kube-scheduler as {@code default-scheduler} against this API server, with client QPS
   * {@code qps} (burst twice that) and no leader election. It stops with the control plane.
   */
  void startKubeScheduler(int qps) throws IOException {
    Path config = dir.resolve("kube-scheduler.yaml");
    Files.writeString(config, """
        apiVersion: kubescheduler.config.k8s.io/v1beta1
        kind: KubeSchedulerConfiguration
        clientConnection:
          kubeconfig: %s
          qps: %d
          burst: %d
        leaderElection:
          leaderElect: false
        healthzBindAddress: 127.0.0.1:%d
        metricsBindAddress: 127.0.0.1:%d
        """.formatted(kubeconfig(), qps, 2 * qps, freePort(), freePort()));
    start("kube-scheduler.log", bin.resolve("kube-scheduler").toString(), "--config", config.toString(),
        "--bind-address=127.0.0.1", "--secure-port=" + freePort(), "--port=0", "--authentication-skip-lookup=true", "--v=0");
  }

  private Process start(String log, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile())).start();
    processes.add(p);
    return p;
  }

  private void waitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!apiserver.isAlive()) {
        throw new IllegalStateException("kube-apiserver exited with " + apiserver.exitValue() + "; log: " + tail(dir.resolve("apiserver.log")));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
            .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("kube-apiserver not ready in " + timeout + ": " + last + "; log: " + tail(dir.resolve("apiserver.log")));
  }

  String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  Path dir() {
    return dir;
  }

  /** A kubeconfig file with the admin token, as a user passes to {@code --kubeconfig}. */
  Path kubeconfig() throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: admin
          user: {token: "%s"}
        contexts:
        - name: local
          context: {cluster: local, user: admin, namespace: default}
        current-context: local
        """.formatted(url(), adminToken));
    return file;
  }

  /** The tokens a test adds beside the admin's: none. */
  static Map<String, String> noTokens() {
    return new LinkedHashMap<>();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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

  private static void writeServiceAccountKey(Path file) throws IOException {
    try {
      var gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      byte[] pkcs8 = gen.generateKeyPair().getPrivate().getEncoded();
      Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trusts the API server's self-signed certificate: it listens on loopback only. */
  static SSLContext trustAll() {
    try {
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
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
