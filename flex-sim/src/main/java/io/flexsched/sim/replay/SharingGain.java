package io.flexsched.sim.replay;

import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import java.util.ArrayList;
import java.util.List;

/**
 * What fractional sharing is worth, measured the way Flex:ai's "30% higher utilisation" claim is
 * framed: the same arrivals replayed once as they are and once with sharing disabled, where every
 * task that asks a share of one device takes that whole device instead.
 *
 * <p>Both runs see the same tasks in the same order (the paper's seeded shuffle and inflation of
 * the original workload), and both stop when the original requests reach 100% of the cluster's
 * GPU capacity, so "arrivals" means the same demand in both. With sharing disabled the scheduler
 * also learns its target workload from the whole-device tasks it actually sees. Three figures are
 * kept: tasks placed, GPU allocation (devices held, in milli, what a cluster dashboard shows) and
 * compute used (the milli the placed tasks asked for, what the work needs); with sharing they are
 * the same, without it allocation overstates the compute used by the idle rest of each card.
 */
public final class SharingGain {
  private SharingGain() {}

  /**
   * One run's figures at 100% arrivals.
   *
   * @param policy the scoring policy
   * @param seed the run's seed
   * @param sharing whether shares were placed as shares (true) or as whole devices
   * @param arrived tasks tried
   * @param placed tasks placed
   * @param allocatedPercent devices held by placed tasks, % of GPU capacity
   * @param computePercent compute the placed tasks asked for, % of GPU capacity
   */
  public record Point(String policy, long seed, boolean sharing, int arrived, int placed,
      double allocatedPercent, double computePercent) {}

  /** Replays {@code workload} with {@code policy} and {@code seed} up to 100% arrivals. */
  public static Point run(Workload workload, String policy, long seed, boolean sharing) {
    List<Task> tasks = PaperReplay.arrivals(workload, seed);
    List<Task> typicalBasis = sharing ? workload.tasks() : wholeDevices(workload.tasks());
    WorkloadDistribution typical = WorkloadDistribution.typical(typicalBasis, PaperReplay.TYPICAL_COVERAGE);
    PlacementEngine engine = Scheduler.builder()
        .policy(policy).seed(seed).workload(typical).nodes(workload.nodes()).nearestMiss(false).buildEngine();
    long capacity = workload.gpus() * (long) DeviceModel.WHOLE_MILLI;
    long arrived = 0;
    long compute = 0;
    int tried = 0;
    int placed = 0;
    for (Task task : tasks) {
      long asked = task.accelerators().totalMilli();
      if (arrived + asked > capacity) {
        break;
      }
      arrived += asked;
      tried++;
      if (engine.place(sharing ? task : wholeDevice(task)).placed()) {
        placed++;
        compute += asked;
      }
    }
    engine.verifyAccounting();
    return new Point(policy, seed, sharing, tried, placed,
        100.0 * engine.cluster().allocatedMilli() / capacity, 100.0 * compute / capacity);
  }

  /** The task as it is asked for when devices cannot be shared: a share becomes its whole device. */
  static Task wholeDevice(Task task) {
    AcceleratorRequest r = task.accelerators();
    if (r.count() == 0 || r.profile() != null || r.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      return task;
    }
    var whole = new AcceleratorRequest(r.count(), DeviceModel.WHOLE_MILLI, r.memoryMiBPerDevice(), r.models(),
        null, r.minLinkScore());
    return task.toBuilder().accelerators(whole).build();
  }

  private static List<Task> wholeDevices(List<Task> tasks) {
    var out = new ArrayList<Task>(tasks.size());
    for (Task t : tasks) {
      out.add(wholeDevice(t));
    }
    return out;
  }
}
