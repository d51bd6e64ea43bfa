package io.flexsched.sim.replay;

import io.flexsched.core.Damping;
import io.flexsched.core.Outcome;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * A time-driven replay: tasks arrive at their trace creation times (optionally compressed), run
 * for their trace lifetime (deletion minus creation) once placed, and leave; a scheduling pass
 * follows every instant with arrivals or departures. Tasks that cannot be placed wait and are
 * retried as resources free; LS and Guaranteed tasks may preempt Burstable and BE ones, Burstable
 * may preempt BE ({@link QosClass}). A preempted task loses its progress: it waits again and,
 * when re-placed, runs its whole lifetime anew.
 *
 * <p>The replay ends at the horizon: the last departure the trace's own times give (arrival plus
 * lifetime). Tasks that have not finished by then are unfinished. A task that starts on arrival
 * departs at its trace deletion time; one that waits departs that much later.
 */
public final class TimeReplay {
  /** {@link Settings#preemption()} that turns preemption off. */
  public static final String NO_PREEMPTION = "none";

  private TimeReplay() {}

  /**
   * How to replay.
   *
   * @param policy the scoring policy's name
   * @param preemption the victim search's name, or {@link #NO_PREEMPTION}
   * @param seed the engine's tie-breaking seed
   * @param compress arrivals happen at creation time divided by this (1 = the trace's own times); lifetimes are kept
   * @param strictFifo strict FIFO instead of backfill
   * @param reserveAfter under backfill, passes before a waiting task gets a reservation
   * @param damping the churn damping of preemption, on the replay's simulated clock
   * @param order the order of waiting tasks of equal priority, one of {@link #ORDERS}; the orders
   *     other than {@code fifo} read each task's trace lifetime as its expected duration (an exact
   *     estimate, the best case for them)
   */
  public record Settings(String policy, String preemption, long seed, double compress, boolean strictFifo, int reserveAfter,
      Damping damping, String order) {
    /** The queue orders: {@link Scheduler.QueueOrder#name()}s. */
    public static final List<String> ORDERS = List.of("fifo", "sjf", "srtf", "themis");

    public Settings {
      if (!ORDERS.contains(order)) {
        throw new InvalidSpecException("--ordering", "'" + order + "'", "must be one of " + ORDERS);
      }
      if (!(compress >= 1 && Double.isFinite(compress))) {
        throw new InvalidSpecException("--compress", compress, "must be a number of at least 1");
      }
      if (reserveAfter < 1) {
        throw new InvalidSpecException("--reserve-after", reserveAfter, "must be at least 1");
      }
    }

    /** In FIFO order. */
    public Settings(String policy, String preemption, long seed, double compress, boolean strictFifo, int reserveAfter,
        Damping damping) {
      this(policy, preemption, seed, compress, strictFifo, reserveAfter, damping, "fifo");
    }

    /** Without damping, in FIFO order. */
    public Settings(String policy, String preemption, long seed, double compress, boolean strictFifo, int reserveAfter) {
      this(policy, preemption, seed, compress, strictFifo, reserveAfter, Damping.OFF);
    }

    /** The defaults: greedy preemption, the trace's own times, backfill, no damping. */
    public static Settings of(String policy) {
      return new Settings(policy, "greedy", 42, 1, false, Scheduler.DEFAULT_RESERVE_AFTER);
    }
  }

