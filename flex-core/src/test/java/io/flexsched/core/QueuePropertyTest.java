package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random sequences of submit, cancel and scheduling passes (which preempt and reclaim) on
 * a {@link Scheduler}, with invariants checked from the outside after every step: no queue
 * above its limit, nothing over-committed, the engine's accounting recomputed (assert mode), every
 * live task pending or placed and never both, and no victim that the rules protect. A failure
 * names its seed; {@code run(seed)} replays it alone.
 */
class QueuePropertyTest {
  private static final int RUNS = 30;
  private static final int STEPS = 120;

  /** What the runs exercised, so that a run that never preempts cannot pass unnoticed. */
  private static final long[] SEEN = new long[4];
  private static final int PRIORITY_PREEMPTIONS = 0;
  private static final int RECLAIMS = 1;
  private static final int LIMITED = 2;
  private static final int PLACED = 3;
  /** Gangs placed, and of those, placed by preempting. */
  private static final long[] GANGS = new long[3];

  @Test
  void limitsHoldAndNothingIsOverCommittedAfterAnySequence() {
    java.util.Arrays.fill(SEEN, 0);
    for (long seed = 1; seed <= RUNS; seed++) {
      try {
        mixed(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("QueuePropertyTest failing seed " + seed + ": replay with mixed(" + seed + "L)", e);
      }
    }
    assertExercised("mixed");
  }

  private static void assertExercised(String what) {
    System.out.printf("QueuePropertyTest %s: %d placements, %d priority preemptions, %d reclaims, %d limit waits%n",
        what, SEEN[PLACED], SEEN[PRIORITY_PREEMPTIONS], SEEN[RECLAIMS], SEEN[LIMITED]);
    assertThat(SEEN).as("placements, priority preemptions, reclaims, limit waits").doesNotContain(0L);
  }

  @Test
  void guaranteesHoldOnceReclaimCompletes() {
    java.util.Arrays.fill(SEEN, 0);
    for (long seed = 1; seed <= RUNS; seed++) {
      try {
        guarantees(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("QueuePropertyTest failing seed " + seed + ": replay with guarantees(" + seed + "L)", e);
      }
    }
    assertExercised("guarantees");
  }

  @Test
  void withGangsLimitsHoldAndNothingIsOverCommitted() {
    java.util.Arrays.fill(SEEN, 0);
    java.util.Arrays.fill(GANGS, 0);
    for (long seed = 1; seed <= RUNS; seed++) {
      try {
        gangs(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("QueuePropertyTest failing seed " + seed + ": replay with gangs(" + seed + "L)", e);
      }
    }
    assertExercised("gangs");
    System.out.printf("QueuePropertyTest gangs: %d gangs placed, %d by preempting, %d members evicted with their gangs%n",
        GANGS[0], GANGS[1], GANGS[2]);
    assertThat(GANGS).as("gangs placed, gangs placed by preempting, gang members evicted").doesNotContain(0L);
  }

  /** Two to four nodes of four Ascend 910 NPUs with CPU and memory to spare. */
  private static List<Node> npuCluster(SplittableRandom random) {
    var nodes = new ArrayList<Node>();
    int count = 2 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      nodes.add(Node.of("n" + i, 256_000, 1_048_576, DeviceCatalogue.builtIn().require("Ascend910"), 4));
    }
    return nodes;
  }

  /** The nodes' accelerator compute, in milli (what the engine reports as its capacity). */
  private static long capacityMilli(List<Node> nodes) {
    long devices = 0;
    for (Node n : nodes) {
      devices += n.devices().size();
    }
    return devices * 1000;
  }

  /**
   * Whole-NPU tasks and gangs of two or three members (one priority per gang) on four-NPU nodes,
   * random queues: besides the invariants of every run, a gang is placed whole or not at all and
   * evicted whole or not at all.
   */
  static void gangs(long seed) {
    var random = new SplittableRandom(seed);
    List<Node> nodes = npuCluster(random);
    List<QueueSpec> queues = queues(random, capacityMilli(nodes), false);
    Scheduler q = build(random, Scheduler.builder().policy("bestfit").seed(seed).nodes(nodes), queues);
    var world = new World(q);
    int id = 0;
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      String queue = queues.get(random.nextInt(queues.size())).name();
      int priority = random.nextInt(4);
      if (op < 4) {
        world.submit(Task.builder("t" + id++).cpuMilli(1_000).memoryMiB(1_024)
            .accelerators(AcceleratorRequest.whole(1 + random.nextInt(2)))
            .priority(priority).preemptible(random.nextInt(10) < 7).queue(queue).build());
      } else if (op < 6) {
        int size = 2 + random.nextInt(2);
        var gang = new io.flexsched.model.Gang("g" + id, size, null, false);
        var members = new ArrayList<Task>();
        for (int m = 0; m < size; m++) {
          members.add(Task.builder("g" + id + "-" + m).cpuMilli(1_000).memoryMiB(1_024)
              .accelerators(AcceleratorRequest.whole(1 + random.nextInt(4)))
              .priority(priority).queue(queue).gang(gang).build());
        }
        id++;
        world.submitGang(members);
      } else if (op < 8) {
        world.cancelOne(random);
      } else {
        world.pass();
      }
      world.check();
    }
  }

  /** Heterogeneous nodes and every kind of task, random queues, policies and orderings. */
  static void mixed(long seed) {
    var random = new SplittableRandom(seed);
    var gen = new RandomClusters(seed);
    String policy = random.nextBoolean() ? "fgd" : "bestfit";
    List<Node> nodes = gen.nodes(3 + random.nextInt(4));
    List<QueueSpec> queues = queues(random, capacityMilli(nodes), true);
    Scheduler q = build(random, Scheduler.builder().policy(policy).seed(seed).nodes(nodes), queues);
    var names = new ArrayList<String>();
    for (QueueSpec s : queues) {
      names.add(s.name());
    }
    names.add(null);
    var world = new World(q);
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        Task t = gen.task().toBuilder().priority(random.nextInt(4)).preemptible(random.nextInt(4) != 0)
            .queue(names.get(random.nextInt(names.size()))).build();
        world.submit(t);
      } else if (op < 7) {
        world.cancelOne(random);
      } else {
        world.pass();
      }
      world.check();
    }
  }

  /**
   * Whole one-NPU tasks on four-NPU nodes with room to spare for CPU and memory, and guarantees
   * that sum to at most the cluster: after passes until nothing more moves, a queue with tasks
   * pending holds at least its guarantee.
   */
  static void guarantees(long seed) {
    var random = new SplittableRandom(seed);
    List<Node> nodes = npuCluster(random);
    List<QueueSpec> queues = queues(random, capacityMilli(nodes), false);
    Scheduler q = build(random, Scheduler.builder().policy("bestfit").seed(seed).nodes(nodes), queues);
    var world = new World(q);
    int id = 0;
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      if (op < 6) {
        QueueSpec home = queues.get(random.nextInt(queues.size()));
        world.submit(Task.builder("t" + id++).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1))
            .priority(random.nextInt(3)).preemptible(random.nextInt(10) < 7).queue(home.name()).build());
      } else if (op < 8) {
        world.cancelOne(random);
      } else {
        world.settle();
        for (QueueSpec s : queues) {
          boolean waiting = q.pending().stream().anyMatch(p -> s.name().equals(p.tasks().get(0).queue()));
          if (waiting) {
            assertThat(q.usage(s.name()).gpuMilli()).as("queue %s has tasks pending: it holds its guarantee", s.name())
                .isGreaterThanOrEqualTo(s.guaranteed().gpuMilli());
          }
        }
      }
      world.check();
    }
  }

  /** Two or three queues whose GPU guarantees sum to at most {@code capacity}, limits above them. */
  private static List<QueueSpec> queues(SplittableRandom random, long capacity, boolean hostResources) {
    int n = 2 + random.nextInt(2);
    long devices = capacity / 1000;
    var out = new ArrayList<QueueSpec>();
    long left = devices;
    for (int i = 0; i < n; i++) {
      long g = left == 0 ? 0 : random.nextLong(left / (n - i) + 1);
      left -= g;
      long limit = g + random.nextLong(devices + 1);
      QueueSpec.Builder b = QueueSpec.builder("q" + i).guaranteedGpuMilli(g * 1000).limitGpuMilli(limit * 1000)
          .weight(1 + random.nextInt(3));
      if (hostResources && random.nextInt(3) == 0) {
        b.limitCpuMilli(8_000L * (1 + random.nextInt(8)));
      }
      out.add(b.build());
    }
    return out;
  }

  private static Scheduler build(SplittableRandom random, Scheduler.Builder b, List<QueueSpec> queues) {
    b.queues(queues);
    b.preemption(random.nextBoolean() ? "greedy" : "exact");
    if (random.nextInt(3) == 0) {
      b.strictFifo();
    } else {
      b.backfill(1 + random.nextInt(5));
    }
    return b.build();
  }

  /** The test's own record of what was submitted and cancelled, and the checks against it. */
  private static final class World {
    private final Scheduler q;
    private final Map<String, Task> live = new HashMap<>();
    private final List<String> order = new ArrayList<>();
    /** Each gang member's id to all of its gang's ids. */
    private final Map<String, List<String>> gangOf = new HashMap<>();

    World(Scheduler q) {
      this.q = q;
    }

    void submit(Task t) {
      try {
        q.submit(t);
      } catch (InvalidSpecException e) {
        // The engine refuses some random tasks (e.g. a profile no model of the cluster has).
        assertThat(q.isPending(t.id()) || isRunning(t.id())).isFalse();
        return;
      }
      live.put(t.id(), t);
      order.add(t.id());
    }

    void submitGang(List<Task> members) {
      try {
        q.submit(members);
      } catch (InvalidSpecException e) {
        for (Task m : members) {
          assertThat(q.isPending(m.id()) || isRunning(m.id())).isFalse();
        }
        return;
      }
      var ids = new ArrayList<String>();
      for (Task m : members) {
        live.put(m.id(), m);
        order.add(m.id());
        ids.add(m.id());
      }
      for (String m : ids) {
        gangOf.put(m, ids);
      }
    }

    void cancelOne(SplittableRandom random) {
      if (order.isEmpty()) {
        return;
      }
      String id = order.remove(random.nextInt(order.size()));
      boolean wasRunning = isRunning(id);
      assertThat(q.cancel(id).isPresent()).isEqualTo(wasRunning);
      live.remove(id);
      if (!wasRunning && gangOf.containsKey(id)) {
        // Withdrawing a pending member withdraws its whole gang.
        for (String m : gangOf.get(id)) {
          assertThat(q.isPending(m)).as("member %s of a withdrawn gang", m).isFalse();
          live.remove(m);
          order.remove(m);
        }
      }
    }

    private boolean isRunning(String id) {
      return q.cluster().task(id).isPresent();
    }

    List<Outcome> pass() {
      Map<String, QueueSpec> specs = new HashMap<>();
      Map<String, Resources> usage = new HashMap<>();
      for (QueueSpec s : q.queues()) {
        specs.put(s.name(), s);
        usage.put(s.name(), q.usage(s.name()));
      }
      List<Outcome> pass = q.schedule();
      for (Outcome.Placed o : PassOutcomes.placed(pass)) {
        Task first = o.tasks().get(0);
        if (first.gang() != null) {
          assertThat(o.tasks()).extracting(Task::id).as("gang %s placed whole, in member order", first.gang().name())
              .isEqualTo(gangOf.get(first.id()));
          GANGS[0]++;
          if (!o.preempted().isEmpty()) {
            GANGS[1]++;
          }
        } else {
          assertThat(o.tasks()).as("a task without a gang is placed alone").hasSize(1);
        }
      }
      // Replays the pass's placements in order, so each victim is judged by the usage of the moment:
      // a request (a gang's members together) is decided on the usage before its own evictions.
      for (Outcome.Placed o : PassOutcomes.placed(pass)) {
        String home = queueOf(o.tasks().get(0));
        int lowest = Integer.MAX_VALUE;
        Resources request = Resources.ZERO;
        for (Task m : o.tasks()) {
          assertThat(queueOf(m)).as("members of one request share a queue").isEqualTo(home);
          lowest = Math.min(lowest, m.priority());
          request = request.plus(Resources.of(m));
        }
        for (Task p : o.tasks()) {
          for (Assignment victim : o.preemptedFor(p.id())) {
            String victimId = victim.task();
            Task v = live.get(victimId);
            assertThat(v.preemptible()).as("victim %s of %s is preemptible", victimId, p.id()).isTrue();
            if (v.gang() != null) {
              long members = o.preemptedIds().stream().filter(id -> v.gang().equals(live.get(id).gang())).count();
              assertThat(members).as("victim %s of %s goes with its whole gang", victimId, p.id()).isEqualTo(v.gang().size());
              GANGS[2]++;
            }
            SEEN[queueOf(v).equals(home) ? PRIORITY_PREEMPTIONS : RECLAIMS]++;
            if (queueOf(v).equals(home)) {
              assertThat(v.priority()).as("victim %s of %s in its own queue has a lower priority than every member", victimId,
                  p.id()).isLessThan(lowest);
            } else {
              QueueSpec vq = specs.get(queueOf(v));
              assertThat(vq.borrowing(usage.get(vq.name())))
                  .as("victim %s of %s comes from a borrowing queue (%s)", victimId, p.id(), usage.get(vq.name())).isTrue();
              QueueSpec pq = specs.get(home);
              assertThat(usage.get(pq.name()).plus(request).within(pq.guaranteed()))
                  .as("reclaimer %s stays within its queue's guarantee", p.id()).isTrue();
            }
          }
        }
        for (String victimId : o.preemptedIds()) {
          Task v = live.get(victimId);
          usage.put(queueOf(v), usage.get(queueOf(v)).minus(Resources.of(v)));
        }
        usage.put(home, usage.get(home).plus(request));
        SEEN[PLACED] += o.tasks().size();
      }
      for (Outcome.Pending waiting : PassOutcomes.pending(pass)) {
        if (waiting.cause() == Outcome.Cause.QUEUE_LIMIT) {
          SEEN[LIMITED]++;
        }
      }
      return pass;
    }

    /** Passes until one places nothing (reclaim and retries complete). */
    void settle() {
      for (int i = 0; i < 50; i++) {
        if (PassOutcomes.placed(pass()).isEmpty()) {
          return;
        }
        check();
      }
      throw new AssertionError("50 passes in a row still placed tasks: preemption does not settle");
    }

    private static String queueOf(Task t) {
      return t.queue() == null ? Scheduler.DEFAULT_QUEUE : t.queue();
    }

    void check() {
      // The engine's accounting and the queues' usage, recomputed from scratch.
      q.verifyAccounting();
      OverCommit.check(q);
      var usage = new HashMap<String, Resources>();
      Set<String> placed = new HashSet<>();
      for (Assignment a : q.cluster().assignments()) {
        Task t = q.cluster().task(a.task()).orElseThrow();
        placed.add(t.id());
        usage.merge(queueOf(t), Resources.of(t), Resources::plus);
      }
      for (QueueSpec s : q.queues()) {
        Resources u = usage.getOrDefault(s.name(), Resources.ZERO);
        assertThat(u.within(s.limit())).as("queue %s holds %s within its limit %s", s.name(), u, s.limit()).isTrue();
      }
      Set<String> pending = new HashSet<>();
      for (Outcome.Pending p : q.pending()) {
        for (Task t : p.tasks()) {
          assertThat(pending.add(t.id())).as("task %s is pending once", t.id()).isTrue();
        }
      }
      var both = new HashSet<>(pending);
      both.retainAll(placed);
      assertThat(both).as("tasks both pending and placed").isEmpty();
      var all = new HashSet<>(pending);
      all.addAll(placed);
      assertThat(all).as("every live task is pending or placed, and nothing else is").isEqualTo(live.keySet());
    }
  }
}
