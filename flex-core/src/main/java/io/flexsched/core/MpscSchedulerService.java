package io.flexsched.core;

import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jctools.queues.MpscArrayQueue;

/**
 * A thread-safe front for a {@link PlacementEngine}: many producers, a single consumer. Any number
 * of threads submit placements, releases and node changes; one scheduling thread, the engine's
 * only writer, takes them from a bounded queue and runs them one at a time, and each submission's
 * {@link CompletableFuture} completes with its result or, exceptionally, with the engine's typed
 * exception ({@link io.flexsched.model.InvalidSpecException} and its subclasses).
 *
 * <p>Order: the submissions of one thread run in the order that thread made them (so a thread
 * may submit a task and then its release without waiting); those of different threads interleave
 * in the order they reached the queue.
 *
 * <p>Back-pressure: when the queue is full, a submission throws {@link QueueFullException} at
 * once and nothing is queued. After {@link #shutdown()} a submission throws
 * {@link SchedulerShutdownException}. Nothing accepted is ever dropped silently: {@code shutdown}
 * runs everything already accepted, {@link #shutdownNow()} completes every accepted future that
 * has not run exceptionally with {@link SchedulerShutdownException}.
 *
 * <p>Futures are completed on the scheduling thread, so dependent stages attached without an
 * executor run there and hold up every other submission: keep them short, or use the
 * {@code *Async} variants. The engine handed to {@link #start} must not be used by any other
 * thread afterwards; {@link #execute} reaches it on the scheduling thread.
 */
public final class MpscSchedulerService implements AutoCloseable {
  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOPPING = 2;
  private static final int TERMINATED = 3;
  /** The longest the idle scheduling thread sleeps before looking at the queue again. */
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final AtomicLong THREADS = new AtomicLong();

  private final PlacementEngine engine;
  private final MpscArrayQueue<Command<?>> queue;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  /** Producers between their look at the state and the end of their offer. */
  private final AtomicInteger submitting = new AtomicInteger();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread scheduler;
  private volatile boolean idle;

  private MpscSchedulerService(PlacementEngine engine, int capacity, ThreadFactory threads) {
    this.engine = engine;
    this.queue = new MpscArrayQueue<>(capacity);
    this.scheduler = threads.newThread(this::run);
    if (scheduler == null) {
      throw new IllegalArgumentException("the thread factory returned no thread");
    }
  }

  /**
   * Starts a service on its own non-daemon thread, which becomes {@code engine}'s only user.
   *
   * @param queueCapacity how many submissions may wait; rounded up to a power of two
   */
  public static MpscSchedulerService start(PlacementEngine engine, int queueCapacity) {
    return start(engine, queueCapacity, task -> new Thread(task, "flex-scheduler-" + THREADS.incrementAndGet()));
  }

