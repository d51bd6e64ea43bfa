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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MpscSchedulerServiceTest {
  private static final DeviceModel T4 = DeviceCatalogue.builtIn().require("T4");

  private final PlacementEngine engine = PlacementEngine.builder().policy("bestfit")
      .node(Node.of("a", 64_000, 262_144, T4, 4)).build();
  private final List<MpscSchedulerService> started = new ArrayList<>();

  private MpscSchedulerService start(int capacity) {
    MpscSchedulerService s = MpscSchedulerService.start(engine, capacity);
    started.add(s);
    return s;
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (MpscSchedulerService s : started) {
      s.shutdownNow();
      assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).as("the scheduling thread ends").isTrue();
    }
  }

  private static Task share(String id) {
    return Task.builder(id).cpuMilli(1000).memoryMiB(1024).accelerators(AcceleratorRequest.share(1, 500, 1024)).build();
  }

  /** Holds the scheduling thread inside a command until the returned latch is counted down. */
  private static CountDownLatch block(MpscSchedulerService s) throws InterruptedException {
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
    MpscSchedulerService s = start(16);
    Decision d = s.submit(share("t1")).get(10, TimeUnit.SECONDS);
    assertThat(d.placed()).isTrue();
    Assignment released = s.release("t1").get(10, TimeUnit.SECONDS);
    assertThat(released).isEqualTo(d.assignment());
    assertThat(s.execute(PlacementEngine::assignments).get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aTaskThatFitsNowhereIsADecisionWithReasonsNotAFailure() throws Exception {
    MpscSchedulerService s = start(16);
    Task huge = Task.builder("huge").cpuMilli(1_000_000).build();
    Decision d = s.submit(huge).get(10, TimeUnit.SECONDS);
    assertThat(d.placed()).isFalse();
    assertThat(d.reasons()).containsEntry(RejectReason.INSUFFICIENT_CPU, 1);
  }

  @Test
  void engineErrorsCompleteTheFutureWithTheTypedException() throws Exception {
    MpscSchedulerService s = start(16);
    s.submit(share("t1")).get(10, TimeUnit.SECONDS);
    CompletableFuture<Decision> twice = s.submit(share("t1"));
    CompletableFuture<Assignment> unknownTask = s.release("nope");
    CompletableFuture<List<Assignment>> unknownNode = s.removeNode("nope");
    CompletableFuture<Void> duplicateNode = s.addNode(Node.of("a", 1, 1, T4, 1));
    s.execute(e -> null).get(10, TimeUnit.SECONDS);
    assertThat(failure(twice)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("must not repeat a task already placed");
    assertThat(failure(unknownTask)).isInstanceOf(UnknownTaskException.class);
    assertThat(failure(unknownNode)).isInstanceOf(UnknownNodeException.class);
    assertThat(failure(duplicateNode)).isInstanceOf(InvalidSpecException.class).hasMessageContaining("must not repeat a node");
    // The service goes on after a failed submission.
    assertThat(s.release("t1").get(10, TimeUnit.SECONDS).task()).isEqualTo("t1");
  }

  @Test
  void oneThreadsSubmissionsRunInItsOrder() throws Exception {
    MpscSchedulerService s = start(1024);
    var releases = new ArrayList<CompletableFuture<Assignment>>();
    for (int i = 0; i < 200; i++) {
      s.submit(share("t" + i));
      releases.add(s.release("t" + i)); // no waiting: the release runs after its placement
    }
    for (CompletableFuture<Assignment> r : releases) {
      assertThat(r.get(10, TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void addAndRemoveNodesThroughTheQueue() throws Exception {
    MpscSchedulerService s = start(16);
    s.addNode(Node.of("b", 8_000, 16_384, T4, 1)).get(10, TimeUnit.SECONDS);
    Task big = Task.builder("big").cpuMilli(4_000).accelerators(AcceleratorRequest.whole(1)).build();
    Decision d = s.submit(big).get(10, TimeUnit.SECONDS);
    List<Assignment> evicted = s.removeNode(d.assignment().node()).get(10, TimeUnit.SECONDS);
    assertThat(evicted).containsExactly(d.assignment());
  }

  @Test
  void aFullQueueRejectsAtOnceAndQueuesNothing() throws Exception {
    MpscSchedulerService s = start(8);
    assertThat(s.capacity()).isEqualTo(8);
    CountDownLatch gate = block(s);
    var accepted = new ArrayList<CompletableFuture<Decision>>();
    for (int i = 0; i < 8; i++) {
      accepted.add(s.submit(share("t" + i)));
    }
    assertThatThrownBy(() -> s.submit(share("overflow"))).isInstanceOf(QueueFullException.class)
        .hasMessageContaining("queue is full (8 submissions waiting)");
    gate.countDown();
    for (CompletableFuture<Decision> f : accepted) {
      assertThat(f.get(10, TimeUnit.SECONDS).placed()).isTrue();
    }
    assertThat(s.execute(e -> e.task("overflow").isPresent()).get(10, TimeUnit.SECONDS)).as("the rejected task").isFalse();
  }

  @Test
  void capacityIsRoundedUpToAPowerOfTwoAndMustBePositive() {
    assertThat(start(100).capacity()).isEqualTo(128);
    assertThatThrownBy(() -> MpscSchedulerService.start(engine, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueCapacity must be in 1..2^30, was 0");
  }

  @Test
  void shutdownRunsEverythingAcceptedAndRefusesNewWork() throws Exception {
    MpscSchedulerService s = start(64);
    CountDownLatch gate = block(s);
    var accepted = new ArrayList<CompletableFuture<Decision>>();
    for (int i = 0; i < 20; i++) {
      accepted.add(s.submit(share("t" + i)));
    }
    s.shutdown();
    assertThat(s.isShutdown()).isTrue();
    assertThatThrownBy(() -> s.submit(share("late"))).isInstanceOf(SchedulerShutdownException.class)
        .hasMessage("the scheduler service is shut down; nothing was queued");
    assertThat(s.isTerminated()).isFalse();
    gate.countDown();
    assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    int placed = 0;
    for (CompletableFuture<Decision> f : accepted) {
      assertThat(f).isCompleted();
      placed += f.join().placed() ? 1 : 0;
    }
    assertThat(placed).as("four T4s, two halves each").isEqualTo(8);
    assertThat(engine.assignments()).hasSize(8);
  }

  @Test
  void shutdownNowWithdrawsWhatHasNotRunAndTouchesNothing() throws Exception {
    MpscSchedulerService s = start(64);
    CountDownLatch gate = block(s);
    var accepted = new ArrayList<CompletableFuture<Decision>>();
    for (int i = 0; i < 20; i++) {
      accepted.add(s.submit(share("t" + i)));
    }
    s.shutdownNow();
    gate.countDown();
    assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<Decision> f : accepted) {
      assertThat(failure(f)).isInstanceOf(SchedulerShutdownException.class)
          .hasMessage("the scheduler service was shut down with shutdownNow() before this submission ran");
    }
    assertThat(engine.assignments()).isEmpty();
  }

  @Test
  void anErrorEndsTheServiceAndFailsWhatWasWaiting() throws Exception {
    var uncaught = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var thread = new java.util.concurrent.atomic.AtomicReference<Thread>();
    MpscSchedulerService s = MpscSchedulerService.start(engine, 64, r -> {
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
    CompletableFuture<Decision> after = s.submit(share("after"));
    gate.countDown();
    assertThat(s.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(failure(fatal)).isInstanceOf(StackOverflowError.class);
    assertThat(failure(after)).isInstanceOf(SchedulerShutdownException.class);
    assertThatThrownBy(() -> s.submit(share("later"))).isInstanceOf(SchedulerShutdownException.class);
    thread.get().join(10_000); // the handler runs after termination is signalled
    assertThat(uncaught.get()).as("the Error still reaches the thread's handler").isInstanceOf(StackOverflowError.class);
  }

  @Test
  void closeWaitsForTheQueueToDrain() throws Exception {
    MpscSchedulerService s = start(64);
    var accepted = new ArrayList<CompletableFuture<Decision>>();
    for (int i = 0; i < 30; i++) {
      accepted.add(s.submit(Task.builder("c" + i).cpuMilli(100).build()));
    }
    s.close();
    assertThat(s.isTerminated()).isTrue();
    assertThat(accepted).allSatisfy(f -> assertThat(f.getNow(null).placed()).isTrue());
  }

  /**
   * Producers race a shutdown: every submission either throws at once or returns a future that
   * completes, and every one that completed with a placement is on the engine.
   */
  @Test
  void aShutdownRacingProducersLosesNothing() throws Exception {
    for (int round = 0; round < 20; round++) {
      PlacementEngine e = PlacementEngine.builder().policy("bestfit").assertMode(false)
          .node(Node.builder("cpu").cpuMilli(Long.MAX_VALUE / 2).memoryMiB(Long.MAX_VALUE / 2).build()).build();
      MpscSchedulerService s = MpscSchedulerService.start(e, 64);
      int producers = 4;
      var futures = new ArrayList<List<CompletableFuture<Decision>>>();
      var refused = new AtomicInteger();
      var ready = new CountDownLatch(producers);
      var threads = new ArrayList<Thread>();
      for (int p = 0; p < producers; p++) {
        var mine = new ArrayList<CompletableFuture<Decision>>();
        futures.add(mine);
        int id = p;
        Thread t = new Thread(() -> {
          ready.countDown();
          for (int i = 0; ; i++) {
            try {
              mine.add(s.submit(Task.builder("r" + id + "-" + i).cpuMilli(1).build()));
            } catch (QueueFullException full) {
              Thread.yield();
            } catch (SchedulerShutdownException shut) {
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
      int placed = 0;
      for (List<CompletableFuture<Decision>> mine : futures) {
        for (CompletableFuture<Decision> f : mine) {
          assertThat(f).as("every accepted future completes").isCompleted();
          assertThat(f.get().placed()).isTrue();
          placed++;
        }
      }
      assertThat(e.assignments()).hasSize(placed);
    }
  }

  @Test
  void submissionsAreCheckedForNull() {
    MpscSchedulerService s = start(4);
    assertThatThrownBy(() -> s.submit(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
    assertThatThrownBy(() -> s.release(null)).isInstanceOf(NullPointerException.class).hasMessage("taskId");
  }

  @Test
  void awaitTerminationTimesOutWhileRunning() throws InterruptedException, ExecutionException {
    MpscSchedulerService s = start(4);
    assertThat(s.awaitTermination(10, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(s.isShutdown()).isFalse();
  }
}
