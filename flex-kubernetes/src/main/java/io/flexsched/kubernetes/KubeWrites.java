package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flexsched.model.Assignment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything the scheduler writes to the API server: bindings (with the assignment annotation),
 * the PodScheduled condition, nominated nodes, events, and victims' deletions. Writes are
 * asynchronous; failures of best-effort writes (events, conditions) are logged, not retried.
 */
class KubeWrites {
  private static final Logger LOG = Logger.getLogger(KubeWrites.class.getName());

  /** How a binding ended. */
  enum BindResult { BOUND, CONFLICT, GONE, FAILED }

  /**
   * Where the writes other than bindings run. Not the common pool: on two cores it has one worker,
   * and CompletableFuture then starts a thread per write, so a pass with a thousand waiting pods
   * sent thousands of condition and event writes at once and the API server, busy with them,
   * answered the bindings seconds late. Best-effort writes queue behind four threads; what a
   * binding or a preemption waits for (reads, evictions, nominations) has four of its own.
   */
  private static final ExecutorService BEST_EFFORT = pool("flex-writes-", 4);
  private static final ExecutorService NEEDED = pool("flex-needed-writes-", 4);

  private final KubernetesClient client;
  private final String component;

  private static ExecutorService pool(String prefix, int threads) {
    var count = new java.util.concurrent.atomic.AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  KubeWrites(KubernetesClient client, String component) {
    this.client = client;
    this.component = component;
  }

  /**
   * Binds {@code pod} to the assignment's node through the pod's {@code binding} subresource,
   * with the assignment annotation and the pod's UID as a precondition (a pod deleted and created
   * again under the same name is not bound by mistake).
   */
  CompletableFuture<BindResult> bind(Pod pod, Assignment assignment) {
    Binding binding = new BindingBuilder()
        .withNewMetadata()
          .withName(pod.getMetadata().getName())
          .withNamespace(pod.getMetadata().getNamespace())
          .withUid(pod.getMetadata().getUid())
          .withAnnotations(Map.of(AssignmentAnnotation.KEY, AssignmentAnnotation.write(assignment)))
        .endMetadata()
        .withNewTarget().withKind("Node").withApiVersion("v1").withName(assignment.node()).endTarget()
        .build();
    String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/"
        + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName() + "/binding";
    HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
        .uri(url).post("application/json", Serialization.asJson(binding)).build();
    return client.getHttpClient().sendAsync(request, String.class).handle((response, error) -> {
      if (error != null) {
        LOG.log(Level.WARNING, "binding " + PodMapping.id(pod) + " failed: " + error);
        return BindResult.FAILED;
      }
      int code = response.code();
      if (code / 100 == 2) {
        return BindResult.BOUND;
      }
      LOG.warning("binding " + PodMapping.id(pod) + " to " + assignment.node() + " answered " + code + ": "
          + oneLine(response.body()));
      return code == 409 ? BindResult.CONFLICT : code == 404 ? BindResult.GONE : BindResult.FAILED;
    });
  }

  /** Sets the pod's PodScheduled condition to False/Unschedulable with {@code message}. */
  void unschedulable(Pod pod, String message) {
    CompletableFuture.runAsync(() -> {
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .editStatus(p -> {
              List<PodCondition> conditions = new ArrayList<>(
                  p.getStatus().getConditions() == null ? List.of() : p.getStatus().getConditions());
              conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
              conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                  .withReason("Unschedulable").withMessage(message)
                  .withLastTransitionTime(now()).build());
              p.getStatus().setConditions(conditions);
              return p;
            });
      } catch (KubernetesClientException e) {
        LOG.fine("PodScheduled of " + PodMapping.id(pod) + " not written: " + e.getMessage());
      }
    }, BEST_EFFORT);
  }

  /** Sets {@code status.nominatedNodeName}: the pod will go there once its victims are gone. */
  void nominate(Pod pod, String node) {
    CompletableFuture.runAsync(() -> {
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .editStatus(p -> {
              p.getStatus().setNominatedNodeName(node);
              return p;
            });
      } catch (KubernetesClientException e) {
        LOG.fine("nominatedNodeName of " + PodMapping.id(pod) + " not written: " + e.getMessage());
      }
    }, NEEDED);
  }

  /**
   * The pod as the API server holds it now (not an informer's copy): empty when it is gone; fails
   * when the server cannot be reached.
   */
  CompletableFuture<Optional<Pod>> read(Pod pod) {
    return CompletableFuture.supplyAsync(() -> Optional.ofNullable(
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get()), NEEDED);
  }

  /** Deletes a victim with its own grace period, with its UID as a precondition. */
  CompletableFuture<Void> evict(Pod victim) {
    return CompletableFuture.runAsync(() -> {
      try {
        client.pods().inNamespace(victim.getMetadata().getNamespace()).withName(victim.getMetadata().getName())
            .delete();
      } catch (KubernetesClientException e) {
        LOG.warning("evicting " + PodMapping.id(victim) + " failed: " + e.getMessage());
      }
    }, NEEDED);
  }

  /** Records an event on {@code object} (a Pod or a Node). */
  void event(HasMetadata object, String type, String reason, String message) {
    CompletableFuture.runAsync(() -> {
      String ns = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
      String time = now();
      try {
        client.v1().events().inNamespace(ns).resource(new EventBuilder()
            .withNewMetadata()
              .withName(object.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
                  + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16)))
              .withNamespace(ns)
            .endMetadata()
            .withInvolvedObject(new ObjectReferenceBuilder().withKind(object.getKind()).withApiVersion("v1")
                .withNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid()).build())
            .withType(type).withReason(reason).withMessage(message)
            .withNewSource().withComponent(component).endSource()
            .withReportingComponent(component).withReportingInstance(component)
            .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
            .build()).create();
      } catch (KubernetesClientException e) {
        LOG.fine("event " + reason + " on " + object.getMetadata().getName() + " not written: " + e.getMessage());
      }
    }, BEST_EFFORT);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String oneLine(String s) {
    String t = s == null ? "" : s.replaceAll("\\s+", " ");
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}