  /** Starts a service whose scheduling thread comes from {@code threads}. */
  public static MpscSchedulerService start(PlacementEngine engine, int queueCapacity, ThreadFactory threads) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(threads, "threads");
    if (queueCapacity < 1 || queueCapacity > 1 << 30) {
      throw new IllegalArgumentException("queueCapacity must be in 1..2^30, was " + queueCapacity);
    }
    var service = new MpscSchedulerService(engine, queueCapacity, threads);
    service.scheduler.start();
    return service;
  }

  /**
   * Queues a placement attempt; the future completes with the {@link Decision} (placed or not,
   * with reasons), or exceptionally with the engine's exception for a malformed task.
   *
   * @throws QueueFullException when the queue is full
   * @throws SchedulerShutdownException after {@link #shutdown()}
   */
  public CompletableFuture<Decision> submit(Task task) {
    Objects.requireNonNull(task, "task");
    return enqueue(e -> e.place(task));
  }

  /**
   * Queues the release of a placed task; the future completes with its assignment, or
   * exceptionally with {@link UnknownTaskException} when no such task is placed at that point.
   *
   * @throws QueueFullException when the queue is full
   * @throws SchedulerShutdownException after {@link #shutdown()}
   */
  public CompletableFuture<Assignment> release(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    return enqueue(e -> e.release(taskId));
  }

  /**
   * Queues a node joining the cluster.
   *
   * @throws QueueFullException when the queue is full
   * @throws SchedulerShutdownException after {@link #shutdown()}
   */
  public CompletableFuture<Void> addNode(Node node) {
    Objects.requireNonNull(node, "node");
    return enqueue(e -> {
      e.addNode(node);
      return null;
    });
  }

  /**
   * Queues a node leaving the cluster; the future completes with the assignments it evicted.
   *
   * @throws QueueFullException when the queue is full
   * @throws SchedulerShutdownException after {@link #shutdown()}
   */
  public CompletableFuture<List<Assignment>> removeNode(String name) {
    Objects.requireNonNull(name, "name");
    return enqueue(e -> e.removeNode(name));
  }

  /**
   * Queues {@code work}, which runs on the scheduling thread with the engine to itself: a read of
   * a consistent state, a transaction, a what-if. It must not keep the engine or its views.
   *
   * @throws QueueFullException when the queue is full
   * @throws SchedulerShutdownException after {@link #shutdown()}
   */
  public <T> CompletableFuture<T> execute(Function<? super PlacementEngine, ? extends T> work) {
    Objects.requireNonNull(work, "work");
    return enqueue(work);
  }

  private <T> CompletableFuture<T> enqueue(Function<? super PlacementEngine, ? extends T> work) {
    var command = new Command<T>(work);
    // The count lets the scheduling thread know no accepted offer is still on its way when it
    // decides to stop (see run()).
    submitting.incrementAndGet();
    try {
      if (state.get() != RUNNING) {
        throw new SchedulerShutdownException("the scheduler service is shut down; nothing was queued");
      }
      if (!queue.offer(command)) {
        throw new QueueFullException(queue.capacity());
      }
    } finally {
      submitting.decrementAndGet();
    }
    if (idle) {
      LockSupport.unpark(scheduler);
    }
    return command.future;
  }

  /** How many submissions may wait at once. */
  public int capacity() {
    return queue.capacity();
  }

  /** How many accepted submissions have not started yet (a moment's estimate). */
  public int pending() {
    return queue.size();
  }

  /**
   * Stops accepting submissions; everything already accepted still runs and its future completes.
   * Returns at once; {@link #awaitTermination} waits for the queue to drain.
   */
  public void shutdown() {
    state.compareAndSet(RUNNING, SHUTDOWN);
    LockSupport.unpark(scheduler);
  }

  /**
   * Stops accepting submissions and withdraws those that have not started: their futures complete
   * exceptionally with {@link SchedulerShutdownException}. The one running finishes normally.
   */
  public void shutdownNow() {
    int s;
    do {
      s = state.get();
    } while (s < STOPPING && !state.compareAndSet(s, STOPPING));
    LockSupport.unpark(scheduler);
  }

  /** True once {@link #shutdown()} or {@link #shutdownNow()} was called. */
  public boolean isShutdown() {
    return state.get() != RUNNING;
  }

  /** True once the scheduling thread has ended and every accepted future is complete. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /** Waits until {@link #isTerminated()}; false when the time ran out first. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /** {@link #shutdown()}, then waits for every accepted submission to complete. */
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

  private void run() {
    try {
      while (true) {
        Command<?> c = queue.poll();
        if (c != null) {
          if (state.get() >= STOPPING) {
            c.withdraw();
          } else {
            c.run(engine);
          }
          continue;
        }
        // Stop only when no producer can still be between its look at the state and its offer:
        // one that counts itself in after this read of zero sees the state already shut down.
        if (state.get() != RUNNING && submitting.get() == 0 && queue.isEmpty()) {
          return;
        }
        idle = true;
        if (queue.isEmpty() && state.get() == RUNNING) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        idle = false;
      }
    } finally {
      // Normally a no-op; after an Error escaped a command, no accepted future is left hanging.
      state.set(TERMINATED);
      while (submitting.get() != 0) {
        Thread.onSpinWait();
      }
      Command<?> c;
      while ((c = queue.poll()) != null) {
        c.withdraw();
      }
      terminated.countDown();
    }
  }

  /** One submission: the work and the future it completes. */
  private static final class Command<T> {
    final Function<? super PlacementEngine, ? extends T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();

    Command(Function<? super PlacementEngine, ? extends T> work) {
      this.work = work;
    }

    void run(PlacementEngine engine) {
      T result;
      try {
        result = work.apply(engine);
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
      future.completeExceptionally(new SchedulerShutdownException(
          "the scheduler service was shut down with shutdownNow() before this submission ran"));
    }
  }
}
