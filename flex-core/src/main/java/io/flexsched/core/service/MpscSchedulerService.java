package io.flexsched.core.service;

import io.flexsched.core.ConcurrentScheduler;
import io.flexsched.core.Outcome;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jctools.queues.MpscArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * {@link ConcurrentScheduler} over a JCTools {@link MpscArrayQueue}: many producers offer calls
 * without locks; one drain at a time polls them and runs them against the scheduler, its only
 * writer. A drain is started by the producer that finds none running (a compare-and-set on
 * {@link #draining}) and runs on {@link #drains}: a dedicated thread's executor, or the producer
 * itself (flat combining, as Caffeine's maintenance does under its lock). A drain that ends looks
 * at the queue once more after letting go, so a call offered while it was finishing is not left
 * behind; the compare-and-set hands the consumer's side of the queue from one drain to the next.
 */
public final class MpscSchedulerService implements ConcurrentScheduler {
  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOPPING = 2;
  private static final int TERMINATED = 3;
  private static final AtomicLong THREADS = new AtomicLong();

  /**
   * Test-only fault injection: when set, a drain does not look at the queue again after letting
   * go, the lost-wakeup race that the linearizability test must catch. Nothing else sets it.
   */
  static volatile boolean skipRecheck;

  private final Scheduler scheduler;
  private final MpscArrayQueue<Command<?>> queue;
  private final Executor drains;
  private final @Nullable ExecutorService owned;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Producers between their look at the state and the end of their offer. */
  private final AtomicInteger submitting = new AtomicInteger();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private MpscSchedulerService(Scheduler scheduler, int capacity, Executor drains, @Nullable ExecutorService owned) {
    this.scheduler = scheduler;
    this.queue = new MpscArrayQueue<>(capacity);
    this.drains = drains;
    this.owned = owned;
  }

  /** Starts a service whose drains run on one thread from {@code threads} (a new non-daemon thread when null). */
  public static MpscSchedulerService start(Scheduler scheduler, int queueCapacity, @Nullable ThreadFactory threads) {
    checkArguments(scheduler, queueCapacity);
    ThreadFactory factory = threads != null ? threads
        : task -> new Thread(task, "flex-scheduler-" + THREADS.incrementAndGet());
    ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = factory.newThread(task);
      if (t == null) {
        throw new IllegalArgumentException("the thread factory returned no thread");
      }
      return t;
    });
    return new MpscSchedulerService(scheduler, queueCapacity, thread, thread);
  }

  /** Starts a service whose drains run on the calling threads, in turn: it has no thread of its own. */
  public static MpscSchedulerService combining(Scheduler scheduler, int queueCapacity) {
    checkArguments(scheduler, queueCapacity);
    return new MpscSchedulerService(scheduler, queueCapacity, Runnable::run, null);
  }

  private static void checkArguments(Scheduler scheduler, int queueCapacity) {
    Objects.requireNonNull(scheduler, "scheduler");
    if (queueCapacity < 1 || queueCapacity > 1 << 30) {
      throw new IllegalArgumentException("queueCapacity must be in 1..2^30, was " + queueCapacity);
    }
  }

  @Override
  public CompletableFuture<Outcome> place(Task task) {
    Objects.requireNonNull(task, "task");
    return place(List.of(task));
  }

  @Override
  public CompletableFuture<Outcome> place(List<Task> request) {
    List<Task> copy = List.copyOf(request);
    return enqueue(s -> s.place(copy));
  }

  @Override
  public CompletableFuture<Void> submit(List<Task> request) {
    List<Task> copy = List.copyOf(request);
    return enqueue(s -> {
      s.submit(copy);
      return null;
    });
  }

  @Override
  public CompletableFuture<Optional<Assignment>> cancel(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    return enqueue(s -> s.cancel(taskId));
  }

  @Override
  public CompletableFuture<Assignment> release(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    return enqueue(s -> s.release(taskId));
  }

  @Override
  public CompletableFuture<List<Outcome>> schedule() {
    return enqueue(Scheduler::schedule);
  }

  @Override
  public CompletableFuture<Void> addNode(Node node) {
    Objects.requireNonNull(node, "node");
    return enqueue(s -> {
      s.addNode(node);
      return null;
    });
  }

  @Override
  public CompletableFuture<List<Assignment>> removeNode(String name) {
    Objects.requireNonNull(name, "name");
    return enqueue(s -> s.removeNode(name));
  }

  @Override
  public <T> CompletableFuture<T> execute(Function<? super Scheduler, ? extends T> work) {
    Objects.requireNonNull(work, "work");
    return enqueue(work);
  }

  private <T> CompletableFuture<T> enqueue(Function<? super Scheduler, ? extends T> work) {
    var command = new Command<T>(work);
    // The count lets the scheduling thread know no accepted offer is still on its way when it
    // decides to stop (see run()).
    submitting.incrementAndGet();
    boolean shutDown;
    boolean offered;
    try {
      shutDown = state.get() != RUNNING;
      offered = !shutDown && queue.offer(command);
    } finally {
      submitting.decrementAndGet();
    }
    // Also when refused: a drain that ended while this producer was counted in could not
    // terminate the service and left that to the next drain, which this one is.
    scheduleDrain();
    if (shutDown) {
      throw new RejectedExecutionException("the scheduler service is shut down; nothing was queued");
    }
    if (!offered) {
      throw new RejectedExecutionException("the scheduler queue is full (" + queue.capacity()
          + " calls waiting); retry later or shed load");
    }
    return command.future;
  }

  @Override
  public int capacity() {
    return queue.capacity();
  }

  @Override
  public int pending() {
    return queue.size();
  }

  @Override
  public void shutdown() {
    state.compareAndSet(RUNNING, SHUTDOWN);
    scheduleDrain();
  }

  @Override
  public void shutdownNow() {
    int s;
    do {
      s = state.get();
    } while (s < STOPPING && !state.compareAndSet(s, STOPPING));
    scheduleDrain();
  }

  @Override
  public boolean isShutdown() {
    return state.get() != RUNNING;
  }

  @Override
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  @Override
  public void close() {
    shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        terminated.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a drain unless one is running; the drain that runs will find what was offered. */
  private void scheduleDrain() {
    if (state.get() == TERMINATED || !draining.compareAndSet(false, true)) {
      return;
    }
    try {
      drains.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The dedicated thread's executor is gone: the service has terminated.
      draining.set(false);
    }
  }

  private void drain() {
    try {
      Command<?> c;
      while ((c = queue.poll()) != null) {
        if (state.get() >= STOPPING) {
          c.withdraw();
        } else {
          c.run(scheduler);
        }
      }
    } catch (Error fatal) {
      terminate();
      throw fatal;
    } finally {
      draining.set(false);
    }
    if (skipRecheck) {
      return;
    }
    // A producer that offered after the last poll saw this drain running and started none.
    if (!queue.isEmpty()) {
      scheduleDrain();
    } else if (state.get() != RUNNING && submitting.get() == 0 && queue.isEmpty()) {
      // No producer can still be between its look at the state and its offer: one that counts
      // itself in after this read of zero sees the state already shut down.
      terminate();
    }
  }

  /** Ends the service: nothing accepted is left without an outcome, and the thread, if any, ends. */
  private void terminate() {
    if (state.getAndSet(TERMINATED) == TERMINATED) {
      return;
    }
    while (submitting.get() != 0) {
      Thread.onSpinWait();
    }
    Command<?> c;
    while ((c = queue.poll()) != null) {
      c.withdraw();
    }
    terminated.countDown();
    if (owned != null) {
      owned.shutdown();
    }
  }

  /** One submission: the work and the future it completes. */
  private static final class Command<T> {
    final Function<? super Scheduler, ? extends T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();

    Command(Function<? super Scheduler, ? extends T> work) {
      this.work = work;
    }

    void run(Scheduler target) {
      T result;
      try {
        result = work.apply(target);
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
        return;
      } catch (Error e) {
        future.completeExceptionally(e);
        throw e;
      }
      future.complete(result);
    }

    void withdraw() {
      future.completeExceptionally(new RejectedExecutionException(
          "the scheduler service was shut down with shutdownNow() before this submission ran"));
    }
  }
}
