package io.flexsched.core;

import io.flexsched.core.engine.Settings;
import io.flexsched.core.providers.Providers;
import io.flexsched.core.queue.QueueSettings;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionPolicy.MigrationPolicy;
import io.flexsched.spi.ScoringPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Flex's facade: a cluster's state, the tasks waiting for it, and the decisions that connect them.
 * Requests (a task, or a gang's members) are {@link #submit submitted} and placed by
 * {@link #schedule() scheduling passes}, or {@link #place placed now}; both go one way through
 * the queue's rules, the engine and preemption, and both answer with an {@link Outcome}.
 *
 * <p>A pass tries the pending requests in order: the queue with the lowest weighted dominant share
 * of the cluster first, within a queue higher priority first, then earlier arrival (or another
 * {@link QueueOrder} the builder sets). A request must
 * keep its queue within its limit, and a non-preemptible one within its guarantee (only preemptible
 * tasks borrow). A request that fits nowhere may preempt: preemptible tasks of its own queue with
 * strictly lower priority, and, when its queue stays within its guarantee, preemptible tasks of
 * queues that are borrowing (reclaim). Victims go back to pending, keeping their place in arrival
 * order. Strict FIFO stops a queue at its first request that cannot be placed; backfill lets later
 * ones pass it, and one passed {@code reserveAfter} times gets a reservation: a node held for it
 * (for a gang, nodes for every member under its topology level, planned again every pass). A gang
 * is ordered by its lowest member priority, counts as preemptible only if every member is, and is
 * a victim only whole: one victim with its members' cost, when every member may go.
 *
 * <p>Every operation completes or changes nothing, queues included. Single-writer; see
 * {@link ConcurrentScheduler} for a thread-safe front.
 */
public interface Scheduler extends PlacementEngine {
  /** The queue of tasks that name none. */
  String DEFAULT_QUEUE = "default";

  /** Default number of times a request may be passed under backfill before it gets a reservation. */
  int DEFAULT_RESERVE_AFTER = 10;

  /** A builder of schedulers and plain engines. */
  static Builder builder() {
    return new Builder();
  }

  /** The scoring policies {@link java.util.ServiceLoader} finds, by name, with their descriptions. */
  static Map<String, String> scoringPolicies() {
    return Providers.scoring().descriptions();
  }

  /** The preemption policies {@link java.util.ServiceLoader} finds, by name, with their descriptions. */
  static Map<String, String> preemptionPolicies() {
    return Providers.preemption().descriptions();
  }

  /** The built-in device catalogue with every {@link java.util.ServiceLoader}-found hardware provider's models. */
  static DeviceCatalogue catalogue() {
    return Providers.hardware().catalogue(DeviceCatalogue.builtIn());
  }

  /**
   * Places a request now, or says why not, without queueing it: the same rules as a pass (its
   * queue's limit and guarantee, a reservation held for another request, preemption), tried once.
   * A request that is not placed is not kept.
   *
   * @throws InvalidSpecException as {@link #submit} does
   */
  @Override
  Outcome place(List<Task> request);

  /**
   * Releases a placed task; its queue no longer holds what it asked.
   *
   * @throws InvalidSpecException naming the field {@code task} when no such task is placed
   */
  @Override
  Assignment release(String taskId);

  /** Adds a task to the pending requests: {@code submit(List.of(task))}. */
  default void submit(Task task) {
    submit(List.of(task));
  }

  /**
   * Adds a request (one task, or every member of one gang, naming the same queue) to the pending
   * set; the next pass tries it.
   *
   * @throws InvalidSpecException when it is malformed (see {@link PlacementEngine#place(List)}),
   *     names an unknown queue or different queues, or repeats a task that is pending or placed
   */
  void submit(List<Task> request);

  /**
   * Withdraws a pending task (a gang member's whole gang), or releases a placed one.
   *
   * @return the placed task's assignment, or empty for a task that was pending
   * @throws InvalidSpecException naming the field {@code task} when it is neither pending nor placed
   */
  Optional<Assignment> cancel(String taskId);

  /**
   * One scheduling pass: tries every pending request once in fair-share order (and victims again
   * after they are preempted), placing, preempting and reclaiming as the rules allow.
   *
   * @return the placements made, in the order they were made, then every request still pending,
   *     in arrival order, with its reason
   */
  List<Outcome> schedule();

  /** Every pending request with its reason as of the last pass, in arrival order. */
  List<Outcome.Pending> pending();

  /** True when the task is pending. */
  boolean isPending(String taskId);

  /** The queues, the default one included. */
  List<QueueSpec> queues();

  /**
   * What the named queue's placed tasks hold.
   *
   * @throws InvalidSpecException for an unknown queue
   */
  Resources usage(String queue);

  /** How many tasks have been preempted (including reclaims) since the scheduler was built. */
  long preemptions();

  /**
   * The migrations the last {@link #place}, {@link #schedule} or {@link #defragment} made
   * (in passes, when the builder turned defragmentation on), by the id of the first task of the
   * request they made room for, in the order they were made.
   */
  Map<String, List<Migration>> migrations();

  /**
   * {@link PlacementEngine#defragment}, under the queue's rules: the request's queue limit and
   * guarantee, and the reservation in force; a request left pending is not kept.
   */
  @Override
  Defragmentation defragment(List<Task> request, DisruptionBudget budget);

  /** The reservation in force, as {@code task@node} (a gang's as {@code gang@node,node...}), if any. */
  Optional<String> reservation();

  /**
   * The order in which a queue's waiting requests of equal priority are tried (priority still
   * comes first, and ties go to the earlier arrival). The orders other than {@link #FIFO} read an
   * expected duration the embedder knows, asked once per member when a request arrives: null means
   * unknown, and a request with an unknown member sorts after every request it can be compared
   * with, FIFO among such requests. A gang's <em>duration</em> is the longest member's (it holds
   * its devices until the last member ends); its <em>work</em> is the sum over members.
   *
   * <ul>
   *   <li>{@link #FIFO}: earlier arrival first (the default).
   *   <li>{@link #shortestJobFirst}: the shortest expected duration first.
   *   <li>{@link #shortestRemainingTimeFirst}: the least remaining work first, where a member's
   *       remaining time is its expected duration less the time the request already ran before it
   *       was preempted (at least 0): the progress of tasks that keep it, e.g. by checkpoints. The
   *       queue places, it does not preempt for this order: a waiting request never displaces a
   *       running one because its remaining time is shorter.
   *   <li>{@link #finishTimeFairness}: Themis' finish-time fairness, the largest
   *       {@code rho = (now - arrived + remaining) / duration} first, where {@code arrived} is the
   *       request's first arrival, {@code remaining} its duration less the time it already ran,
   *       and {@code duration} its expected duration (at least 1 ms): the time it will have taken
   *       in the shared cluster if it started now, over the time it takes alone. A request that
   *       never ran has {@code rho = (waited + duration) / duration}, so the longer it waited
   *       relative to its length, the sooner it goes; an unknown duration has {@code rho = 1}.
   * </ul>
   *
   * <p>The orders that read time (SRTF and finish-time fairness) read the scheduler's
   * {@linkplain Builder#clock clock} on every operation.
   */
  final class QueueOrder {
    /** Earlier arrival first. */
    public static final QueueOrder FIFO = new QueueOrder("fifo", null);

    private final String name;
    private final @Nullable Function<Task, @Nullable Duration> expected;

    private QueueOrder(String name,
        @Nullable Function<Task, @Nullable Duration> expected) {
      this.name = name;
      this.expected = expected;
    }

    /** Shortest job first, by {@code expected} (null for unknown). */
    public static QueueOrder shortestJobFirst(Function<Task, @Nullable Duration> expected) {
      return new QueueOrder("sjf", Objects.requireNonNull(expected, "expected"));
    }

    /** Shortest remaining time first, by {@code expected} (null for unknown). */
    public static QueueOrder shortestRemainingTimeFirst(
        Function<Task, @Nullable Duration> expected) {
      return new QueueOrder("srtf", Objects.requireNonNull(expected, "expected"));
    }

    /** Themis' finish-time fairness, by {@code expected} (null for unknown). */
    public static QueueOrder finishTimeFairness(
        Function<Task, @Nullable Duration> expected) {
      return new QueueOrder("themis", Objects.requireNonNull(expected, "expected"));
    }

    /** Its short name: {@code fifo}, {@code sjf}, {@code srtf} or {@code themis}. */
    public String name() {
      return name;
    }

    /**
     * The expected duration of {@code task} in milliseconds (at least 0), or -1 when unknown or
     * under FIFO.
     *
     * @throws PolicyException when the estimate throws or answers a negative duration
     */
    public long expectedMillis(Task task) {
      if (expected == null) {
        return -1;
      }
      Duration d;
      try {
        d = expected.apply(task);
      } catch (RuntimeException e) {
        throw new PolicyException("queue order '" + name + "' expected duration", null, task.id(), "threw " + e, e);
      }
      if (d == null) {
        return -1;
      }
      if (d.isNegative()) {
        throw new PolicyException("queue order '" + name + "' expected duration", null, task.id(),
            "answered a negative duration " + d, null);
      }
      try {
        return d.toMillis();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE - 1;
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Builds a {@link Scheduler} ({@link #build()}) or a plain {@link PlacementEngine}
   * ({@link #buildEngine()}). Each setting may be given once; a second call, or a setting the
   * chosen result has no use for, is rejected with a message naming what was set.
   */
  final class Builder {
    private final Settings.Draft engine = new Settings.Draft();
    private final QueueSettings.Draft queue = new QueueSettings.Draft();

    private Builder() {}

    /** The scoring policy, by the name of a ServiceLoader-provided policy (default {@code fgd}). */
    public Builder policy(String name) {
      engine.policy(name);
      return this;
    }

    /** The scoring policy, given directly. */
    public Builder policy(ScoringPolicy value) {
      engine.policy(value);
      return this;
    }

    /** The seed of tie-breaking and of random policies (default 42). */
    public Builder seed(long value) {
      engine.seed(value);
      return this;
    }

    /** The device models policies may look up (default the built-in catalogue). */
    public Builder catalogue(DeviceCatalogue value) {
      engine.catalogue(value);
      return this;
    }

    /** What the cluster usually runs: the target of fragmentation-aware policies and gauges. */
    public Builder workload(WorkloadDistribution value) {
      engine.workload(value);
      return this;
    }

    /**
     * The fragmentation measure policies minimise and the gauges report (default
     * {@link FragmentationMeasure#of} the workload).
     */
    public Builder fragmentation(FragmentationMeasure value) {
      engine.fragmentation(value);
      return this;
    }

    /**
     * The network between the domains of one topology level, for gangs: node {@code n} is in
     * domain {@code d} when its label {@code level} is {@code d}, and {@code bandwidth} row
     * {@code i} is {@code domains.get(i)}. A gang then goes where the weakest link between two of
     * its members' nodes is strongest (one domain beats any link), and never below its
     * {@link io.flexsched.model.Gang#minBandwidth()}. Default: no network; a gang's members go
     * wherever they fit, and a gang that sets a minimum bandwidth is rejected.
     *
     * @throws InvalidSpecException when a domain repeats or the matrix is not sized to them
     */
    public Builder network(String level, java.util.List<String> domains, io.flexsched.model.LinkMatrix bandwidth) {
      engine.network(io.flexsched.core.engine.Network.of(level, domains, bandwidth));
      return this;
    }

    /** Remote devices pool per value of node label {@code level}, not for a node without it (default: one pool). */
    public Builder remoteDevicePool(String level) {
      engine.remoteDevicePool(level);
      return this;
    }

    /** Exactly these hardware providers (default: those {@link java.util.ServiceLoader} finds). */
    public Builder hardware(Collection<? extends HardwareProvider> providers) {
      engine.hardware(providers);
      return this;
    }

    /** Turns assert mode on or off (default: the system property {@code flex.assert}). */
    public Builder assertMode(boolean value) {
      engine.assertMode(value);
      return this;
    }

    /** How equal top scores are broken (default {@link TieBreak#NODE_ORDER}). */
    public Builder tieBreak(TieBreak value) {
      engine.tieBreak(value);
      return this;
    }

    /**
     * Whether a pending outcome names its nearest miss (default true). Finding it filters every
     * node, so replays that decide millions of requests turn it off; {@link #explain} still works.
     */
    public Builder nearestMiss(boolean value) {
      engine.nearestMiss(value);
      return this;
    }

    /**
     * Instruments the engine with Micrometer meters in {@code registry} (default: none, and no
     * metrics cost). Every meter carries the tag {@code policy} and the given extra tags
     * ({@code key, value} pairs); the README lists the meters.
     *
     * @throws IllegalArgumentException when {@code tags} is not a list of key-value pairs
     */
    public Builder metrics(MeterRegistry registry, String... tags) {
      engine.metrics(registry, tags);
      return this;
    }

    /**
     * How often, at most, metrics are published after operations (default 10 s, under the usual
     * scrape intervals; also on {@link PlacementEngine#publishMetrics()}).
     */
    public Builder metricsRefresh(Duration value) {
      engine.metricsRefresh(value);
      return this;
    }

    /** Adds one node to the initial cluster. */
    public Builder node(Node value) {
      engine.node(value);
      return this;
    }

    /** Adds nodes to the initial cluster. */
    public Builder nodes(Collection<Node> value) {
      engine.nodes(value);
      return this;
    }

    /** Adds a queue (scheduler only). */
    public Builder queue(QueueSpec spec) {
      queue.queue(spec);
      return this;
    }

    /** Adds queues (scheduler only). */
    public Builder queues(Collection<QueueSpec> specs) {
      specs.forEach(queue::queue);
      return this;
    }

    /** The victim search, by the name of a ServiceLoader-provided policy (default {@code greedy}; scheduler only). */
    public Builder preemption(String name) {
      queue.preemption(name);
      return this;
    }

    /** The victim search, given directly (scheduler only). */
    public Builder preemption(PreemptionPolicy value) {
      queue.preemption(value);
      return this;
    }

    /** Turns preemption and reclaim off: requests only take free capacity (scheduler only). */
    public Builder noPreemption() {
      queue.noPreemption();
      return this;
    }

    /** Strict FIFO: a queue stops at its first request that cannot be placed (scheduler only). */
    public Builder strictFifo() {
      queue.strictFifo();
      return this;
    }

    /**
     * Backfill (the default, with {@value Scheduler#DEFAULT_RESERVE_AFTER}): later requests may pass
     * one that cannot be placed, which gets a reservation after being passed {@code reserveAfter}
     * times (scheduler only).
     */
    public Builder backfill(int reserveAfter) {
      queue.backfill(reserveAfter);
      return this;
    }

    /**
     * The order of a queue's waiting requests of equal priority (default {@link QueueOrder#FIFO};
     * scheduler only). It applies under strict FIFO and backfill alike, and to the order a pass
     * tries queues whose fair shares are equal.
     */
    public Builder order(QueueOrder value) {
      queue.order(Objects.requireNonNull(value, "order"));
      return this;
    }

    /**
     * Churn damping for preemption: who may not be a victim yet, and how long a request waits
     * before it preempts (default {@link Damping#OFF}; scheduler only).
     */
    public Builder damping(Damping value) {
      queue.damping(value);
      return this;
    }

    /**
     * Defragmentation in scheduling passes (default off): a request that fits nowhere, even by
     * preemption, migrates placed tasks to make room, within {@code budget} per request
     * (scheduler only). Which tasks may move and at what cost: {@link #migration}.
     */
    public Builder defragment(DisruptionBudget budget) {
      queue.defragment(Objects.requireNonNull(budget, "budget"));
      return this;
    }

    /** Which tasks defragmentation may move, their cost and groups (default {@link MigrationPolicy#STANDARD}). */
    public Builder migration(MigrationPolicy value) {
      engine.migration(value);
      return this;
    }

    /**
     * The time {@linkplain #damping damping} reads (default the system clock; a replay gives its
     * simulated time; scheduler only).
     */
    public Builder clock(InstantSource value) {
      queue.clock(value);
      return this;
    }

    /** Builds the scheduler; {@link InvalidSpecException} for an unknown policy name or a repeated node name. */
    public Scheduler build() {
      return io.flexsched.core.queue.QueuedScheduler.create(engine.settings(), queue.settings());
    }

    /**
     * Builds a plain engine.
     *
     * @throws IllegalStateException when a queue, preemption or ordering setting was given
     * @throws InvalidSpecException for an unknown policy name or a repeated node name
     */
    public PlacementEngine buildEngine() {
      queue.requireUnset("a plain engine has no queue: use build() for a Scheduler");
      return io.flexsched.core.engine.Engine.create(engine.settings());
    }
  }
}
