package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.NodeView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight producer threads each push 100,000 place/release pairs through one
 * {@link ConcurrentScheduler} while a checker thread audits the scheduler through the same queue:
 * no task is lost or placed twice, nothing is over-committed, the cluster ends empty. The
 * throughput is printed as a report, not asserted (speed claims belong to JMH).
 *
 * <p>{@code -Dflex.stress.pairs=N} changes the pairs per producer. The scheduler runs without
 * assert mode, which would recompute all accounting after each of the 1.6 million changes; the
 * checker and the end of the test recompute it instead. It has no preemption: every task has the
 * same priority, so a victim search could only fail, at the cost of a probe per unplaced task.
 */
class ConcurrentSchedulerStressTest {
  private static final int PRODUCERS = 8;
  private static final int PAIRS = Integer.getInteger("flex.stress.pairs", 100_000);
  /** Pairs a producer may have in flight before it waits for its oldest. */
  private static final int WINDOW = 128;

  private record Pair(Task task, CompletableFuture<Outcome> placed, CompletableFuture<Assignment> released) {}

  /** What one producer saw. */
  private static final class Tally {
    long placed;
    long unplaced;
    long queueFull;
    final List<String> problems = new ArrayList<>();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void eightProducersSubmitAndReleaseWithoutLossOrOverCommit() throws Exception {
    List<Node> nodes = new RandomClusters(2024).nodes(16);
    Scheduler scheduler = Scheduler.builder().policy("bestfit").seed(7).assertMode(false).noPreemption().nodes(nodes).build();
    ConcurrentScheduler service = ConcurrentScheduler.start(scheduler, 1024);
    var audits = new ConcurrentLinkedQueue<String>();
    var auditCount = new AtomicLong();
    var completions = new AtomicLong();

    var tallies = new Tally[PRODUCERS];
    var producers = new ArrayList<Thread>();
    long start = System.nanoTime();
    for (int p = 0; p < PRODUCERS; p++) {
      Tally tally = tallies[p] = new Tally();
      RandomClusters tasks = new RandomClusters(100 + p);
      String prefix = "p" + p + "-";
      Thread t = new Thread(() -> produce(service, tasks, prefix, tally, completions), "producer-" + p);
      producers.add(t);
      t.start();
    }
    Thread auditor = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          String problem = service.execute(ConcurrentSchedulerStressTest::audit).join();
          auditCount.incrementAndGet();
          if (problem != null) {
            audits.add(problem);
          }
          Thread.sleep(20);
        } catch (RejectedExecutionException full) {
          Thread.yield();
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "auditor");
    auditor.start();
    for (Thread t : producers) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    auditor.interrupt();
    auditor.join();

    String finalAudit = service.execute(ConcurrentSchedulerStressTest::audit).get(1, TimeUnit.MINUTES);
    List<String> leftovers = service.execute(ConcurrentSchedulerStressTest::leftovers).get(1, TimeUnit.MINUTES);
    service.shutdown();
    assertThat(service.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

    long placed = 0;
    long unplaced = 0;
    long full = 0;
    for (Tally t : tallies) {
      assertThat(t.problems).as("what producers saw").isEmpty();
      placed += t.placed;
      unplaced += t.unplaced;
      full += t.queueFull;
    }
    long pairs = (long) PRODUCERS * PAIRS;
    assertThat(placed + unplaced).as("every submission decided exactly once").isEqualTo(pairs);
    assertThat(completions.get()).as("every future completed").isEqualTo(2 * pairs);
    assertThat(placed).as("most tasks fit the cluster").isGreaterThan(pairs / 2);
    assertThat(audits).as("audits during the run").isEmpty();
    assertThat(auditCount.get()).as("audits ran during the run").isPositive();
    assertThat(finalAudit).isNull();
    assertThat(leftovers).as("the cluster is empty at the end").isEmpty();

    double seconds = elapsed / 1e9;
    System.out.printf(Locale.ROOT,
        "stress: %d producers x %d place/release pairs = %d operations in %.2f s: %.0f operations/s "
            + "(%d placed, %d did not fit, %d queue-full retries, %d audits)%n",
        PRODUCERS, PAIRS, 2 * pairs, seconds, 2 * pairs / seconds, placed, unplaced, full, auditCount.get());
  }

