package io.flexsched.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags and unusable files: exit 2 with one line. */
class FlexKubeTest {
  private String err;

  private int run(String... args) {
    var out = new StringWriter();
    int code = FlexKube.run(new PrintWriter(out, true), args);
    err = out.toString();
    return code;
  }

  @Test
  void badFlagsExit2WithOneLine(@TempDir Path dir) throws Exception {
    assertThat(run("kube-scheduler", "--kubeconfig", "k", "--no-such-flag")).isEqualTo(2);
    assertThat(err.strip().lines()).hasSize(1);
    assertThat(err).contains("--no-such-flag");
    assertThat(run("kube-extender", "--kubeconfig", "x", "--port", "70000")).isEqualTo(2);
    assertThat(err).contains("--port 70000");
    assertThat(err.strip().lines()).hasSize(1);
  }

  @Test
  void kubeBenchChecksItsFlagsBeforeTouchingTheCluster(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("never-read");
    assertThat(run("kube-bench", "--kubeconfig", kubeconfig.toString(), "--fractional", "1.5")).isEqualTo(2);
    assertThat(err).contains("--fractional 1.5").contains("0..1");
    assertThat(err.strip().lines()).hasSize(1);
    assertThat(run("kube-bench", "--kubeconfig", kubeconfig.toString(), "--nodes", "0")).isEqualTo(2);
    assertThat(err).contains("--nodes 0");
    assertThat(run("kube-bench", "--kubeconfig", kubeconfig.toString(), "--arrivals", "burst")).isEqualTo(2);
    assertThat(err).contains("--arrivals burst");
    assertThat(run("kube-bench", "--kubeconfig", kubeconfig.toString(), "--scheduler", "default-scheduler")).isEqualTo(2);
    assertThat(err).contains("--scheduler-command");
    assertThat(run("kube-bench", "--kubeconfig", kubeconfig.toString(), "--policy", "nope")).isEqualTo(2);
    assertThat(err).contains("policy").contains("nope");
    assertThat(err.strip().lines()).hasSize(1);
    assertThat(run("kube-bench", "--kubeconfig", kubeconfig.toString())).isEqualTo(2);
    assertThat(err).contains("--kubeconfig").contains("cannot be read");
  }

  @Test
  void anUnreadableOrUnusableKubeconfigExits2WithOneLine(@TempDir Path dir) throws Exception {
    assertThat(run("kube-scheduler", "--kubeconfig", dir.resolve("missing").toString())).isEqualTo(2);
    assertThat(err).contains("--kubeconfig").contains("cannot be read");
    assertThat(err.strip().lines()).hasSize(1);
    Path garbage = Files.writeString(dir.resolve("garbage"), "{{{ not yaml");
    assertThat(run("kube-scheduler", "--kubeconfig", garbage.toString())).isEqualTo(2);
    assertThat(err).contains("--kubeconfig");
    assertThat(err.strip().lines()).hasSize(1);
  }

  @Test
  void aMalformedConfigExits2NamingTheKey(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("flex.yaml"), "queues:\n  - {name: research, limitGpus: lots}\n");
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
    assertThat(run("kube-scheduler", "--kubeconfig", kubeconfig.toString(), "--config", config.toString())).isEqualTo(2);
    assertThat(err).contains("limitGpus").contains("lots");
    assertThat(err.strip().lines()).hasSize(1);
  }
}
