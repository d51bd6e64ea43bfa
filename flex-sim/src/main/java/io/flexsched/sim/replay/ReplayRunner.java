package io.flexsched.sim.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs the paper's replay for several policies and seeds, in parallel across runs. */
public final class ReplayRunner {
  private ReplayRunner() {}

  /**
   * Runs every (policy, seed) pair on {@code workload} with up to {@code threads} threads.
   *
   * @param onRunDone called with the number of runs finished so far, after each run (from any
   *     thread)
   * @return one result per pair, policies in the given order, then seeds
   */
  public static List<RunResult> run(Workload workload, List<String> policies, List<Long> seeds, int threads, IntConsumer onRunDone) {
    return run(workload, policies, seeds, 0, threads, onRunDone);
  }

  /**
   * {@link #run(Workload, List, List, int, IntConsumer)} with up to {@code migrations} moves of
   * defragmentation allowed per failed placement (0: none).
   */
  public static List<RunResult> run(Workload workload, List<String> policies, List<Long> seeds, int migrations,
      int threads, IntConsumer onRunDone) {
    return run(workload, policies, seeds, migrations, 0, threads, onRunDone);
  }

  /**
   * {@link #run(Workload, List, List, int, int, IntConsumer)} with a seeded share
   * {@code remoteShare} of device tasks accepting remote devices (see {@link PaperReplay#run(Workload, String, long, int, double)}).
   */
  public static List<RunResult> run(Workload workload, List<String> policies, List<Long> seeds, int migrations,
      double remoteShare, int threads, IntConsumer onRunDone) {
    var jobs = new ArrayList<Callable<RunResult>>();
    for (String policy : policies) {
      for (long seed : seeds) {
        jobs.add(() -> PaperReplay.run(workload, policy, seed, migrations, remoteShare));
      }
    }
    return inParallel(jobs, threads, onRunDone);
  }

  /**
   * Runs independent {@code runs} on up to {@code threads} threads and returns their results in
   * the given order; the first run that throws ends the whole with its exception.
   *
   * @param onRunDone called with the number of runs finished so far, after each run (from any
   *     thread)
   */
  public static <T> List<T> inParallel(List<? extends Callable<T>> runs, int threads, IntConsumer onRunDone) {
    var done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "flex-replay");
      t.setDaemon(true);
      return t;
    });
    try {
      var jobs = new ArrayList<Future<T>>(runs.size());
      for (Callable<T> run : runs) {
        jobs.add(pool.submit(() -> {
          T result = run.call();
          onRunDone.accept(done.incrementAndGet());
          return result;
        }));
      }
      var results = new ArrayList<T>(jobs.size());
      for (Future<T> f : jobs) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
