package io.flexsched.sim.replay;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.Arrays;
import java.util.List;

/**
 * An offline upper bound on the replay's GPU allocation: for a run's arrivals (the same shuffle
 * and inflation as {@link PaperReplay#arrivals}), the most GPU a clairvoyant placement could have
 * allocated by each arrival bucket.
 *
 * <p>The replay reports, per bucket, the mean over the bucket's events of the allocation after
 * each (events of the neighbouring buckets when it has none). After any event {@code e} a policy
 * holds a real placement of a subset of the tasks arrived so far, so its allocation is at most
 * {@code min(arrived_e, OPT(prefix_e))}, and {@code OPT} grows with the prefix. So with
 * {@code B} the relaxation's bound for the prefix up to the bucket's last event, the bucket's
 * bound is the mean over the same events of {@code min(arrived_e, B)}, rounded like the replay
 * rounds: no policy's figure for that bucket and seed can exceed it. While everything arrived fits
 * (as far as the relaxation can tell) it equals the arrivals, as every policy's figure does.
 *
 * <p>Cost: one solve per seed and bucket at or above the first bucket where not everything fits;
 * below it nothing is solved, because if the relaxation places every task of a prefix it places
 * every task of a shorter one (drop the extra tasks; every constraint only loosens). Whatever a
 * solver reports, the arrivals themselves remain a bound, so the shortcut can cost tightness but
 * never validity.
 */
public final class AllocationBound {
  /** Default time limit of one solve. */
  public static final long DEFAULT_LIMIT_MILLIS = 60_000;

  private AllocationBound() {}

  /**
   * The bound at one bucket of one run.
   *
   * @param bucket the arrival bucket, % of GPU capacity
   * @param seed the run's seed
   * @param bound the most the replay's allocation % at this bucket could be, % of GPU capacity
   * @param arrived the replay's mean arrivals at this bucket, % of GPU capacity
   * @param status {@code fits} (everything arrived could be placed), {@code optimal} (the
   *     relaxation's optimum), {@code dual} (a MIP's proven dual bound at the time limit) or
   *     {@code arrivals} (no proof: the trivial bound)
   * @param nanos the solve's wall time (0 when nothing was solved)
   */
  public record Point(int bucket, long seed, double bound, double arrived, String status, long nanos) {}

  /** The mean bound per bucket over {@code seeds}, % of GPU capacity, with linear programs. */
  public static double[] byBucket(Workload workload, List<Long> seeds, int[] buckets) {
    double[] sum = new double[buckets.length];
    BoundModel model = new BoundModel(workload.nodes());
    for (long seed : seeds) {
      List<Point> points = run(model, workload, seed, buckets, BoundModel.Method.LP, DEFAULT_LIMIT_MILLIS);
      for (int i = 0; i < buckets.length; i++) {
        sum[i] += points.get(i).bound();
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= seeds.size();
    }
    return sum;
  }

  /**
   * The bound at each of {@code buckets} (0..130) of the run with {@code seed}, in the given order.
   *
   * @param mip whole counts solved by SCIP (tighter, slower) rather than a linear program
   * @param limitMillis time limit of each solve
   */
  public static List<Point> run(Workload workload, long seed, int[] buckets, boolean mip, long limitMillis) {
    return run(new BoundModel(workload.nodes()), workload, seed, buckets,
        mip ? BoundModel.Method.MIP : BoundModel.Method.LP, limitMillis);
  }

  /** The relaxation's bound on the GPU milli any placement of a subset of {@code tasks} allocates. */
  public static long maxAllocatedMilli(List<Node> nodes, List<Task> tasks, boolean mip) {
    return new BoundModel(nodes).solve(tasks, mip ? BoundModel.Method.MIP : BoundModel.Method.LP, DEFAULT_LIMIT_MILLIS).boundMilli();
  }

  static List<Point> run(BoundModel model, Workload workload, long seed, int[] buckets, BoundModel.Method method, long limitMillis) {
    for (int b : buckets) {
      if (b < 0 || b > PaperReplay.MAX_BUCKET) {
        throw new InvalidSpecException("bucket", b, "must be in 0.." + PaperReplay.MAX_BUCKET);
      }
    }
    List<Task> tasks = PaperReplay.arrivals(workload, seed);
    int gpus = workload.gpus();
    // Events as the replay records them: one at 0 before any task, then one after each task.
    int events = tasks.size() + 1;
    long[] arrived = new long[events];
    int[] bucketOf = new int[events];
    for (int i = 1; i < events; i++) {
      arrived[i] = arrived[i - 1] + tasks.get(i - 1).accelerators().totalMilli();
      bucketOf[i] = (int) Math.rint(arrived[i] / (double) gpus / 10.0);
    }
    Integer[] order = new Integer[buckets.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Highest bucket first: once a prefix fits entirely, every shorter one does too.
    Arrays.sort(order, (a, b) -> Integer.compare(buckets[b], buckets[a]));
    var out = new Point[buckets.length];
    boolean fitsBelow = false;
    for (int i : order) {
      int bucket = buckets[i];
      int[] window = window(bucketOf, bucket);
      if (window == null) {
        out[i] = new Point(bucket, seed, Double.NaN, Double.NaN, "empty", 0);
        continue;
      }
      int last = window[1];
      long bound;
      String status;
      long nanos = 0;
      if (fitsBelow) {
        bound = arrived[last];
        status = "fits";
      } else {
        BoundModel.Solution s = model.solve(tasks.subList(0, last), method, limitMillis);
        bound = s.boundMilli();
        status = s.status().name().toLowerCase(java.util.Locale.ROOT);
        nanos = s.nanos();
        fitsBelow = s.status() == BoundModel.Status.FITS;
      }
      double sumBound = 0;
      double sumArrived = 0;
      int n = 0;
      for (int e = window[0]; e <= last; e++) {
        if (Math.abs(bucketOf[e] - bucket) <= window[2]) {
          sumBound += Math.rint(Math.min(arrived[e], bound) / (double) gpus / 10.0 * 100) / 100;
          sumArrived += arrived[e] / (double) gpus / 10.0;
          n++;
        }
      }
      out[i] = new Point(bucket, seed, sumBound / n, sumArrived / n, status, nanos);
    }
    return List.of(out);
  }

  /**
   * The events the replay averages for {@code bucket}: {first, last, radius}, radius 0 for the
   * bucket's own events, or 1 for those of its neighbours when it has none; null when neither.
   */
  private static int[] window(int[] bucketOf, int bucket) {
    for (int radius = 0; radius <= 1; radius++) {
      int first = -1;
      int last = -1;
      for (int e = 0; e < bucketOf.length; e++) {
        if (Math.abs(bucketOf[e] - bucket) <= radius) {
          if (first < 0) {
            first = e;
          }
          last = e;
        }
      }
      if (first >= 0) {
        return new int[] {first, last, radius};
      }
    }
    return null;
  }
}
