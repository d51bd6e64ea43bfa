package io.flexsched.kubernetes;

import static io.flexsched.kubernetes.KubeObjects.gpuNode;
import static io.flexsched.kubernetes.KubeObjects.pod;
import static io.flexsched.kubernetes.KubeObjects.res;
import static io.flexsched.kubernetes.SecondarySchedulerTest.assertNoOverCommit;
import static io.flexsched.kubernetes.SecondarySchedulerTest.bound;
import static io.flexsched.kubernetes.SecondarySchedulerTest.pause;
import static io.flexsched.kubernetes.SecondarySchedulerTest.unschedulable;
import static io.flexsched.kubernetes.SecondarySchedulerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flexsched.model.Assignment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bindings whose answer never arrives, on a real kube-apiserver: the Binding itself is real, only
 * the scheduler is told it failed (as when the connection drops after the server applied it).
 */
@ExtendWith(KubeApiServer.Extension.class)
class LostBindingAnswerTest {
  private static final Map<String, String> HALF_GPU =
      res("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "50", "nvidia.com/gpumem", "2048");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private KubeScheduler scheduler;

  @AfterEach
  void stop(KubeApiServer api) {
    if (scheduler != null) {
      scheduler.close();
    }
    api.client().nodes().delete();
  }

  /**
   * The first Binding of pod {@code a} is answered as failed at once and reaches the server only
   * later (a request the client gave up on while the server still held it). Meanwhile two more
   * pods want the GPU: had the scheduler taken the failure at its word, both would get halves of
   * it, and {@code a} would then land on the same GPU.
   */
  @Test
  void aBindingAnsweredAsFailedButAppliedLaterKeepsItsDevicesFromOtherPods(KubeApiServer api) throws Exception {
    KubernetesClient k = api.client();
    String ns = api.namespace("lost");
    k.nodes().resource(gpuNode(ns + "-n0", 1)).create();
    var answer = new CompletableFuture<Void>();
    var late = new CompletableFuture<KubeWrites.BindResult>();
    scheduler = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(ns, "fgd"), registry,
        (client, name) -> new KubeWrites(client, name) {
          private boolean lost;

          @Override
          CompletableFuture<BindResult> bind(Pod pod, Assignment a) {
            if (!pod.getMetadata().getName().equals("a") || lost) {
              return super.bind(pod, a);
            }
            lost = true;
            answer.thenCompose(ignored -> super.bind(pod, a)).thenAccept(late::complete);
            return CompletableFuture.completedFuture(BindResult.FAILED);
          }
        });
    scheduler.start();

    k.pods().resource(pod(ns, "a", ns, HALF_GPU, Map.of())).create();
    k.pods().resource(pod(ns, "b", ns, HALF_GPU, Map.of())).create();
    k.pods().resource(pod(ns, "c", ns, HALF_GPU, Map.of())).create();
    waitFor(Duration.ofSeconds(30), () -> {
      var pods = k.pods().inNamespace(ns).list().getItems();
      return pods.stream().filter(SecondarySchedulerTest::bound).count() == 2
          && pods.stream().anyMatch(p -> !bound(p) && unschedulable(p));
    });
    answer.complete(null);
    late.get(30, java.util.concurrent.TimeUnit.SECONDS);
    // Time for the passes a wrongly released half GPU would have set off.
    pause(2000);

    var pods = k.pods().inNamespace(ns).list().getItems();
    assertNoOverCommit(pods, 1);
    assertThat(pods.stream().filter(SecondarySchedulerTest::bound).map(p -> p.getMetadata().getName()))
        .hasSize(2).contains("a");
    assertThat(scheduler.onEngine(() -> scheduler.loop().flex().cluster().assignment(ns + "/a"))).hasValueSatisfying(
        a -> assertThat(AssignmentAnnotation.write(a)).isEqualTo(
            k.pods().inNamespace(ns).withName("a").get().getMetadata().getAnnotations().get(AssignmentAnnotation.KEY)));
  }

  @Test
  void aBindingThatNeverReachedTheServerIsSentAgainUntilItIsAnswered(KubeApiServer api) {
    KubernetesClient k = api.client();
    String ns = api.namespace("unsent");
    k.nodes().resource(gpuNode(ns + "-n0", 1)).create();
    var refused = new AtomicInteger();
    scheduler = new KubeScheduler(api.newClient(), SchedulerSettings.defaults(ns, "fgd"), registry,
        (client, name) -> new KubeWrites(client, name) {
          @Override
          CompletableFuture<BindResult> bind(Pod pod, Assignment a) {
            return refused.getAndIncrement() < 3 ? CompletableFuture.completedFuture(BindResult.FAILED) : super.bind(pod, a);
          }
        });
    scheduler.start();

    k.pods().resource(pod(ns, "a", ns, HALF_GPU, Map.of())).create();
    waitFor(Duration.ofSeconds(30), () -> bound(k.pods().inNamespace(ns).withName("a").get()));

    waitFor(Duration.ofSeconds(10), () -> registry.counter("flex.kube.bindings", "result", "bound").count() == 1.0);
    assertThat(refused.get()).isEqualTo(4);
    assertThat(registry.counter("flex.kube.bindings", "result", "failed").count()).isEqualTo(3.0);
    assertNoOverCommit(k.pods().inNamespace(ns).list().getItems(), 1);
  }
}
