package io.flexsched.core;

import io.flexsched.model.DeviceModel;
import io.flexsched.spi.WorkloadDistribution;
import io.flexsched.spi.WorkloadFragmentation;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An engine's Micrometer meters (see {@link PlacementEngine.Builder#metrics}).
 *
 * <p>The placement loop pays only for plain, single-writer arithmetic: a decision adds to counts
 * and to a {@link LatencyHistogram} held here. What the registry reads (function counters, a
 * function timer, gauges) comes from a snapshot the engine publishes on its own thread
 * ({@link PlacementEngine#publishMetrics()}, and after a decision once the refresh interval has
 * passed), so a registry read from another thread sees a consistent picture at most one refresh
 * interval old and never touches the engine's state. Micrometer's own {@code Counter} and
 * {@code Timer} would cost a contended-safe adder per increment and, with client-side
 * percentiles, about 190 ns per recording ({@code TimerCostBenchmark}); these cost a few.
 */
final class EngineMetrics {
  static final String LATENCY = "flex.placement.latency";
  static final String LATENCY_PERCENTILE = "flex.placement.latency.percentile";
  static final double[] PERCENTILES = {0.5, 0.9, 0.99};
  /** Percentiles cover the last one to two windows of this length. */
  static final long PERCENTILE_WINDOW_NANOS = 60_000_000_000L;
  static final String PLACEMENTS = "flex.placements";
  static final String REJECTIONS = "flex.placement.rejections";
  static final String PREEMPTIONS = "flex.preemptions";
  static final String ALLOCATION = "flex.devices.allocation";
  static final String FRAGMENTATION = "flex.devices.fragmentation";
  static final String CAPACITY = "flex.devices.capacity";
  static final String NODES = "flex.nodes";
  static final String TASKS = "flex.tasks";

  private static final RejectReason[] REASONS = RejectReason.values();
  // Indices into the counts: per kind (task 0, gang 1) decisions placed, pending, total latency;
  // then victims; then nodes rejecting, per reason.
  private static final int PLACED = 0;
  private static final int PENDING = 1;
  private static final int NANOS = 2;
  private static final int PER_KIND = 3;
  private static final int VICTIMS = 2 * PER_KIND;
  private static final int REJECTED = VICTIMS + 1;
  private static final int COUNTS = REJECTED + REASONS.length;

  private final MeterRegistry registry;
  private final Tags tags;
  private final long refreshNanos;
  private final @Nullable WorkloadFragmentation fragmentation;
  /** Live counts, written by the engine's thread only. */
  private final long[] counts = new long[COUNTS];
  /** The counts as last published; what the registry reads. */
  private volatile long[] published = new long[COUNTS];
  private final LatencyHistogram[] histograms = new LatencyHistogram[2];
  private final Percentiles[] percentiles = {new Percentiles(), new Percentiles()};
  private final List<ModelGauges> models = new ArrayList<>();
  private volatile double nodes;
  private volatile double tasks;
  private long lastPublish;
  private @Nullable NodeCursor cursor;
  private double[] nodeFragmentation = new double[0];
  private long[] fragmentationStamp = new long[0];

  /** Published latency percentiles of one kind of decision, in seconds. */
  private static final class Percentiles {
    final double[] seconds = new double[PERCENTILES.length];
    volatile boolean published;

    double get(int i) {
      return published ? seconds[i] : 0;
    }
  }

  /** The gauges of one device model; written by the engine's thread, read by the registry's. */
  private static final class ModelGauges {
    final DeviceModel model;
    volatile double capacity;
    volatile double allocation;
    volatile double fragmentation;

    ModelGauges(DeviceModel model) {
      this.model = model;
    }
  }

  EngineMetrics(MeterRegistry registry, Tags tags, Duration refresh, WorkloadDistribution workload) {
    this.registry = registry;
    this.tags = tags;
    this.refreshNanos = refresh.toNanos();
    this.fragmentation = workload.shapes().isEmpty() ? null : new WorkloadFragmentation(workload);
    long now = System.nanoTime();
    String[] kinds = {"task", "gang"};
    for (int k = 0; k < kinds.length; k++) {
      histograms[k] = new LatencyHistogram(PERCENTILE_WINDOW_NANOS, now);
      latency(kinds[k], k);
      counter(PLACEMENTS, k * PER_KIND + PLACED, "Placement decisions by outcome", "decisions", "kind", kinds[k], "outcome", "placed");
      counter(PLACEMENTS, k * PER_KIND + PENDING, "Placement decisions by outcome", "decisions", "kind", kinds[k], "outcome", "pending");
    }
    for (RejectReason r : REASONS) {
      counter(REJECTIONS, REJECTED + r.ordinal(), "Nodes that rejected a task left pending, by the reason they rejected it",
          "nodes", "reason", r.label());
    }
    counter(PREEMPTIONS, VICTIMS, "Tasks evicted to make room for higher-priority ones", "tasks");
    Gauge.builder(NODES, this, m -> m.nodes).tags(tags).description("Nodes in the cluster")
        .baseUnit("nodes").strongReference(true).register(registry);
    Gauge.builder(TASKS, this, m -> m.tasks).tags(tags).description("Tasks placed")
        .baseUnit("tasks").strongReference(true).register(registry);
    this.lastPublish = now;
  }

  private void counter(String name, int at, String description, String unit, String... extraTags) {
    FunctionCounter.builder(name, this, m -> m.published[at]).tags(tags).tags(extraTags)
        .description(description).baseUnit(unit).register(registry);
  }

  /**
   * The latency of one kind of decision: a function timer (count and total) and percentile gauges
   * from a {@link LatencyHistogram}, named and tagged as Micrometer names its own.
   */
  private void latency(String kind, int k) {
    FunctionTimer.builder(LATENCY, this, m -> m.published[k * PER_KIND + PLACED] + m.published[k * PER_KIND + PENDING],
            m -> m.published[k * PER_KIND + NANOS], TimeUnit.NANOSECONDS)
        .tags(tags).tag("kind", kind)
        .description("Time to decide one placement (a task, or a whole gang), filter to reservation")
        .register(registry);
    for (int i = 0; i < PERCENTILES.length; i++) {
      int at = i;
      Gauge.builder(LATENCY_PERCENTILE, percentiles[k], p -> p.get(at)).tags(tags).tag("kind", kind)
          .tag("phi", Double.toString(PERCENTILES[i])).baseUnit("seconds")
          .description("Decision latency percentile over the last one to two minutes")
          .strongReference(true).register(registry);
    }
  }

  /** Records one task's decision, made in {@code nanos} and ended at {@code end}. */
  void decided(Decision d, long nanos, long end) {
    decided(0, d.placed(), d.reasons(), nanos, end);
  }

  /** Records one gang's decision, made in {@code nanos} and ended at {@code end}. */
  void decided(GangDecision d, long nanos, long end) {
    decided(1, d.placed(), d.reasons(), nanos, end);
  }

  private void decided(int kind, boolean placed, java.util.Map<RejectReason, Integer> reasons, long nanos, long end) {
    histograms[kind].record(nanos, end);
    counts[kind * PER_KIND + NANOS] += nanos;
    if (placed) {
      counts[kind * PER_KIND + PLACED]++;
    } else {
      counts[kind * PER_KIND + PENDING]++;
      for (RejectReason r : REASONS) {
        Integer n = reasons.get(r);
        if (n != null) {
          counts[REJECTED + r.ordinal()] += n;
        }
      }
    }
  }

  void preempted(int victims) {
    counts[VICTIMS] += victims;
  }

  /** After a change: publishes the gauges when the refresh interval has passed since the last time. */
  void changed(ClusterState state) {
    changed(state, System.nanoTime());
  }

  /** {@link #changed(ClusterState)}, with the time read already. */
  void changed(ClusterState state, long now) {
    if (now - lastPublish >= refreshNanos) {
      publish(state);
    }
  }

  private static void publish(LatencyHistogram h, Percentiles into, long now) {
    for (int i = 0; i < PERCENTILES.length; i++) {
      into.seconds[i] = h.percentile(PERCENTILES[i], now) / 1e9;
    }
    into.published = true;
  }

  /**
   * Recomputes the gauges from the state: per device model its capacity (devices), allocated share
   * and, when the engine knows its target workload, the share of its free compute that workload
   * cannot use (a node's fragmentation, kept per node until the node changes, is split between its
   * models in proportion to their free compute).
   */
  void publish(ClusterState state) {
    lastPublish = System.nanoTime();
    for (int k = 0; k < histograms.length; k++) {
      publish(histograms[k], percentiles[k], lastPublish);
    }
    published = counts.clone();
    if (cursor == null) {
      cursor = new NodeCursor(state);
    }
    int modelCount = state.modelCount();
    while (models.size() < modelCount) {
      ModelGauges g = new ModelGauges(state.modelById(models.size()));
      Tags t = tags.and("model", g.model.name());
      Gauge.builder(CAPACITY, g, x -> x.capacity).tags(t).description("Devices of the model in the cluster")
          .baseUnit("devices").strongReference(true).register(registry);
      Gauge.builder(ALLOCATION, g, x -> x.allocation).tags(t)
          .description("Share of the model's compute given to tasks (0..1)").strongReference(true).register(registry);
      if (fragmentation != null) {
        Gauge.builder(FRAGMENTATION, g, x -> x.fragmentation).tags(t)
            .description("Share of the model's free compute the target workload cannot use (0..1)")
            .strongReference(true).register(registry);
      }
      models.add(g);
    }
    long[] capacity = new long[modelCount];
    long[] free = new long[modelCount];
    double[] fragmented = new double[modelCount];
    int slots = state.nodeSlots();
    if (nodeFragmentation.length < slots) {
      nodeFragmentation = Arrays.copyOf(nodeFragmentation, Math.max(slots, 2 * nodeFragmentation.length));
      int old = fragmentationStamp.length;
      fragmentationStamp = Arrays.copyOf(fragmentationStamp, nodeFragmentation.length);
      Arrays.fill(fragmentationStamp, old, fragmentationStamp.length, -1);
    }
    int live = 0;
    for (int n = 0; n < slots; n++) {
      if (!state.isLive(n)) {
        continue;
      }
      live++;
      int base = state.devStart[n];
      int count = state.devCount[n];
      for (int g = base; g < base + count; g++) {
        capacity[state.modelId[g]] += DeviceModel.WHOLE_MILLI;
        free[state.modelId[g]] += state.milliFree[g];
      }
      if (fragmentation != null && count > 0 && state.totalFreeMilli[n] > 0) {
        if (fragmentationStamp[n] != state.stamp[n]) {
          nodeFragmentation[n] = fragmentation.fragmentation(cursor.at(n));
          fragmentationStamp[n] = state.stamp[n];
        }
        double perFreeMilli = nodeFragmentation[n] / state.totalFreeMilli[n];
        for (int g = base; g < base + count; g++) {
          fragmented[state.modelId[g]] += perFreeMilli * state.milliFree[g];
        }
      }
    }
    for (int m = 0; m < modelCount; m++) {
      ModelGauges g = models.get(m);
      g.capacity = capacity[m] / (double) DeviceModel.WHOLE_MILLI;
      g.allocation = capacity[m] == 0 ? 0 : (capacity[m] - free[m]) / (double) capacity[m];
      g.fragmentation = free[m] == 0 ? 0 : fragmented[m] / free[m];
    }
    nodes = live;
    tasks = state.placementCount();
  }
}
