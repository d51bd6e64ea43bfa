package io.flexsched.core;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.Device;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.Victim;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The pending side of a scheduler on one {@link PlacementEngine}: tasks are submitted, cancelled,
 * and placed by scheduling passes, under queues with guarantees, limits and weights, with
 * priority preemption and reclaim of borrowed resources.
 *
 * <p>A pass tries the pending tasks in order: the queue with the lowest weighted dominant share
 * of the cluster (DRF) first, within a queue higher priority first, then earlier arrival. A task
 * must keep its queue within its limit, and a non-preemptible task within its guarantee (only
 * preemptible tasks borrow). A task that fits nowhere may preempt: preemptible tasks of its own
 * queue with strictly lower priority, and, when its queue stays within its guarantee, preemptible
 * tasks of queues that are borrowing, whatever their priority (reclaim). Victims go back to
 * pending, keeping their place in arrival order.
 *
 * <p>Strict FIFO stops a queue at its first task that cannot be placed. Backfill lets later tasks
 * pass it; once a task has been passed {@code reserveAfter} times it gets a reservation (one at a
 * time): the node, of those it fits when empty, with the most free GPU now, on which nothing else
 * is placed until it is, so freed capacity accumulates for it. Other tasks still take every
 * other node, and a task whose queue stays within its guarantee is not held off by it.
 *
 * <p>A gang is submitted whole ({@link #submitGang}) and tried as one entry: all its members are
 * placed together ({@link PlacementEngine#placeGang}) or none is, and when they fit nowhere they
 * may preempt across nodes (victims of a priority strictly lower than every member's), committed
 * only if every member then fits. A gang is ordered by its lowest member priority, counts as
 * preemptible only if every member is, and never gets a reservation. Placed gang members are not
 * chosen as victims: evicting one would break its gang.
 *
 * <p>Without queues every task is in one {@link #DEFAULT_QUEUE} with no guarantee or limit to
 * keep, so only priorities matter. With queues, a task that names none is charged to the default
 * queue, which then has a guarantee of 0 GPUs and no limit (unless it is configured by name).
 *
 * <p>Single-writer. While the queue is in use, change the cluster through it
 * ({@link #addNode}, {@link #removeNode}), not directly on the engine.
 */
public final class SchedulingQueue {
  /** The queue of tasks that name none. */
  public static final String DEFAULT_QUEUE = "default";
  /** Default number of times a task may be passed under backfill before it gets a reservation. */
  public static final int DEFAULT_RESERVE_AFTER = 10;

  private static final Comparator<Entry> IN_QUEUE = Comparator
      .comparingInt((Entry e) -> -e.priority)
      .thenComparingLong(e -> e.arrival);

  private final PlacementEngine engine;
  private final @Nullable Preemption preemption;
  private final boolean backfill;
  private final int reserveAfter;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final Map<String, Entry> pending = new HashMap<>();
  private final Map<String, Entry> running = new LinkedHashMap<>();
  private final Map<Task, Memo> failures = new HashMap<>();
  private Resources capacity = Resources.ZERO;
  private long arrivals;
  private long changes;
  private long preemptions;
  private @Nullable Reservation reservation;
  private final int assertEvery = Math.max(1, Integer.getInteger(PlacementEngine.ASSERT_EVERY_PROPERTY, 1));
  private long checks;

  /** One submitted task, or one submitted gang (then {@code task} is its first member). */
  private static final class Entry {
    final Task task;
    final List<Task> members;
    final long arrival;
    final Resources request;
    final Lane lane;
    /** The lowest priority among the members. */
    final int priority;
    /** True when every member is preemptible. */
    final boolean preemptible;
    /** The task under a fixed id: equal for tasks that only differ by id. */
    final Task shape;
    int passes;
    PendingTask reason;

    Entry(Task task, long arrival, Lane lane) {
      this(List.of(task), arrival, lane);
    }

    Entry(List<Task> members, long arrival, Lane lane) {
      this.task = members.get(0);
      this.members = List.copyOf(members);
      this.arrival = arrival;
      Resources sum = Resources.ZERO;
      int lowest = Integer.MAX_VALUE;
      boolean all = true;
      for (Task m : members) {
        sum = sum.plus(Resources.of(m));
        lowest = Math.min(lowest, m.priority());
        all &= m.preemptible();
      }
      this.request = sum;
      this.priority = lowest;
      this.preemptible = all;
      this.lane = lane;
      this.shape = task.toBuilder().id("shape").build();
      this.reason = new PendingTask(task, PendingCause.NOT_TRIED, Map.of(), "submitted, not tried yet");
    }

    /** True for a gang member or a pending gang. */
    boolean gang() {
      return task.gang() != null;
    }
  }

  /** One queue's spec, usage and waiting tasks. */
  private static final class Lane {
    final QueueSpec spec;
    Resources usage = Resources.ZERO;
    final TreeSet<Entry> waiting = new TreeSet<>(IN_QUEUE);

    Lane(QueueSpec spec) {
      this.spec = spec;
    }

    boolean borrowing() {
      return spec.borrowing(usage);
    }
  }

  /** A node held for a task that has waited too long. */
  private record Reservation(Entry entry, String node) {}

  /** A failed attempt for tasks of one shape, valid while nothing changes. */
  private record Memo(long changes, PendingTask reason) {}

  private SchedulingQueue(Builder b) {
    this.engine = b.engine;
    this.preemption = b.noPreemption ? null : new Preemption(engine, b.policy != null ? b.policy : Preemption.policy("greedy"));
    this.backfill = b.backfill;
    this.reserveAfter = b.reserveAfter;
    boolean governed = !b.queues.isEmpty();
    for (QueueSpec q : b.queues) {
      lanes.put(q.name(), new Lane(q));
    }
    if (!lanes.containsKey(DEFAULT_QUEUE)) {
      QueueSpec fallback = governed
          ? QueueSpec.builder(DEFAULT_QUEUE).build()
          : new QueueSpec(DEFAULT_QUEUE, Resources.UNLIMITED, Resources.UNLIMITED, 1);
      lanes.put(DEFAULT_QUEUE, new Lane(fallback));
    }
    for (Assignment a : engine.assignments()) {
      Task t = engine.task(a.task()).orElseThrow();
      Entry e = new Entry(t, arrivals++, lane(t));
      running.put(t.id(), e);
      e.lane.usage = e.lane.usage.plus(e.request);
    }
    measureCapacity();
  }

  /** A builder for a queue over {@code engine}. */
  public static Builder builder(PlacementEngine engine) {
    return new Builder(engine);
  }

  /**
   * Adds a task to the pending set; it is tried by the next pass.
   *
   * @throws InvalidSpecException when its id is pending or placed already, its queue is unknown,
   *     or the engine would refuse it as malformed (the state is then unchanged)
   */
  public void submit(Task task) {
    if (task.gang() != null) {
      throw new InvalidSpecException("gang", task.gang().name(), "members are submitted together with submitGang, not one by one");
    }
    requireNew(task);
    Lane lane = lane(task);
    // The engine checks what it supports (profiles it knows, gangs, links); ask it now, not mid-pass.
    whatIf(List.of(task));
    Entry e = new Entry(task, arrivals++, lane);
    pending.put(task.id(), e);
    lane.waiting.add(e);
    // No change to what other tasks can get: failed attempts remembered so far stay valid.
  }

  /**
   * Adds a complete gang to the pending set as one entry; the next pass places all its members
   * or none.
   *
   * @param members all {@code gang.size()} members, each naming the same gang and the same queue
   * @throws InvalidSpecException when the members do not make one complete gang, name different
   *     queues or an unknown one, or repeat a task that is pending or placed (the state is then
   *     unchanged)
   */
  public void submitGang(List<Task> members) {
    if (members.isEmpty()) {
      throw new InvalidSpecException("gang members", "[]", "must not be empty");
    }
    for (Task m : members) {
      requireNew(m);
      if (!java.util.Objects.equals(m.queue(), members.get(0).queue())) {
        throw new InvalidSpecException("queue", "'" + m.queue() + "'", "must be the same on every member of gang "
            + (m.gang() == null ? "?" : m.gang().name()) + " (" + members.get(0).queue() + ")");
      }
    }
    Lane lane = lane(members.get(0));
    // The engine checks that the members make one complete gang, and what it supports.
    whatIf(members);
    Entry e = new Entry(members, arrivals++, lane);
    for (Task m : members) {
      pending.put(m.id(), e);
    }
    lane.waiting.add(e);
  }

  private void requireNew(Task task) {
    if (pending.containsKey(task.id()) || running.containsKey(task.id()) || engine.task(task.id()).isPresent()) {
      throw new InvalidSpecException("task.id", "'" + task.id() + "'", "must not repeat a task that is pending or placed");
    }
  }

  private Lane lane(Task task) {
    String name = task.queue() == null ? DEFAULT_QUEUE : task.queue();
    Lane lane = lanes.get(name);
    if (lane == null) {
      var names = new ArrayList<>(lanes.keySet());
      throw new InvalidSpecException("queue", "'" + name + "'", "must be one of the queues " + names);
    }
    return lane;
  }

  /**
   * Withdraws a pending task, or releases a placed one (a task that finished is cancelled too).
   * Withdrawing a member of a pending gang withdraws the whole gang; releasing a placed member
   * releases only that member.
   *
   * @return the placed task's assignment, or empty for a task that was pending
   * @throws UnknownTaskException when the task is neither pending nor placed
   */
  public Optional<Assignment> cancel(String taskId) {
    Entry e = pending.remove(taskId);
    if (e != null) {
      for (Task m : e.members) {
        pending.remove(m.id());
      }
      e.lane.waiting.remove(e);
      if (reservation != null && reservation.entry() == e) {
        reservation = null;
        changes++;
      }
      return Optional.empty();
    }
    e = running.remove(taskId);
    if (e == null) {
      throw new UnknownTaskException(taskId);
    }
    Assignment a = engine.release(taskId);
    e.lane.usage = e.lane.usage.minus(e.request);
    changes++;
    check();
    return Optional.of(a);
  }

  /** Adds a node to the cluster. */
  public void addNode(Node node) {
    engine.addNode(node);
    measureCapacity();
    changes++;
  }

  /**
   * Removes a node; the tasks on it are evicted (not re-queued) and returned.
   *
   * @throws UnknownNodeException when there is no such node
   */
  public List<Assignment> removeNode(String name) {
    List<Assignment> evicted = engine.removeNode(name);
    for (Assignment a : evicted) {
      Entry e = running.remove(a.task());
      e.lane.usage = e.lane.usage.minus(e.request);
    }
    if (reservation != null && reservation.node().equals(name)) {
      reservation = null;
    }
    measureCapacity();
    changes++;
    check();
    return evicted;
  }

  private void measureCapacity() {
    long cpu = 0;
    long memory = 0;
    for (Node n : engine.nodes()) {
      cpu += n.cpuMilli();
      memory += n.memoryMiB();
    }
    capacity = new Resources(engine.capacityMilli(), cpu, memory);
  }

  /**
   * One scheduling pass: tries every pending task once in fair-share order (and victims again
   * after they are preempted), placing, preempting and reclaiming as the rules allow.
   *
   * @return what was placed and preempted, and why every task still pending is waiting
   */
  public SchedulingPass schedulePending() {
    var placed = new ArrayList<PreemptionOutcome>();
    var untried = new LinkedHashMap<Lane, PriorityQueue<Entry>>();
    for (Lane lane : lanes.values()) {
      var q = new PriorityQueue<>(IN_QUEUE);
      q.addAll(lane.waiting);
      untried.put(lane, q);
    }
    var blocked = new LinkedHashMap<Lane, Entry>();
    var passed = new ArrayList<Entry>();
    while (true) {
      Lane lane = nextLane(untried, blocked);
      if (lane == null) {
        break;
      }
      Entry e = untried.get(lane).poll();
      if (!pending.containsKey(e.task.id())) {
        continue;
      }
      List<PreemptionOutcome> out = attempt(e);
      if (out == null) {
        if (!backfill) {
          blocked.put(lane, e);
        } else if (e.reason.cause() == PendingCause.NO_FIT || e.reason.cause() == PendingCause.RESERVED) {
          passed.add(e);
        }
        continue;
      }
      placed.addAll(out);
      for (PreemptionOutcome o : out) {
        for (Assignment victim : o.preempted()) {
          Entry v = pending.get(victim.task());
          untried.get(v.lane).add(v);
        }
      }
      for (Entry b : passed) {
        if (b != e && pending.containsKey(b.task.id())) {
          b.passes++;
          if (reservation == null && b.passes >= reserveAfter && !b.gang()) {
            reserve(b);
          }
        }
      }
    }
    for (Map.Entry<Lane, Entry> b : blocked.entrySet()) {
      for (Entry e : untried.get(b.getKey())) {
        if (pending.containsKey(e.task.id())) {
          e.reason = new PendingTask(e.task, PendingCause.BLOCKED, Map.of(),
              "strict FIFO: waits behind " + b.getValue().task.id() + " in queue " + b.getKey().spec.name());
        }
      }
    }
    check();
    return new SchedulingPass(placed, pending());
  }

  /** The lane whose next untried task goes first: lowest weighted dominant share, then its head's order. */
  private @Nullable Lane nextLane(Map<Lane, PriorityQueue<Entry>> untried, Map<Lane, Entry> blocked) {
    Lane best = null;
    double bestShare = 0;
    for (Map.Entry<Lane, PriorityQueue<Entry>> u : untried.entrySet()) {
      Lane lane = u.getKey();
      if (u.getValue().isEmpty() || blocked.containsKey(lane)) {
        continue;
      }
      double share = share(lane);
      if (best == null || share < bestShare
          || share == bestShare && IN_QUEUE.compare(u.getValue().peek(), untried.get(best).peek()) < 0) {
        best = lane;
        bestShare = share;
      }
    }
    return best;
  }

  /** The lane's dominant share of the cluster, divided by its weight. */
  private double share(Lane lane) {
    double s = 0;
    s = Math.max(s, fraction(lane.usage.gpuMilli(), capacity.gpuMilli()));
    s = Math.max(s, fraction(lane.usage.cpuMilli(), capacity.cpuMilli()));
    s = Math.max(s, fraction(lane.usage.memoryMiB(), capacity.memoryMiB()));
    return s / lane.spec.weight();
  }

  private static double fraction(long used, long total) {
    return total <= 0 ? 0 : (double) used / total;
  }

  /**
   * Tries to place one pending task or gang; the placements (one per member of a gang), or null
   * (with its reason set) when it stays pending.
   */
  private @Nullable List<PreemptionOutcome> attempt(Entry e) {
    Task t = e.task;
    Lane lane = e.lane;
    Resources after = lane.usage.plus(e.request);
    PendingCause quota = !after.within(lane.spec.limit()) ? PendingCause.QUEUE_LIMIT
        : !e.preemptible && !after.within(lane.spec.guaranteed()) ? PendingCause.QUEUE_GUARANTEE
        : null;
    if (quota != null) {
      List<PreemptionOutcome> out = preempt(e, true);
      if (out == null) {
        e.reason = quotaReason(e, quota, after);
        if (reservation != null && reservation.entry() == e) {
          // Its queue, not room, holds it back now: a node held for it would only sit idle.
          reservation = null;
          changes++;
        }
      }
      return out;
    }
    boolean reserved = reservation != null && reservation.entry() == e;
    // Gangs are not remembered by shape: a gang's shape is all of its members.
    boolean memoize = !reserved && !e.gang();
    Task shape = e.shape;
    Memo memo = memoize ? failures.get(shape) : null;
    if (memo != null && memo.changes() == changes) {
      e.reason = memo.reason().of(t);
      return null;
    }
    Predicate<String> allowed = allowedNodes(e);
    Map<RejectReason, Integer> reasons;
    if (e.gang()) {
      GangDecision g = placeGang(e.members, allowed);
      if (g.placed()) {
        var outs = new ArrayList<PreemptionOutcome>();
        for (Task m : e.members) {
          outs.add(new PreemptionOutcome(new Decision(m, engine.assignment(m.id()).orElseThrow(), Map.of()), List.of()));
        }
        return started(e, outs);
      }
      reasons = g.reasons();
    } else {
      Decision d = allowed == null ? engine.place(t) : engine.place(t, allowed);
      if (d.placed()) {
        return started(e, List.of(new PreemptionOutcome(d, List.of())));
      }
      reasons = d.reasons();
    }
    List<PreemptionOutcome> out = preempt(e, false);
    if (out != null) {
      return out;
    }
    boolean onReserved = false;
    if (allowed != null) {
      // Would the reserved node take it? Then the reservation, not room, keeps it waiting.
      onReserved = whatIf(e.members);
    }
    e.reason = onReserved
        ? new PendingTask(t, PendingCause.RESERVED, reasons, "only node " + reservation.node()
            + " could take it, and it is reserved for " + reservation.entry().task.id())
        : new PendingTask(t, PendingCause.NO_FIT, reasons, preemption == null
            ? "no node can take it" : "no node can take it, even after the preemptions the rules allow");
    if (memoize) {
      failures.put(shape, new Memo(changes, e.reason));
    }
    return null;
  }

  /**
   * Places a gang's members together, none of them on a node {@code allowed} refuses (every node
   * when null): a gang the engine put partly on a refused node is taken back and not placed.
   */
  private GangDecision placeGang(List<Task> members, @Nullable Predicate<String> allowed) {
    Transaction tx = engine.begin();
    try {
      GangDecision g = engine.placeGang(members);
      if (g.placed() && allowed != null) {
        for (Assignment a : g.assignments()) {
          if (!allowed.test(a.node())) {
            tx.rollback();
            return new GangDecision(g.gang(), false, g.domain(), List.of(), a.task(), Map.of());
          }
        }
      }
      tx.commit();
      return g;
    } finally {
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
  }

  /** Whether {@code members} (one task, or a gang's members) would be placed now; nothing changes. */
  private boolean whatIf(List<Task> members) {
    Transaction tx = engine.begin();
    try {
      return members.get(0).gang() != null ? engine.placeGang(members).placed() : engine.place(members.get(0)).placed();
    } finally {
      tx.rollback();
    }
  }

  /** The nodes {@code e} may go to: every node (null) unless a reservation holds one against it. */
  private @Nullable Predicate<String> allowedNodes(Entry e) {
    if (exempt(e)) {
      return null;
    }
    String held = reservation.node();
    return name -> !name.equals(held);
  }

  private PendingTask quotaReason(Entry e, PendingCause cause, Resources after) {
    var nodes = new EnumMap<RejectReason, Integer>(RejectReason.class);
    nodes.put(RejectReason.QUOTA, engine.nodes().size());
    QueueSpec q = e.lane.spec;
    String what = cause == PendingCause.QUEUE_LIMIT
        ? "queue " + q.name() + " would hold " + after + ", above its limit " + q.limit()
        : "it is not preemptible, so it may not borrow, and queue " + q.name() + " would hold " + after
            + ", above its guarantee " + q.guaranteed();
    return new PendingTask(e.task, cause, nodes, what);
  }

  /**
   * Places {@code e} by preempting, if the policy finds victims the rules allow; null otherwise.
   * With {@code quotaOnly}, only its own queue's lower-priority tasks may go, to make room in
   * its queue's quota.
   */
  private @Nullable List<PreemptionOutcome> preempt(Entry e, boolean quotaOnly) {
    if (preemption == null) {
      return null;
    }
    Lane lane = e.lane;
    boolean reclaim = !quotaOnly && lane.usage.plus(e.request).within(lane.spec.guaranteed());
    Predicate<Task> mayEvict = v -> {
      if (!v.preemptible()) {
        return false;
      }
      Entry ve = running.get(v.id());
      if (ve == null || ve.gang()) {
        return false;
      }
      if (ve.lane == lane) {
        return v.priority() < e.priority;
      }
      return reclaim && ve.lane.borrowing();
    };
    Predicate<List<Victim>> admissible = victims -> {
      Resources usage = lane.usage;
      for (Victim v : victims) {
        Entry ve = running.get(v.id());
        if (ve.lane == lane) {
          usage = usage.minus(ve.request);
        }
      }
      Resources after = usage.plus(e.request);
      return after.within(lane.spec.limit()) && (e.preemptible || after.within(lane.spec.guaranteed()));
    };
    Predicate<String> allowed = allowedNodes(e);
    Optional<PreemptionPlan> plan = preemption.search(e.members, mayEvict, admissible, allowed);
    if (plan.isEmpty() || plan.get().victims().isEmpty() && quotaOnly) {
      return null;
    }
    List<PreemptionOutcome> out = preemption.commitAll(plan.get(), allowed);
    if (!out.get(0).placed()) {
      return null;
    }
    for (PreemptionOutcome o : out) {
      for (Assignment victim : o.preempted()) {
        Entry ve = running.remove(victim.task());
        ve.lane.usage = ve.lane.usage.minus(ve.request);
        requeue(ve, o.decision().task().id());
        preemptions++;
      }
    }
    return started(e, out);
  }

  /**
   * Whether a reservation does not apply to {@code e}: it is the reserved task, or its queue has
   * a guarantee and placing it stays within it (a reservation never stands in the way of a queue
   * taking back its guarantee).
   */
  private boolean exempt(Entry e) {
    if (reservation == null || reservation.entry() == e) {
      return true;
    }
    Resources guaranteed = e.lane.spec.guaranteed();
    return guaranteed.gpuMilli() != Resources.UNBOUNDED && e.lane.usage.plus(e.request).within(guaranteed);
  }

  /** Books a placement: the task (every member of a gang) runs, its queue holds its request. */
  private List<PreemptionOutcome> started(Entry e, List<PreemptionOutcome> out) {
    for (Task m : e.members) {
      pending.remove(m.id());
    }
    e.lane.waiting.remove(e);
    if (e.members.size() == 1) {
      running.put(e.task.id(), e);
    } else {
      // Members run, and finish, one by one.
      for (Task m : e.members) {
        running.put(m.id(), new Entry(m, e.arrival, e.lane));
      }
    }
    e.lane.usage = e.lane.usage.plus(e.request);
    if (reservation != null && reservation.entry() == e) {
      reservation = null;
    }
    changes++;
    return out;
  }

  /** A preempted task back to pending, in its old place in arrival order. */
  private void requeue(Entry v, String by) {
    v.reason = new PendingTask(v.task, PendingCause.NOT_TRIED, Map.of(), "preempted by " + by + ", not tried since");
    pending.put(v.task.id(), v);
    v.lane.waiting.add(v);
  }

  /** Picks a node for {@code e} and holds it: the one, of those it fits when empty, with most room now. */
  private void reserve(Entry e) {
    String best = null;
    long bestGpu = -1;
    long bestCpu = -1;
    AcceleratorRequest r = e.task.accelerators();
    for (Node n : engine.nodes()) {
      if (!fitsEmpty(e.task, n)) {
        continue;
      }
      NodeView v = engine.node(n.name());
      long gpu = 0;
      for (int d = 0; d < v.deviceCount(); d++) {
        if (r.count() > 0 && ClusterState.compatible(v.model(d), r)) {
          gpu += v.freeMilli(d);
        }
      }
      if (gpu > bestGpu || gpu == bestGpu && v.freeCpuMilli() > bestCpu) {
        best = n.name();
        bestGpu = gpu;
        bestCpu = v.freeCpuMilli();
      }
    }
    if (best != null) {
      reservation = new Reservation(e, best);
      changes++;
    }
  }

  /** Whether {@code task} fits {@code node} with nothing else on it. */
  static boolean fitsEmpty(Task task, Node node) {
    if (task.cpuMilli() > node.cpuMilli() || task.memoryMiB() > node.memoryMiB()) {
      return false;
    }
    AcceleratorRequest r = task.accelerators();
    int usable = 0;
    for (Device d : node.devices()) {
      if (ClusterState.compatible(d.model(), r)) {
        usable++;
      }
    }
    return usable >= r.count();
  }

  /**
   * Every pending task with its reason as of the last pass, in arrival order (a gang's members
   * together, in the order they were submitted, each with the gang's reason).
   */
  public List<PendingTask> pending() {
    var entries = new ArrayList<>(new java.util.LinkedHashSet<>(pending.values()));
    entries.sort(Comparator.comparingLong(e -> e.arrival));
    var out = new ArrayList<PendingTask>(pending.size());
    for (Entry e : entries) {
      for (Task m : e.members) {
        out.add(m == e.task ? e.reason : e.reason.of(m));
      }
    }
    return out;
  }

  /** True when the task is pending. */
  public boolean isPending(String taskId) {
    return pending.containsKey(taskId);
  }

  /** True when the task is placed. */
  public boolean isRunning(String taskId) {
    return running.containsKey(taskId);
  }

  /** The queues, the default one included. */
  public List<QueueSpec> queues() {
    var out = new ArrayList<QueueSpec>();
    for (Lane l : lanes.values()) {
      out.add(l.spec);
    }
    return out;
  }

  /**
   * What the named queue's placed tasks hold.
   *
   * @throws InvalidSpecException for an unknown queue
   */
  public Resources usage(String queue) {
    Lane lane = lanes.get(queue);
    if (lane == null) {
      throw new InvalidSpecException("queue", "'" + queue + "'", "must be one of the queues " + lanes.keySet());
    }
    return lane.usage;
  }

  /** How many tasks have been preempted (including reclaims) since the queue was built. */
  public long preemptions() {
    return preemptions;
  }

  /** The reservation in force, as {@code task@node}, if any. */
  public Optional<String> reservation() {
    return reservation == null ? Optional.empty() : Optional.of(reservation.entry().task.id() + "@" + reservation.node());
  }

  /** The engine the queue places on. */
  public PlacementEngine engine() {
    return engine;
  }

  private void check() {
    if (engine.assertMode() && ++checks % assertEvery == 0) {
      verify();
    }
  }

  /**
   * Recomputes every queue's usage from the engine's placements and fails on any difference, on
   * a queue above its limit, or on a task both pending and placed.
   *
   * @throws AccountingException naming the first difference
   */
  public void verify() {
    var usage = new HashMap<Lane, Resources>();
    for (Lane l : lanes.values()) {
      usage.put(l, Resources.ZERO);
    }
    Set<String> placed = new HashSet<>();
    for (Assignment a : engine.assignments()) {
      placed.add(a.task());
      Entry e = running.get(a.task());
      if (e == null) {
        throw new AccountingException("task " + a.task() + " is placed but the queue does not know it as running");
      }
      usage.merge(e.lane, e.request, Resources::plus);
    }
    if (!placed.equals(running.keySet())) {
      throw new AccountingException("the queue counts as running " + running.keySet() + " but the engine holds " + placed);
    }
    for (Lane l : lanes.values()) {
      if (!usage.get(l).equals(l.usage)) {
        throw new AccountingException("queue " + l.spec.name() + " usage is " + l.usage + " but recomputes to " + usage.get(l));
      }
      if (!l.usage.within(l.spec.limit())) {
        throw new AccountingException("queue " + l.spec.name() + " holds " + l.usage + ", above its limit " + l.spec.limit());
      }
    }
    for (String id : pending.keySet()) {
      if (running.containsKey(id)) {
        throw new AccountingException("task " + id + " is both pending and running");
      }
    }
  }

  /** Builds a {@link SchedulingQueue}; each setting may be given once. */
  public static final class Builder {
    private final PlacementEngine engine;
    private final List<QueueSpec> queues = new ArrayList<>();
    private @Nullable PreemptionPolicy policy;
    private boolean noPreemption;
    private boolean preemptionSet;
    private boolean backfill = true;
    private int reserveAfter = DEFAULT_RESERVE_AFTER;
    private @Nullable String ordering;

    private Builder(PlacementEngine engine) {
      this.engine = engine;
    }

    /** Adds a queue. */
    public Builder queue(QueueSpec spec) {
      for (QueueSpec q : queues) {
        if (q.name().equals(spec.name())) {
          throw new InvalidSpecException("queue.name", "'" + spec.name() + "'", "must not repeat a queue");
        }
      }
      queues.add(spec);
      return this;
    }

    /** Adds queues. */
    public Builder queues(Collection<QueueSpec> specs) {
      for (QueueSpec q : specs) {
        queue(q);
      }
      return this;
    }

    /** The victim search, given directly (default: the built-in {@code greedy}). */
    public Builder preemption(PreemptionPolicy value) {
      requireNoPreemption();
      this.policy = value;
      return this;
    }

    /** The victim search, by the name of a ServiceLoader-provided policy. */
    public Builder preemption(String name) {
      requireNoPreemption();
      this.policy = Preemption.policy(name);
      return this;
    }

    /** Turns preemption and reclaim off: tasks only take free capacity. */
    public Builder noPreemption() {
      requireNoPreemption();
      this.noPreemption = true;
      return this;
    }

    private void requireNoPreemption() {
      if (preemptionSet) {
        throw new IllegalStateException("preemption was already set to " + (noPreemption ? "none" : policy.name()));
      }
      preemptionSet = true;
    }

    /** Strict FIFO: a queue stops at its first task that cannot be placed. */
    public Builder strictFifo() {
      requireNoOrdering("strict FIFO");
      this.backfill = false;
      return this;
    }

    /**
     * Backfill (the default, with {@value SchedulingQueue#DEFAULT_RESERVE_AFTER}): later tasks may pass one
     * that cannot be placed, which gets a reservation after being passed {@code reserveAfter}
     * times.
     */
    public Builder backfill(int reserveAfter) {
      requireNoOrdering("backfill");
      if (reserveAfter < 1) {
        throw new InvalidSpecException("reserveAfter", reserveAfter, "must be at least 1");
      }
      this.backfill = true;
      this.reserveAfter = reserveAfter;
      return this;
    }

    private void requireNoOrdering(String value) {
      if (ordering != null) {
        throw new IllegalStateException("ordering was already set to " + ordering);
      }
      ordering = value;
    }

    public SchedulingQueue build() {
      return new SchedulingQueue(this);
    }
  }
}