  private static void produce(ConcurrentScheduler service, RandomClusters tasks, String prefix, Tally tally, AtomicLong completions) {
    var window = new ArrayDeque<Pair>();
    for (int i = 0; i < PAIRS; i++) {
      Task task = tasks.task();
      Task mine = task.toBuilder().id(prefix + task.id()).build();
      CompletableFuture<Outcome> placed = retry(() -> service.place(mine), tally);
      CompletableFuture<Assignment> released = retry(() -> service.release(mine.id()), tally);
      placed.whenComplete((v, e) -> completions.incrementAndGet());
      released.whenComplete((v, e) -> completions.incrementAndGet());
      window.add(new Pair(mine, placed, released));
      if (window.size() >= WINDOW) {
        settle(window.poll(), tally);
      }
    }
    while (!window.isEmpty()) {
      settle(window.poll(), tally);
    }
  }

  private static <T> CompletableFuture<T> retry(Supplier<CompletableFuture<T>> submission, Tally tally) {
    while (true) {
      try {
        return submission.get();
      } catch (RejectedExecutionException full) {
        // Nothing shuts the service down during the run: a refusal means the queue is full.
        tally.queueFull++;
        Thread.yield();
      }
    }
  }

  /** A pair's release must hand back exactly what its placement took, or fail for an unplaced task. */
  private static void settle(Pair pair, Tally tally) {
    Outcome d;
    try {
      d = pair.placed().join();
    } catch (CompletionException e) {
      tally.problems.add(pair.task().id() + " placement failed: " + e.getCause());
      return;
    }
    if (!d.tasks().equals(List.of(pair.task()))) {
      tally.problems.add(pair.task().id() + " got the outcome of " + d.tasks());
    }
    if (d instanceof Outcome.Placed p) {
      tally.placed++;
      try {
        Assignment back = pair.released().join();
        if (!back.equals(p.assignment())) {
          tally.problems.add(pair.task().id() + " released " + back + ", placed " + p.assignment());
        }
      } catch (CompletionException e) {
        tally.problems.add(pair.task().id() + " was placed but its release failed: " + e.getCause());
      }
    } else {
      tally.unplaced++;
      try {
        tally.problems.add(pair.task().id() + " was not placed but released " + pair.released().join());
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof InvalidSpecException bad && bad.field().equals("task"))) {
          tally.problems.add(pair.task().id() + " release failed with " + e.getCause());
        }
      }
    }
  }

  /**
   * Null when the scheduler's accounting (the engine's and the queue's) recomputes and nothing is
   * over-committed, else what is wrong.
   */
  private static String audit(Scheduler scheduler) {
    try {
      scheduler.verifyAccounting();
      OverCommit.check(scheduler);
      return null;
    } catch (AccountingException | AssertionError e) {
      return e.toString();
    }
  }

  /** Whatever is still placed or not given back. */
  private static List<String> leftovers(Scheduler scheduler) {
    var out = new ArrayList<String>();
    ClusterView cluster = scheduler.cluster();
    for (Assignment a : cluster.assignments()) {
      out.add("still placed: " + a);
    }
    if (cluster.allocatedMilli() != 0) {
      out.add("allocated milli " + cluster.allocatedMilli());
    }
    if (!scheduler.usage(Scheduler.DEFAULT_QUEUE).equals(Resources.ZERO)) {
      out.add("the default queue still holds " + scheduler.usage(Scheduler.DEFAULT_QUEUE));
    }
    for (Node n : cluster.nodes()) {
      NodeView v = cluster.node(n.name());
      if (v.freeCpuMilli() != n.cpuMilli() || v.freeMemoryMiB() != n.memoryMiB() || v.idleDevices() != v.deviceCount()
          || v.totalFreeMilli() != 1000L * v.deviceCount()) {
        out.add("node " + n.name() + " not empty");
      }
    }
    return out;
  }
}
