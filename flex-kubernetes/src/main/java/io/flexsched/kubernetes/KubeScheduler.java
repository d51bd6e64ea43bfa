package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flexsched.core.Scheduler;
import io.flexsched.model.DeviceCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Flex as a Kubernetes secondary scheduler: informers on nodes and pods feed a
 * {@link SchedulingLoop} on one engine thread. {@link #start()} lists every node, then every pod
 * (so every bound pod is accounted before the first pass), and returns once both are in sync.
 */
public final class KubeScheduler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KubeScheduler.class.getName());

  private final KubernetesClient client;
  private final SchedulerSettings settings;
  private final MeterRegistry registry;
  private final BiFunction<KubernetesClient, String, KubeWrites> writes;
  private final ScheduledExecutorService engine = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "flex-engine");
    t.setDaemon(true);
    return t;
  });
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SchedulingLoop loop;
  private ExtenderDecisions extender;

  KubeScheduler(KubernetesClient client, SchedulerSettings settings, MeterRegistry registry) {
    this(client, settings, registry, KubeWrites::new);
  }

  /** With the API-server writes made by {@code writes} (tests use it to lose answers). */
  KubeScheduler(KubernetesClient client, SchedulerSettings settings, MeterRegistry registry,
      BiFunction<KubernetesClient, String, KubeWrites> writes) {
    this.client = client;
    this.settings = settings;
    this.registry = registry;
    this.writes = writes;
  }

  /** Builds the engine, starts the informers and waits until both have listed everything. */
  void start() {
    DeviceCatalogue catalogue = Scheduler.catalogue();
    var builder = Scheduler.builder().policy(settings.policy()).catalogue(catalogue).queues(settings.queues())
        .metrics(registry, "scheduler", settings.schedulerName());
    if (!settings.preemption()) {
      builder.noPreemption();
    }
    Scheduler flex = builder.build();
    var nodeMapping = new NodeMapping(catalogue, new GpuProducts(catalogue, settings.gpuProducts()), settings.topologyLabels());
    var groups = new PodGroups(PodGroups.served(client));
    loop = new SchedulingLoop(flex, nodeMapping, new PodMapping(catalogue, groups), groups, writes.apply(client, settings.schedulerName()),
        settings.schedulerName(), engine, registry);
    extender = new ExtenderDecisions(loop, new PodMapping(catalogue));
    informers.add(client.nodes().inform(handler(loop::onNode, n -> loop.onNodeDeleted(n.getMetadata().getName())), 0));
    informers.add(client.pods().inAnyNamespace().inform(handler(loop::onPod, loop::onPodDeleted), 0));
    if (groups.served()) {
      informers.add(client.genericKubernetesResources(PodGroups.API_VERSION, PodGroups.KIND).inAnyNamespace()
          .inform(handler(loop::onPodGroup, loop::onPodGroupDeleted), 0));
    }
    // Informers hand the initial lists to the handlers asynchronously: go through both stores on
    // the engine thread (seen objects are no-ops), and only then let passes run.
    @SuppressWarnings("unchecked")
    var nodeInformer = (SharedIndexInformer<Node>) informers.get(0);
    @SuppressWarnings("unchecked")
    var podInformer = (SharedIndexInformer<Pod>) informers.get(1);
    @SuppressWarnings("unchecked")
    var groupInformer = informers.size() > 2 ? (SharedIndexInformer<GenericKubernetesResource>) informers.get(2) : null;
    onEngine(() -> {
      nodeInformer.getStore().list().forEach(loop::onNode);
      if (groupInformer != null) {
        groupInformer.getStore().list().forEach(loop::onPodGroup);
      }
      podInformer.getStore().list().forEach(loop::onPod);
      loop.startPasses();
      return null;
    });
    LOG.info("scheduler " + settings.schedulerName() + " started (policy " + settings.policy()
        + (informers.size() > 2 ? ", gangs also from PodGroups" : "") + ")");
  }

  SchedulingLoop loop() {
    return loop;
  }

  ExtenderDecisions extender() {
    return extender;
  }

  /** The informer's copy of the pod {@code namespace/name}, or null. */
  Pod pod(String key) {
    return cachedPod(key);
  }

  private Pod cachedPod(String key) {
    @SuppressWarnings("unchecked")
    var pods = (SharedIndexInformer<Pod>) informers.get(1);
    return pods.getIndexer().getByKey(key);
  }

  private <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        engine.execute(guarded(() -> upsert.accept(obj)));
      }

      @Override
      public void onUpdate(T before, T after) {
        engine.execute(guarded(() -> upsert.accept(after)));
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        engine.execute(guarded(() -> delete.accept(obj)));
      }
    };
  }

  /** An engine-thread task whose failure is logged, so one bad event cannot stop the scheduler. */
  private static Runnable guarded(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "event handling failed", e);
      }
    };
  }

  /** Runs {@code work} on the engine thread and waits for it (for tests and shutdown). */
  <T> T onEngine(Callable<T> work) {
    return onEngine(work, 30);
  }

  /** Runs {@code work} on the engine thread, waiting at most {@code seconds}. */
  <T> T onEngine(Callable<T> work, long seconds) {
    try {
      return engine.submit(work).get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the engine did not answer within " + seconds + " s", e);
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    engine.shutdownNow();
  }
}
