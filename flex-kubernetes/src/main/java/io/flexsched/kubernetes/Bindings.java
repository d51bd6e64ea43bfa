package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.flexsched.model.Assignment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Bindings in flight until the API server settles them. Only a definite answer frees what a
 * binding holds: a lost answer (the server went away, a timeout, a 5xx) may hide a Binding that
 * was applied, and releasing then would give its devices to another pod while the first runs on
 * them. So the same Binding is sent again until the server answers, and a conflict is settled by
 * reading the pod from the server itself. Runs on the engine thread, like {@link SchedulingLoop}.
 */
final class Bindings {
  private final PodEntries pods;
  private final KubeWrites writes;
  private final ScheduledExecutorService engine;
  private final Counter bound;
  private final Counter failed;
  private final Consumer<PodEntries.Entry> forget;
  private final Consumer<Pod> onPod;

  Bindings(PodEntries pods, KubeWrites writes, ScheduledExecutorService engine, MeterRegistry registry,
      Consumer<PodEntries.Entry> forget, Consumer<Pod> onPod) {
    this.pods = pods;
    this.writes = writes;
    this.engine = engine;
    this.bound = registry.counter("flex.kube.bindings", "result", "bound");
    this.failed = registry.counter("flex.kube.bindings", "result", "failed");
    this.forget = forget;
    this.onPod = onPod;
  }

  /**
   * Sends the Binding of {@code e} to {@code a}'s node; the future has the first answer (the
   * extender's caller wants one), while an unsettled binding goes on in the background.
   */
  CompletableFuture<KubeWrites.BindResult> bind(PodEntries.Entry e, Assignment a) {
    e.state = PodEntries.State.BINDING;
    e.node = a.node();
    e.assignment = a;
    return send(e, 0);
  }

  /**
   * Whether the pod carries the devices its pending Binding asked for; a pod bound by someone
   * else (or by hand) is accounted again from what it carries.
   */
  static boolean boundAsAsked(PodEntries.Entry e, Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return e.assignment != null && annotations != null
        && AssignmentAnnotation.write(e.assignment).equals(annotations.get(AssignmentAnnotation.KEY));
  }

  /** 0.25 s, doubling to 8 s: a restarting API server is not hammered, and is noticed soon. */
  static long backoffMillis(int attempt) {
    return 250L << Math.min(attempt, 5);
  }

  private CompletableFuture<KubeWrites.BindResult> send(PodEntries.Entry e, int attempt) {
    String key = e.key;
    String uid = e.uid;
    return writes.bind(e.pod, e.assignment).thenApplyAsync(result -> {
      answered(key, uid, result, attempt);
      return result;
    }, engine);
  }

  private void answered(String key, String uid, KubeWrites.BindResult result, int attempt) {
    // Counted whatever the entry's state: the informer may have shown the bound pod first.
    (result == KubeWrites.BindResult.BOUND ? bound : failed).increment();
    PodEntries.Entry e = unsettled(key, uid);
    if (e == null) {
      return;
    }
    switch (result) {
      case BOUND -> e.state = PodEntries.State.BOUND;
      case GONE -> forget.accept(e);
      case FAILED -> later(key, uid, attempt, still -> send(still, attempt + 1));
      case CONFLICT -> settleConflict(e, attempt);
    }
  }

  /**
   * A 409: the pod is bound already (perhaps by a Binding of ours whose answer was lost, perhaps
   * by someone else) or was replaced by a pod of the same name. The server's copy decides.
   */
  private void settleConflict(PodEntries.Entry e, int attempt) {
    String key = e.key;
    String uid = e.uid;
    writes.read(e.pod).whenCompleteAsync((latest, error) -> {
      PodEntries.Entry still = unsettled(key, uid);
      if (still == null) {
        return;
      }
      if (error != null) {
        later(key, uid, attempt, again -> settleConflict(again, attempt + 1));
        return;
      }
      boolean placed = latest.isPresent() && latest.get().getSpec().getNodeName() != null
          && !latest.get().getSpec().getNodeName().isEmpty();
      if (!placed) {
        forget.accept(still);
      }
      latest.ifPresent(onPod);
    }, engine);
  }

  private void later(String key, String uid, int attempt, Consumer<PodEntries.Entry> step) {
    engine.schedule(() -> {
      PodEntries.Entry still = unsettled(key, uid);
      if (still != null) {
        step.accept(still);
      }
    }, backoffMillis(attempt), TimeUnit.MILLISECONDS);
  }

  /** The pod {@code key} if it is still tracked under {@code uid} with its Binding unsettled. */
  private PodEntries.@Nullable Entry unsettled(String key, String uid) {
    PodEntries.Entry e = pods.get(key);
    return e != null && e.uid.equals(uid) && e.state == PodEntries.State.BINDING ? e : null;
  }
}
