package io.flexsched.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flexsched.model.InvalidSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the files the commands are given; each failure is one line for the user. */
final class Kubeconfigs {
  private Kubeconfigs() {}

  static KubernetesClient client(@org.jspecify.annotations.Nullable Path kubeconfig) {
    if (kubeconfig == null) {
      if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
        throw new UsageException("--kubeconfig is required outside a Kubernetes pod");
      }
      return new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
    }
    String text;
    try {
      text = Files.readString(kubeconfig);
    } catch (IOException e) {
      throw new UsageException("--kubeconfig " + kubeconfig + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    Config config;
    try {
      config = Config.fromKubeconfig(text);
    } catch (RuntimeException e) {
      throw new UsageException("--kubeconfig " + kubeconfig + ": not a usable kubeconfig (" + firstLine(e.getMessage()) + ")");
    }
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new UsageException("--kubeconfig " + kubeconfig + ": names no server");
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static SchedulerSettings readConfig(SchedulerSettings settings, Path file) {
    try {
      return settings.withConfig(file);
    } catch (IOException e) {
      throw new UsageException("--config " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    } catch (InvalidSpecException e) {
      throw new UsageException("--config " + file + ": " + e.getMessage());
    }
  }

  static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
