package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ConcurrentScheduler}: futures, errors, back-pressure and shutdown. The scheduler has no
 * preemption, so that {@code place} is the plain placement these tests reason about.
 */
@Timeout(60)
class ConcurrentSchedulerTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");

  private final Scheduler engine = Scheduler.builder().policy("bestfit").noPreemption()
      .node(Node.of("a", 64_000, 262_144, T4, 4)).build();
  private final List<ConcurrentScheduler> started = new ArrayList<>();

  private ConcurrentScheduler start(int capacity) {
    ConcurrentScheduler s = ConcurrentScheduler.start(engine, capacity);
    started.add(s);
    return s;
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (ConcurrentScheduler s : started) {
      s.shutdownNow();
      assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).as("the scheduling thread ends").isTrue();
    }
  }

  private static Task share(String id) {
    return Task.builder(id).cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.share(1, 500, 1024)).build();
  }

  /** Holds the scheduling thread inside a command until the returned latch is counted down. */
  private static CountDownLatch block(ConcurrentScheduler s) throws InterruptedException {
    var entered = new CountDownLatch(1);
    var gate = new CountDownLatch(1);
    s.execute(e -> {
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    return gate;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void placesAndReleasesThroughFutures() throws Exception {
    ConcurrentScheduler s = start(16);
    Outcome d = s.place(share("t1")).get(10, TimeUnit.SECONDS);
    assertThat(d.placed()).isTrue();
    Assignment released = s.release("t1").get(10, TimeUnit.SECONDS);
    assertThat(released).isEqualTo(((Outcome.Placed) d).assignment());
    assertThat(s.execute(x -> x.cluster().assignments()).get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aTaskThatFitsNowhereIsAPendingOutcomeWithReasonsNotAFailure() throws Exception {
    ConcurrentScheduler s = start(16);
    Task huge = Task.builder("huge").cpuMilli(1_000_000).build();
    Outcome d = s.place(huge).get(10, TimeUnit.SECONDS);
    assertThat(d).isInstanceOf(Outcome.Pending.class);
    assertThat(((Outcome.Pending) d).reasons()).containsEntry(RejectReason.INSUFFICIENT_CPU, 1);
  }

  @Test
  void engineErrorsCompleteTheFutureWithTheTypedException() throws Exception {
    ConcurrentScheduler s = start(16);
    s.place(share("t1")).get(10, TimeUnit.SECONDS);
    CompletableFuture<Outcome> twice = s.place(share("t1"));
    CompletableFuture<Assignment> unknownTask = s.release("nope");
    CompletableFuture<List<Assignment>> unknownNode = s.removeNode("nope");
    CompletableFuture<Void> duplicateNode = s.addNode(Node.of("a", 1, 1, T4, 1));
    s.execute(e -> null).get(10, TimeUnit.SECONDS);
    assertThat(failure(twice)).isInstanceOf(InvalidSpecException.class)
        .hasMessage("task.id must not repeat a task that is pending or placed, was 't1'");
    assertThat(failure(unknownTask)).isInstanceOf(InvalidSpecException.class)
        .extracting(x -> ((InvalidSpecException) x).field()).isEqualTo("task");
    assertThat(failure(unknownNode)).isInstanceOf(InvalidSpecException.class)
        .extracting(x -> ((InvalidSpecException) x).field()).isEqualTo("node");
    assertThat(failure(duplicateNode)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("must not repeat a node");
    // The service goes on after a failed submission.
    assertThat(s.release("t1").get(10, TimeUnit.SECONDS).task()).isEqualTo("t1");
  }

  @Test
  void oneThreadsSubmissionsRunInItsOrder() throws Exception {
    ConcurrentScheduler s = start(1024);
    var releases = new ArrayList<CompletableFuture<Assignment>>();
    for (int i = 0; i < 200; i++) {
      s.place(share("t" + i));
      releases.add(s.release("t" + i)); // no waiting: the release runs after its placement
    }
    for (CompletableFuture<Assignment> r : releases) {
      assertThat(r.get(10, TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void addAndRemoveNodesThroughTheQueue() throws Exception {
    ConcurrentScheduler s = start(16);
    s.addNode(Node.of("b", 8_000, 16_384, T4, 1)).get(10, TimeUnit.SECONDS);
    Task big = Task.builder("big").cpuMilli(4_000).accelerators(AcceleratorRequest.whole(1)).build();
    Assignment d = ((Outcome.Placed) s.place(big).get(10, TimeUnit.SECONDS)).assignment();
    List<Assignment> evicted = s.removeNode(d.node()).get(10, TimeUnit.SECONDS);
    assertThat(evicted).containsExactly(d);
  }

  @Test
  void aFullQueueRejectsAtOnceAndQueuesNothing() throws Exception {
    ConcurrentScheduler s = start(8);
    assertThat(s.capacity()).isEqualTo(8);
    CountDownLatch gate = block(s);
    var accepted = new ArrayList<CompletableFuture<Outcome>>();
    for (int i = 0; i < 8; i++) {
      accepted.add(s.place(share("t" + i)));
    }
    assertThat(s.pending()).isEqualTo(8);
    assertThatThrownBy(() -> s.place(share("overflow"))).isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("queue is full (8 calls waiting)");
    gate.countDown();
    for (CompletableFuture<Outcome> f : accepted) {
      assertThat(f.get(10, TimeUnit.SECONDS).placed()).isTrue();
    }
    assertThat(s.execute(e -> e.cluster().task("overflow").isPresent()).get(10, TimeUnit.SECONDS)).as("the rejected task").isFalse();
  }

  @Test
  void capacityIsRoundedUpToAPowerOfTwoAndMustBePositive() {
    assertThat(start(100).capacity()).isEqualTo(128);
    assertThatThrownBy(() -> ConcurrentScheduler.start(engine, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueCapacity must be in 1..2^30, was 0");
  }

  @Test
  void shutdownRunsEverythingAcceptedAndRefusesNewWork() throws Exception {
    ConcurrentScheduler s = start(64);
    CountDownLatch gate = block(s);
    var accepted = new ArrayList<CompletableFuture<Outcome>>();
    for (int i = 0; i < 20; i++) {
      accepted.add(s.place(share("t" + i)));
    }
    s.shutdown();
    assertThat(s.isShutdown()).isTrue();
    assertThatThrownBy(() -> s.place(share("late"))).isInstanceOf(RejectedExecutionException.class)
        .hasMessage("the scheduler service is shut down; nothing was queued");
    assertThat(s.isTerminated()).isFalse();
    gate.countDown();
    assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    int placed = 0;
    for (CompletableFuture<Outcome> f : accepted) {
      assertThat(f).isCompleted();
      placed += f.join().placed() ? 1 : 0;
    }
    assertThat(placed).as("four T4s, two halves each").isEqualTo(8);
    assertThat(engine.cluster().assignments()).hasSize(8);
  }

  @Test
  void shutdownNowWithdrawsWhatHasNotRunAndTouchesNothing() throws Exception {
    ConcurrentScheduler s = start(64);
    CountDownLatch gate = block(s);
    var accepted = new ArrayList<CompletableFuture<Outcome>>();
    for (int i = 0; i < 20; i++) {
      accepted.add(s.place(share("t" + i)));
    }
    s.shutdownNow();
    gate.countDown();
    assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<Outcome> f : accepted) {
      assertThat(failure(f)).isInstanceOf(RejectedExecutionException.class)
          .hasMessage("the scheduler service was shut down with shutdownNow() before this submission ran");
    }
    assertThat(engine.cluster().assignments()).isEmpty();
  }

  @Test
  void anErrorEndsTheServiceAndFailsWhatWasWaiting() throws Exception {
    var uncaught = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var thread = new java.util.concurrent.atomic.AtomicReference<Thread>();
    ConcurrentScheduler s = ConcurrentScheduler.start(engine, 64, r -> {
      Thread t = new Thread(r, "scheduler-under-test");
      t.setUncaughtExceptionHandler((th, e) -> uncaught.set(e));
      thread.set(t);
      return t;
    });
    started.add(s);
    CountDownLatch gate = block(s);
    CompletableFuture<Object> fatal = s.execute(e -> {
      throw new StackOverflowError("simulated");
    });
    CompletableFuture<Outcome> after = s.place(share("after"));
    gate.countDown();
    assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(failure(fatal)).isInstanceOf(StackOverflowError.class);
    assertThat(failure(after)).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> s.place(share("later"))).isInstanceOf(RejectedExecutionException.class);
    thread.get().join(10_000); // the handler runs after termination is signalled
    assertThat(uncaught.get()).as("the Error still reaches the thread's handler").isInstanceOf(StackOverflowError.class);
  }

  @Test
  void closeWaitsForTheQueueToDrain() throws Exception {
    ConcurrentScheduler s = start(64);
    var accepted = new ArrayList<CompletableFuture<Outcome>>();
    for (int i = 0; i < 30; i++) {
      accepted.add(s.place(Task.builder("c" + i).cpuMilli(100).build()));
    }
    s.close();
    assertThat(s.isTerminated()).isTrue();
    assertThat(accepted).allSatisfy(f -> assertThat(f.getNow(null).placed()).isTrue());
  }

  /**
   * Producers race a shutdown: every submission either throws at once or returns a future that
   * completes, and every one that completed with a placement is on the engine. Both refusals are
   * {@link RejectedExecutionException}s; their messages tell a full queue from a shutdown. The
   * service terminates even when its last drain ended while a refused producer was still counted
   * in (that drain leaves termination to the producer's own drain); 200 rounds, because that window
   * is narrow (CI once hit it with 20 rounds; under load, 3,000 rounds hit it within 17 s).
   */
  @Test
  void aShutdownRacingProducersLosesNothing() throws Exception {
    for (int round = 0; round < 200; round++) {
      Scheduler e = Scheduler.builder().policy("bestfit").assertMode(false).noPreemption()
          .node(Node.builder("cpu").cpuMilli(Long.MAX_VALUE / 2).memoryMiB(Long.MAX_VALUE / 2).build()).build();
      ConcurrentScheduler s = ConcurrentScheduler.start(e, 64);
      int producers = 4;
      var futures = new ArrayList<List<CompletableFuture<Outcome>>>();
      var refused = new AtomicInteger();
      var refusals = new java.util.concurrent.ConcurrentLinkedQueue<String>();
      var ready = new CountDownLatch(producers);
      var threads = new ArrayList<Thread>();
      for (int p = 0; p < producers; p++) {
        var mine = new ArrayList<CompletableFuture<Outcome>>();
        futures.add(mine);
        int id = p;
        Thread t = new Thread(() -> {
          ready.countDown();
          for (int i = 0; ; i++) {
            try {
              mine.add(s.place(Task.builder("r" + id + "-" + i).cpuMilli(1).build()));
            } catch (RejectedExecutionException rejected) {
              if (rejected.getMessage().contains("queue is full")) {
                Thread.yield();
                continue;
              }
              refusals.add(rejected.getMessage());
              refused.incrementAndGet();
              return;
            }
          }
        });
        threads.add(t);
        t.start();
      }
      ready.await();
      Thread.sleep(2);
      s.shutdown();
      for (Thread t : threads) {
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
      }
      assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(refused.get()).isEqualTo(producers);
      assertThat(refusals).as("every producer was refused for the shutdown")
          .containsOnly("the scheduler service is shut down; nothing was queued");
      int placed = 0;
      for (List<CompletableFuture<Outcome>> mine : futures) {
        for (CompletableFuture<Outcome> f : mine) {
          assertThat(f).as("every accepted future completes").isCompleted();
          assertThat(f.get().placed()).isTrue();
          placed++;
        }
      }
      assertThat(e.cluster().assignments()).hasSize(placed);
    }
  }

  @Test
  void submissionsAreCheckedForNull() {
    ConcurrentScheduler s = start(4);
    assertThatThrownBy(() -> s.place((Task) null)).isInstanceOf(NullPointerException.class).hasMessage("task");
    assertThatThrownBy(() -> s.release(null)).isInstanceOf(NullPointerException.class).hasMessage("taskId");
  }

  @Test
  void awaitTerminationTimesOutWhileRunning() throws InterruptedException, ExecutionException {
    ConcurrentScheduler s = start(4);
    assertThat(s.awaitTermination(10, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(s.isShutdown()).isFalse();
  }
}
