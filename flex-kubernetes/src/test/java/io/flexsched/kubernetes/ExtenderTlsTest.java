package io.flexsched.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extender over TLS, from a PKCS#12 keystore; a malformed request is answered 400 before any engine work. */
class ExtenderTlsTest {
  @Test
  void servesHttpsFromAKeystoreAndAnswersMalformedRequests400(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("extender.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "flex", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "secret1", "-keypass", "secret1")
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    var unused = new KubeScheduler(new KubernetesClientBuilder().build(), SchedulerSettings.defaults("x", "fgd"),
        new SimpleMeterRegistry());
    try (var server = new ExtenderServer(unused, new InetSocketAddress("127.0.0.1", 0),
        KubeExtenderCommand.tls(keystore, "secret1".toCharArray()))) {
      HttpClient https = HttpClient.newBuilder().sslContext(KubeApiServer.trustAll()).build();
      HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/filter"))
          .POST(HttpRequest.BodyPublishers.ofString("{")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).startsWith("request body is not JSON");
      HttpClient plain = HttpClient.newHttpClient();
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/filter"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    }
    assertThatThrownBy(() -> KubeExtenderCommand.tls(keystore, "wrong".toCharArray()))
        .isInstanceOf(UsageException.class).hasMessageContaining("--tls-keystore");
  }
}
