package io.flexsched.sim.replay;

import io.flexsched.core.PlacementEngine;
import io.flexsched.core.Scheduler;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.HardwareProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * How much MIG placement geometry matters: the paper's protocol (one attempt per task, arrivals to
 * 130% of capacity) on a cluster of 8-GPU A100-40GB nodes with profile requests drawn from a
 * stated mix, once with fragmentation-aware profile starts ({@link DeviceRules#standard()}) and
 * once with lowest-start-first ({@link DeviceRules#lowestStartFirst()}), with the same policy.
 * Capacity and arrivals are counted in compute units (7 per GPU).
 */
public final class MigExperiment {
  /** The request mix: profile and its share of requests. */
  public static final List<Object[]> MIX = List.of(
      new Object[] {"1g.5gb", 0.35}, new Object[] {"1g.10gb", 0.10}, new Object[] {"2g.10gb", 0.20},
      new Object[] {"3g.20gb", 0.20}, new Object[] {"4g.20gb", 0.10}, new Object[] {"7g.40gb", 0.05});

  private static final DeviceModel A100 = DeviceCatalogue.builtIn().require("A100-40GB");

  private MigExperiment() {}

  /** Allocation % of compute units when arrivals reach 100% of capacity (mean over the run's events in that bucket). */
  public static double allocationAt100(int nodes, String policy, boolean awareStarts, long seed) {
    var cluster = new ArrayList<Node>();
    for (int i = 0; i < nodes; i++) {
      cluster.add(Node.of(String.format("mig-%04d", i), 128_000, 1_048_576, A100, 8));
    }
    DeviceRules rules = awareStarts ? DeviceRules.standard() : DeviceRules.lowestStartFirst();
    HardwareProvider provider = new HardwareProvider() {
      @Override
      public String vendor() {
        return "nvidia";
      }

      @Override
      public List<DeviceModel> models() {
        return List.of(A100);
      }

      @Override
      public Optional<DeviceRules> rules(DeviceModel model) {
        return Optional.of(rules);
      }
    };
    PlacementEngine engine = Scheduler.builder().policy(policy).seed(seed)
        .hardware(List.of(provider)).nodes(cluster).nearestMiss(false).buildEngine();
    long capacity = (long) nodes * 8 * A100.computeUnits();
    var random = new SplittableRandom(seed);
    long arrived = 0;
    long allocated = 0;
    double sum = 0;
    int count = 0;
    for (int i = 0; arrived < capacity * 13 / 10; i++) {
      Profile p = draw(random);
      arrived += p.computeUnits();
      Task t = Task.builder("r" + i).cpuMilli(1_000).memoryMiB(4_096)
          .accelerators(AcceleratorRequest.profile(p.name())).build();
      if (engine.place(t).placed()) {
        allocated += p.computeUnits();
      }
      if (Math.rint(100.0 * arrived / capacity) == 100) {
        sum += 100.0 * allocated / capacity;
        count++;
      }
    }
    engine.verifyAccounting();
    return sum / count;
  }

  private static Profile draw(SplittableRandom random) {
    double x = random.nextDouble();
    for (Object[] m : MIX) {
      x -= (Double) m[1];
      if (x < 0) {
        return A100.profile((String) m[0]).orElseThrow();
      }
    }
    return A100.profile((String) MIX.get(MIX.size() - 1)[0]).orElseThrow();
  }
}
