package io.flexsched.core;

import io.flexsched.core.service.MpscSchedulerService;
import io.flexsched.model.Assignment;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A thread-safe front for a {@link Scheduler}: many producers, a single consumer. Any number of
 * threads submit work; it waits in a bounded lock-free queue (JCTools' MPSC queue) and one drain
 * at a time, the scheduler's only writer, runs it, and each call's {@link CompletableFuture}
 * completes with its result or, exceptionally, with the scheduler's exception (which, as always,
 * left the scheduler unchanged). Drains run on a scheduling thread of the front's own
 * ({@link #start}), or on the calling threads in turn ({@link #combining}: flat combining, no
 * thread at all).
 *
 * <p>Order: the calls of one thread run in the order that thread made them (a thread may place a
 * task and then release it without waiting); those of different threads interleave in the order
 * they reached the queue. The result is linearizable: every call takes effect at one instant
 * between its submission and its future's completion.
 *
 * <p>Back-pressure: when the queue is full, a call throws {@link RejectedExecutionException} at
 * once and nothing is queued; after {@link #shutdown()} too. Nothing accepted is dropped silently:
 * {@code shutdown} runs everything accepted, {@link #shutdownNow()} completes every accepted future
 * that has not run exceptionally with a {@link RejectedExecutionException}.
 *
 * <p>Futures complete in the drain, so dependent stages attached without an executor run there and
 * hold up every other call: keep them short, or use the {@code *Async} variants. The scheduler
 * handed over must not be used by any other thread afterwards; {@link #execute} reaches it inside
 * the drain.
 */
public interface ConcurrentScheduler extends AutoCloseable {
  /**
   * Starts a front for {@code scheduler} on its own non-daemon thread.
   *
   * @param queueCapacity how many calls may wait; rounded up to a power of two, at most 2^30
   */
  static ConcurrentScheduler start(Scheduler scheduler, int queueCapacity) {
    return MpscSchedulerService.start(scheduler, queueCapacity, null);
  }

  /** Starts a front whose scheduling thread comes from {@code threads}. */
  static ConcurrentScheduler start(Scheduler scheduler, int queueCapacity, ThreadFactory threads) {
    return MpscSchedulerService.start(scheduler, queueCapacity, threads);
  }

  /**
   * Starts a front with no thread of its own: a caller that finds no drain running runs the queued
   * calls itself (its own and others'), so a call may return only after running others' work.
   * Suits embedders that already own the threads that call it.
   *
   * @param queueCapacity how many calls may wait; rounded up to a power of two, at most 2^30
   */
  static ConcurrentScheduler combining(Scheduler scheduler, int queueCapacity) {
    return MpscSchedulerService.combining(scheduler, queueCapacity);
  }

  /** {@link Scheduler#place(Task)}. */
  default CompletableFuture<Outcome> place(Task task) {
    return place(List.of(task));
  }

  /** {@link Scheduler#place(List)}. */
  CompletableFuture<Outcome> place(List<Task> request);

  /** {@link Scheduler#submit(List)}. */
  CompletableFuture<Void> submit(List<Task> request);

  /** {@link Scheduler#cancel(String)}. */
  CompletableFuture<Optional<Assignment>> cancel(String taskId);

  /** {@link Scheduler#release(String)}. */
  CompletableFuture<Assignment> release(String taskId);

  /** {@link Scheduler#schedule()}. */
  CompletableFuture<List<Outcome>> schedule();

  /** {@link Scheduler#addNode(Node)}. */
  CompletableFuture<Void> addNode(Node node);

  /** {@link Scheduler#removeNode(String)}. */
  CompletableFuture<List<Assignment>> removeNode(String name);

  /**
   * Runs {@code work} on the scheduling thread with the scheduler to itself: a read of a
   * consistent state, a transaction, a what-if. It must not keep the scheduler or its views.
   */
  <T> CompletableFuture<T> execute(Function<? super Scheduler, ? extends T> work);

  /** How many calls may wait at once. */
  int capacity();

  /** How many accepted calls have not started yet (a moment's estimate). */
  int pending();

  /**
   * Stops accepting calls; everything already accepted still runs and its future completes. Returns
   * at once; {@link #awaitTermination} waits for the queue to drain.
   */
  void shutdown();

  /**
   * Stops accepting calls and withdraws those that have not started: their futures complete
   * exceptionally with a {@link RejectedExecutionException}. The one running finishes normally.
   */
  void shutdownNow();

  /** True once {@link #shutdown()} or {@link #shutdownNow()} was called. */
  boolean isShutdown();

  /** True once the scheduling thread has ended and every accepted future is complete. */
  boolean isTerminated();

  /** Waits until {@link #isTerminated()}; false when the time ran out first. */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

  /** {@link #shutdown()}, then waits for every accepted call to complete. */
  @Override
  void close();
}
