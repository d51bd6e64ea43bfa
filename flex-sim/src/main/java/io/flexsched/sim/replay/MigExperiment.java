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
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * How much MIG placement geometry matters: a cluster of 8-GPU A100-40GB nodes, profile requests
 * drawn from a stated mix, placed once with fragmentation-aware profile starts
 * ({@link DeviceRules#standard()}) and once with lowest-start-first
 * ({@link DeviceRules#lowestStartFirst()}), with the same policy and seed. Capacity and arrivals
 * are counted in compute units (7 per GPU).
 *
 * <p>Two measures. <em>Fill</em> is the paper's protocol: one attempt per task, no departures,
 * allocation when arrivals reach 100% of capacity. <em>Churn</em> starts from that filled cluster
 * and then, many times over, lets a random running task leave and offers new requests until one
 * fits nowhere; the mean allocation over that phase is what a cluster with departures keeps. Start
 * choice can only matter once devices hold holes of different shapes, which departures make.
 */
public final class MigExperiment {
  /** A request mix: profiles and their shares of requests. */
  public enum Mix {
    /** Mostly one- and two-slice requests. */
    SMALL_HEAVY(new String[] {"1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"},
        new double[] {0.50, 0.15, 0.20, 0.10, 0.04, 0.01}),
    /** The mix measured first: a third small, the rest spread. */
    BALANCED(new String[] {"1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"},
        new double[] {0.35, 0.10, 0.20, 0.20, 0.10, 0.05}),
    /** Mostly half and whole devices, with small requests in between. */
    LARGE_HEAVY(new String[] {"1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"},
        new double[] {0.15, 0.05, 0.10, 0.30, 0.20, 0.20});

    private final String[] profiles;
    private final double[] shares;

    Mix(String[] profiles, double[] shares) {
      this.profiles = profiles;
      this.shares = shares;
    }

    /** The profiles drawn, in order. */
    public String[] profiles() {
      return profiles.clone();
    }

    /** Each profile's share of requests. */
    public double[] shares() {
      return shares.clone();
    }

    Profile draw(SplittableRandom random) {
      double x = random.nextDouble();
      for (int i = 0; i < profiles.length - 1; i++) {
        x -= shares[i];
        if (x < 0) {
          return A100.profile(profiles[i]).orElseThrow();
        }
      }
      return A100.profile(profiles[profiles.length - 1]).orElseThrow();
    }
  }

  /**
   * Allocation of one run, % of compute units.
   *
   * @param fill allocation when arrivals reach 100% of capacity, no departures (mean over that
   *     bucket's events)
   * @param churn mean allocation over the churn phase
   */
  public record Result(double fill, double churn) {}

  private static final DeviceModel A100 = DeviceCatalogue.builtIn().require("A100-40GB");

  private MigExperiment() {}

  /** Allocation % of compute units when arrivals reach 100% of capacity, on the balanced mix. */
  public static double allocationAt100(int nodes, String policy, boolean awareStarts, long seed) {
    return run(nodes, policy, Mix.BALANCED, awareStarts, seed, 0).fill();
  }

  /**
   * One run: fill by the paper's protocol, then {@code departures} rounds of churn (each: a random
   * running task leaves, then requests arrive until one fits nowhere).
   */
  public static Result run(int nodes, String policy, Mix mix, boolean awareStarts, long seed, int departures) {
    PlacementEngine engine = engine(nodes, policy, awareStarts, seed);
    long capacity = (long) nodes * 8 * A100.computeUnits();
    var random = new SplittableRandom(seed);
    var running = new ArrayList<Task>();
    long arrived = 0;
    long allocated = 0;
    double sum = 0;
    int count = 0;
    int next = 0;
    while (arrived < capacity * 13 / 10) {
      Task t = request(mix.draw(random), next++);
      arrived += units(t);
      if (engine.place(t).placed()) {
        allocated += units(t);
        running.add(t);
      }
      if (Math.rint(100.0 * arrived / capacity) == 100) {
        sum += 100.0 * allocated / capacity;
        count++;
      }
    }
    double fill = sum / count;
    double churnSum = 0;
    for (int round = 0; round < departures && !running.isEmpty(); round++) {
      int leaving = random.nextInt(running.size());
      Task gone = running.get(leaving);
      running.set(leaving, running.get(running.size() - 1));
      running.remove(running.size() - 1);
      engine.release(gone.id());
      allocated -= units(gone);
      while (true) {
        Task t = request(mix.draw(random), next++);
        if (!engine.place(t).placed()) {
          break;
        }
        allocated += units(t);
        running.add(t);
      }
      churnSum += 100.0 * allocated / capacity;
    }
    engine.verifyAccounting();
    return new Result(fill, departures == 0 ? Double.NaN : churnSum / departures);
  }

  private static PlacementEngine engine(int nodes, String policy, boolean awareStarts, long seed) {
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
    return Scheduler.builder().policy(policy).seed(seed)
        .hardware(List.of(provider)).nodes(cluster).nearestMiss(false).buildEngine();
  }

  private static Task request(Profile p, int i) {
    return Task.builder("r" + i).cpuMilli(1_000).memoryMiB(4_096)
        .accelerators(AcceleratorRequest.profile(p.name())).build();
  }

  private static int units(Task t) {
    return A100.profile(t.accelerators().profile()).orElseThrow().computeUnits();
  }

  /**
   * Prints, per mix and policy, the mean over seeds 42-51 of fill and churn allocation with each
   * start rule: {@code java -cp flex.jar io.flexsched.sim.replay.MigExperiment [nodes] [departures]}.
   */
  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int departures = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    System.out.printf(Locale.ROOT, "MIG start rules: %d nodes x 8 A100-40GB, seeds 42-51, %d churn rounds%n", nodes, departures);
    System.out.printf(Locale.ROOT, "%-12s%-9s%13s%13s%13s%13s%n", "mix", "policy", "fill aware", "fill lowest",
        "churn aware", "churn lowest");
    for (Mix mix : Mix.values()) {
      for (String policy : List.of("bestfit", "packing")) {
        double[] total = new double[4];
        for (long seed = 42; seed <= 51; seed++) {
          Result aware = run(nodes, policy, mix, true, seed, departures);
          Result lowest = run(nodes, policy, mix, false, seed, departures);
          total[0] += aware.fill() / 10;
          total[1] += lowest.fill() / 10;
          total[2] += aware.churn() / 10;
          total[3] += lowest.churn() / 10;
        }
        System.out.printf(Locale.ROOT, "%-12s%-9s%13.2f%13.2f%13.2f%13.2f%n", mix.name().toLowerCase(Locale.ROOT), policy,
            total[0], total[1], total[2], total[3]);
      }
    }
  }
}
