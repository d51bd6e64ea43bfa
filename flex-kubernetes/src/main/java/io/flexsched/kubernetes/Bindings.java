package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.flexsched.model.Assignment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
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
  static final int MAX_IN_FLIGHT = 64;

  private final PodEntries pods;
  private final KubeWrites writes;
  private final ScheduledExecutorService engine;
  private final Counter bound;
  private final Counter failed;
  private final Consumer<PodEntries.Entry> forget;
  private final Consumer<Pod> onPod;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

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

  /**
   * Sends now, or once fewer than {@link #MAX_IN_FLIGHT} bindings are unanswered: binds go out
   * concurrently (one at a time would cap throughput at one round trip a pod), but never more at
   * once than an API server absorbs without refusing (its default limit is 200 mutating requests).
   */
  private CompletableFuture<KubeWrites.BindResult> send(PodEntries.Entry e, int attempt) {
    String key = e.key;
    String uid = e.uid;
    var answer = new CompletableFuture<KubeWrites.BindResult>();
    Runnable go = () -> {
      PodEntries.Entry still = unsettled(key, uid);
      if (still == null) {
        answer.complete(KubeWrites.BindResult.GONE);
        return;
      }
      inFlight++;
      writes.bind(still.pod, still.assignment).whenCompleteAsync((result, error) -> {
        inFlight--;
        KubeWrites.BindResult r = error != null ? KubeWrites.BindResult.FAILED : result;
        answered(key, uid, r, attempt);
        answer.complete(r);
        while (inFlight < MAX_IN_FLIGHT && !waiting.isEmpty()) {
          waiting.poll().run();
        }
      }, engine);
    };
    if (inFlight < MAX_IN_FLIGHT) {
      go.run();
    } else {
      waiting.add(go);
    }
    return answer;
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