  /** The replay's time, for the scheduler's damping: the trace's seconds. */
  private static final class SimulatedClock implements InstantSource {
    long seconds;

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds);
    }

    @Override
    public long millis() {
      return seconds * 1000;
    }
  }

  /** A departure: valid while the task's placement count is still {@code epoch}. */
  private record Departure(long time, long seq, int task, int epoch) {}

  /**
   * Replays {@code tasks} on {@code nodes} with {@code settings}.
   *
   * @throws InvalidSpecException when two tasks share an id
   */
  public static TimelineResult run(String workload, List<Node> nodes, List<TimedTask> tasks, Settings settings) {
    long start = System.nanoTime();
    var clock = new SimulatedClock();
    int n = tasks.size();
    var originals = new ArrayList<Task>(n);
    Map<String, Integer> index = new HashMap<>();
    long[] arrival = new long[n];
    long horizon = 0;
    for (int i = 0; i < n; i++) {
      TimedTask t = tasks.get(i);
      if (index.put(t.task().id(), i) != null) {
        throw new InvalidSpecException("task", "'" + t.task().id() + "'", "must not repeat");
      }
      originals.add(t.task());
      arrival[i] = (long) Math.floor(t.arrival() / settings.compress());
      horizon = Math.max(horizon, arrival[i] + t.duration());
    }
    // Thousands of pods wait at once here: finding each one's nearest miss would cost a scan of
    // the cluster per failed attempt, for a report that never prints it.
    Scheduler.Builder b = Scheduler.builder()
        .policy(settings.policy()).seed(settings.seed())
        .workload(WorkloadDistribution.typical(originals, PaperReplay.TYPICAL_COVERAGE))
        .nodes(nodes).nearestMiss(false)
        .damping(settings.damping()).clock(clock);
    if (settings.preemption().equals(NO_PREEMPTION)) {
      b.noPreemption();
    } else {
      b.preemption(settings.preemption());
    }
    if (settings.strictFifo()) {
      b.strictFifo();
    } else {
      b.backfill(settings.reserveAfter());
    }
    if (!settings.order().equals("fifo")) {
      b.order(order(settings.order(), t -> Duration.ofSeconds(tasks.get(index.get(t.id())).duration())));
    }
    Scheduler queue = b.build();

    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingLong((Integer i) -> arrival[i]).thenComparingInt(i -> i));
    long[] firstStart = new long[n];
    Arrays.fill(firstStart, -1);
    int[] epoch = new int[n];
    boolean[] running = new boolean[n];
    boolean[] finished = new boolean[n];
    int[] preempted = new int[n];
    var departures = new PriorityQueue<Departure>(
        Comparator.comparingLong(Departure::time).thenComparingLong(Departure::seq));
    long seq = 0;
    long preemptions = 0;
    var times = new ArrayList<Long>();
    var allocated = new ArrayList<Long>();
    int next = 0;
    long lastFinish = -1;
    while (true) {
      long ta = next < n ? arrival[order[next]] : Long.MAX_VALUE;
      long td = departures.isEmpty() ? Long.MAX_VALUE : departures.peek().time();
      long now = Math.min(ta, td);
      if (now == Long.MAX_VALUE || now > horizon) {
        break;
      }
      clock.seconds = now;
      while (!departures.isEmpty() && departures.peek().time() == now) {
        Departure d = departures.poll();
        if (running[d.task()] && epoch[d.task()] == d.epoch()) {
          queue.cancel(originals.get(d.task()).id());
          running[d.task()] = false;
          finished[d.task()] = true;
          lastFinish = now;
        }
      }
      while (next < n && arrival[order[next]] == now) {
        queue.submit(originals.get(order[next]));
        next++;
      }
      for (Outcome o : queue.schedule()) {
        if (!(o instanceof Outcome.Placed p)) {
          continue;
        }
        for (Assignment victim : p.preempted()) {
          int v = index.get(victim.task());
          running[v] = false;
          epoch[v]++;
          preempted[v]++;
          preemptions++;
        }
        for (Task t : p.tasks()) {
          int i = index.get(t.id());
          if (firstStart[i] < 0) {
            firstStart[i] = now;
          }
          running[i] = true;
          epoch[i]++;
          departures.add(new Departure(now + tasks.get(i).duration(), seq++, i, epoch[i]));
        }
      }
      times.add(now);
      allocated.add(queue.cluster().allocatedMilli());
    }
    queue.verifyAccounting();
    long first = n == 0 ? 0 : arrival[order[0]];
    long last = n == 0 ? 0 : arrival[order[n - 1]];
    return result(workload, settings, tasks, arrival, firstStart, finished, preempted, preemptions, times, allocated,
        queue.cluster().capacityMilli(), new long[] {first, last, horizon, lastFinish}, System.nanoTime() - start);
  }

  private static Scheduler.QueueOrder order(String name, Function<Task, Duration> lifetime) {
    return switch (name) {
      case "sjf" -> Scheduler.QueueOrder.shortestJobFirst(lifetime);
      case "srtf" -> Scheduler.QueueOrder.shortestRemainingTimeFirst(lifetime);
      case "themis" -> Scheduler.QueueOrder.finishTimeFairness(lifetime);
      default -> Scheduler.QueueOrder.FIFO;
    };
  }

  private static TimelineResult result(String workload, Settings settings, List<TimedTask> tasks, long[] arrival,
      long[] firstStart, boolean[] finished, int[] preempted, long preemptions, List<Long> times, List<Long> allocated,
      long capacity, long[] span, long nanos) {
    Map<QosClass, List<Integer>> byClass = new LinkedHashMap<>();
    for (QosClass q : QosClass.values()) {
      byClass.put(q, new ArrayList<>());
    }
    var everyone = new ArrayList<Integer>();
    for (int i = 0; i < tasks.size(); i++) {
      byClass.get(tasks.get(i).qos()).add(i);
      everyone.add(i);
    }
    var classes = new ArrayList<QosDelays>();
    for (Map.Entry<QosClass, List<Integer>> e : byClass.entrySet()) {
      if (!e.getValue().isEmpty()) {
        classes.add(delays(e.getKey().label(), e.getValue(), arrival, firstStart, finished, preempted));
      }
    }
    return new TimelineResult(workload, settings.policy(), settings.preemption(), settings.damping(), classes,
        delays("all", everyone, arrival, firstStart, finished, preempted), preemptions,
        times.stream().mapToLong(Long::longValue).toArray(), allocated.stream().mapToLong(Long::longValue).toArray(),
        capacity, span[0], span[1], span[2], span[3], nanos);
  }

  private static QosDelays delays(String qos, List<Integer> members, long[] arrival, long[] firstStart,
      boolean[] finished, int[] preempted) {
    var delays = new ArrayList<Long>();
    int[] preemptions = new int[members.size()];
    int unfinished = 0;
    int k = 0;
    for (int i : members) {
      if (firstStart[i] >= 0) {
        delays.add(firstStart[i] - arrival[i]);
      }
      preemptions[k++] = preempted[i];
      if (!finished[i]) {
        unfinished++;
      }
    }
    long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
    return QosDelays.of(qos, members.size(), sorted, preemptions, unfinished);
  }

  /**
   * A smaller cluster of the same make-up: of each group of nodes with the same device model (and
   * of the nodes without devices), ⌈count·fraction⌉ nodes, spread evenly over the group in list
   * order. Deterministic; 1 keeps every node.
   *
   * @throws InvalidSpecException unless 0 < fraction <= 1
   */
  public static List<Node> scaled(List<Node> nodes, double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new InvalidSpecException("--cluster-scale", fraction, "must be in (0, 1]");
    }
    Map<String, List<Node>> groups = new LinkedHashMap<>();
    for (Node node : nodes) {
      String model = node.devices().isEmpty() ? "" : node.devices().get(0).model().name();
      groups.computeIfAbsent(model, k -> new ArrayList<>()).add(node);
    }
    var kept = new java.util.HashSet<Node>();
    for (List<Node> group : groups.values()) {
      int keep = (int) Math.ceil(group.size() * fraction - 1e-9);
      for (int k = 0; k < keep; k++) {
        kept.add(group.get((int) Math.floor(k / fraction)));
      }
    }
    var out = new ArrayList<Node>();
    for (Node node : nodes) {
      if (kept.contains(node)) {
        out.add(node);
      }
    }
    return out;
  }
}
