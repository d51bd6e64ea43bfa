package io.flexsched.core.engine;

import io.flexsched.core.RejectReason;
import io.flexsched.model.DeviceModel;
import io.flexsched.spi.FragmentationMeasure;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An engine's Micrometer meters (see the builder's {@code metrics}).
 *
 * <p>The placement loop pays only for plain, single-writer arithmetic: a decision adds to counts
 * and to a {@link LatencyHistogram} held here. An operation's counts are kept aside until it
 * {@linkplain #commit commits}, so one that fails counts nothing. What the registry reads
 * (function counters, a function timer, gauges) comes from a snapshot the engine publishes on its
 * own thread (on {@code publishMetrics()}, and after an operation once the refresh interval has
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
  private final @Nullable FragmentationMeasure fragmentation;
  /** Live counts, written by the engine's thread only. */
  private final long[] counts = new long[COUNTS];
  /** The running operation's counts and latencies, added to the live ones when it commits. */
  private final long[] uncommitted = new long[COUNTS];
  private long[] uncommittedLatency = new long[24];
  private int uncommittedDecisions;
  /** The last publication: everything every meter reads, swapped in whole by one volatile write. */
  private volatile Publication published = Publication.NONE;
  private final LatencyHistogram[] histograms = new LatencyHistogram[2];
  private final List<DeviceModel> models = new ArrayList<>();
  private long lastPublish;
  private @Nullable NodeCursor cursor;
  private double[] nodeFragmentation = new double[0];
  private long[] fragmentationStamp = new long[0];

  /**
   * One publication, never changed once published: a reader that takes it sees all of one
   * publication or all of another, never a mix (each meter reads from one).
   *
   * @param counts the decision, rejection and preemption counts
   * @param percentiles per kind of decision, its latency percentiles in seconds
   * @param capacity per device model (in order of first sight), its devices
   * @param allocation per device model, the share of its compute given to tasks
   * @param fragmentation per device model, the share of its free compute the workload cannot use
   * @param nodes live nodes
   * @param tasks placed tasks
   * @param allocatedMilli compute given to tasks, in milli
   */
  record Publication(long[] counts, double[][] percentiles, double[] capacity, double[] allocation,
      double[] fragmentation, double nodes, double tasks, long allocatedMilli) {
    static final Publication NONE = new Publication(new long[COUNTS], new double[2][PERCENTILES.length],
        new double[0], new double[0], new double[0], 0, 0, 0);

    double modelValue(double[] values, int model) {
      return model < values.length ? values[model] : 0;
    }
  }

  EngineMetrics(MeterRegistry registry, Tags tags, Duration refresh, @Nullable FragmentationMeasure fragmentation) {
    this.registry = registry;
    this.tags = tags;
    this.refreshNanos = refresh.toNanos();
    this.fragmentation = fragmentation;
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
    Gauge.builder(NODES, this, m -> m.published.nodes()).tags(tags).description("Nodes in the cluster")
        .baseUnit("nodes").strongReference(true).register(registry);
    Gauge.builder(TASKS, this, m -> m.published.tasks()).tags(tags).description("Tasks placed")
        .baseUnit("tasks").strongReference(true).register(registry);
    this.lastPublish = now;
  }

  private void counter(String name, int at, String description, String unit, String... extraTags) {
    FunctionCounter.builder(name, this, m -> m.published.counts()[at]).tags(tags).tags(extraTags)
        .description(description).baseUnit(unit).register(registry);
  }

  /**
   * The latency of one kind of decision: a function timer (count and total) and percentile gauges
   * from a {@link LatencyHistogram}, named and tagged as Micrometer names its own.
   */
  private void latency(String kind, int k) {
    FunctionTimer.builder(LATENCY, this,
            m -> m.published.counts()[k * PER_KIND + PLACED] + m.published.counts()[k * PER_KIND + PENDING],
            m -> m.published.counts()[k * PER_KIND + NANOS], TimeUnit.NANOSECONDS)
        .tags(tags).tag("kind", kind)
        .description("Time to decide one placement (a task, or a whole gang), filter to reservation")
        .register(registry);
    for (int i = 0; i < PERCENTILES.length; i++) {
      int at = i;
      Gauge.builder(LATENCY_PERCENTILE, this, m -> m.published.percentiles()[k][at]).tags(tags).tag("kind", kind)
          .tag("phi", Double.toString(PERCENTILES[i])).baseUnit("seconds")
          .description("Decision latency percentile over the last one to two minutes")
          .strongReference(true).register(registry);
    }
  }

  /** Kind of decision: one task. */
  static final int TASK = 0;
  /** Kind of decision: a whole gang. */
  static final int GANG = 1;

  /**
   * Records, for the running operation, one decision of {@code kind} ({@link #TASK} or
   * {@link #GANG}) made in {@code nanos} and ended at {@code end}.
   */
  void decided(int kind, boolean placed, Map<RejectReason, Integer> reasons, long nanos, long end) {
    if (3 * uncommittedDecisions + 3 > uncommittedLatency.length) {
      uncommittedLatency = Arrays.copyOf(uncommittedLatency, 2 * uncommittedLatency.length);
    }
    int at = 3 * uncommittedDecisions++;
    uncommittedLatency[at] = kind;
    uncommittedLatency[at + 1] = nanos;
    uncommittedLatency[at + 2] = end;
    uncommitted[kind * PER_KIND + NANOS] += nanos;
    if (placed) {
      uncommitted[kind * PER_KIND + PLACED]++;
    } else {
      uncommitted[kind * PER_KIND + PENDING]++;
      for (Map.Entry<RejectReason, Integer> e : reasons.entrySet()) {
        uncommitted[REJECTED + e.getKey().ordinal()] += e.getValue();
      }
    }
  }

  /** Records, for the running operation, {@code victims} evicted by a preemption. */
  void preempted(int victims) {
    uncommitted[VICTIMS] += victims;
  }

  /**
   * Ends an operation that succeeded: its counts join the live ones, and the gauges are published
   * when the refresh interval has passed. A fragmentation measure that fails leaves the counts
   * uncommitted (the caller then {@linkplain #discard discards} them with the operation).
   */
  void commit(ClusterState state, long now) {
    double[][] gauges = now - lastPublish >= refreshNanos ? gauges(state) : null;
    for (int i = 0; i < COUNTS; i++) {
      counts[i] += uncommitted[i];
    }
    for (int i = 0; i < uncommittedDecisions; i++) {
      histograms[(int) uncommittedLatency[3 * i]].record(uncommittedLatency[3 * i + 1], uncommittedLatency[3 * i + 2]);
    }
    discard();
    if (gauges != null) {
      publish(state, gauges, now);
    }
  }

  /** Forgets the running operation's counts: it failed, and counts nothing. */
  void discard() {
    Arrays.fill(uncommitted, 0);
    uncommittedDecisions = 0;
  }

  /** Publishes everything now, as of {@code state}. */
  void publish(ClusterState state) {
    long now = System.nanoTime();
    publish(state, gauges(state), now);
  }

  private void publish(ClusterState state, double[][] gauges, long now) {
    // Registered only now, with every value known: a failed publication leaves the registry as it was.
    registerModels(state, gauges[0].length);
    lastPublish = now;
    double[][] percentiles = new double[histograms.length][PERCENTILES.length];
    for (int k = 0; k < histograms.length; k++) {
      for (int i = 0; i < PERCENTILES.length; i++) {
        percentiles[k][i] = histograms[k].percentile(PERCENTILES[i], now) / 1e9;
      }
    }
    published = new Publication(counts.clone(), percentiles, gauges[0], gauges[1], gauges[2], gauges[3][0],
        state.placementCount(), state.allocatedMilli());
  }

  /** The last publication, as the registry's meters read it (for tests of its consistency). */
  Publication published() {
    return published;
  }

  /**
   * The gauges' values in {@code state}: per device model its capacity (devices), allocated share
   * and, with a fragmentation measure, the share of its free compute the target workload cannot use
   * (a node's fragmentation, kept per node until the node changes, is split between its models in
   * proportion to their free compute); then the number of live nodes.
   *
   * @throws io.flexsched.core.PolicyException when the fragmentation measure fails
   */
  private double[][] gauges(ClusterState state) {
    if (cursor == null) {
      cursor = new NodeCursor(state);
    }
    int modelCount = state.modelCount();
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
          nodeFragmentation[n] = Guard.fragmentation(fragmentation, cursor.at(n));
          fragmentationStamp[n] = state.stamp[n];
        }
        double perFreeMilli = nodeFragmentation[n] / state.totalFreeMilli[n];
        for (int g = base; g < base + count; g++) {
          fragmented[state.modelId[g]] += perFreeMilli * state.milliFree[g];
        }
      }
    }
    double[][] out = new double[4][modelCount];
    for (int m = 0; m < modelCount; m++) {
      out[0][m] = capacity[m] / (double) DeviceModel.WHOLE_MILLI;
      out[1][m] = capacity[m] == 0 ? 0 : (capacity[m] - free[m]) / (double) capacity[m];
      out[2][m] = free[m] == 0 ? 0 : fragmented[m] / free[m];
    }
    out[3] = new double[] {live};
    return out;
  }

  private void registerModels(ClusterState state, int modelCount) {
    while (models.size() < modelCount) {
      int m = models.size();
      DeviceModel model = state.modelById(m);
      models.add(model);
      Tags t = tags.and("model", model.name());
      Gauge.builder(CAPACITY, this, x -> x.published.modelValue(x.published.capacity(), m)).tags(t)
          .description("Devices of the model in the cluster").baseUnit("devices").strongReference(true).register(registry);
      Gauge.builder(ALLOCATION, this, x -> x.published.modelValue(x.published.allocation(), m)).tags(t)
          .description("Share of the model's compute given to tasks (0..1)").strongReference(true).register(registry);
      if (fragmentation != null) {
        Gauge.builder(FRAGMENTATION, this, x -> x.published.modelValue(x.published.fragmentation(), m)).tags(t)
            .description("Share of the model's free compute the target workload cannot use (0..1)")
            .strongReference(true).register(registry);
      }
    }
  }
}
