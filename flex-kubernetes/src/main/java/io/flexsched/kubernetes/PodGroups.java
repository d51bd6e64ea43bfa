package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Gangs declared the scheduler-plugins way, for clusters that already use its coscheduling: a
 * PodGroup ({@code scheduling.x-k8s.io/v1alpha1}) with {@code spec.minMember}, and pods
 * labelled {@code scheduling.x-k8s.io/pod-group: NAME}. Read only when that API is served; a
 * member whose PodGroup has not been seen yet waits for it. Owned by the engine thread.
 */
final class PodGroups {
  static final String API_VERSION = "scheduling.x-k8s.io/v1alpha1";
  static final String KIND = "PodGroup";
  static final String LABEL = "scheduling.x-k8s.io/pod-group";

  private final Map<String, Integer> minMember = new HashMap<>();
  private final boolean served;

  PodGroups(boolean served) {
    this.served = served;
  }

  /** Whether the API server serves PodGroups (the CRD is installed) and this client may list them. */
  static boolean served(KubernetesClient client) {
    try {
      client.genericKubernetesResources(API_VERSION, KIND).inAnyNamespace().list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  boolean served() {
    return served;
  }

  /** The PodGroup {@code namespace/name} a pod is labelled with, when PodGroups are served. */
  @Nullable String groupOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String name = !served || labels == null ? null : labels.get(LABEL);
    return name == null || name.isBlank() ? null : pod.getMetadata().getNamespace() + "/" + name.trim();
  }

  /** The gang of a labelled pod whose PodGroup is known; null otherwise. */
  @Nullable Gang gang(Pod pod) {
    String group = groupOf(pod);
    Integer size = group == null ? null : minMember.get(group);
    return size == null ? null : new Gang(group, size, null, false);
  }

  /**
   * Records a PodGroup; returns its key.
   *
   * @throws InvalidSpecException naming {@code spec.minMember} when it is not 1..10000
   */
  String put(GenericKubernetesResource group) {
    String key = group.getMetadata().getNamespace() + "/" + group.getMetadata().getName();
    Object spec = group.getAdditionalProperties().get("spec");
    Object min = spec instanceof Map<?, ?> m ? m.get("minMember") : null;
    if (!(min instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1 || n.intValue() > 10_000) {
      minMember.remove(key);
      throw new InvalidSpecException("PodGroup " + key + " spec.minMember", String.valueOf(min), "must be a whole number 1..10000");
    }
    minMember.put(key, n.intValue());
    return key;
  }

  void remove(GenericKubernetesResource group) {
    minMember.remove(group.getMetadata().getNamespace() + "/" + group.getMetadata().getName());
  }
}
