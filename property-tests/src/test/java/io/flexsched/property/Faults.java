package io.flexsched.property;

import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.FragmentationMeasure;
import io.flexsched.spi.HardwareProvider;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.spi.Victim;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The faulty-SPI mode's injector: wrappers around the built-in scoring policies, device rules,
 * preemption policies, migration policy and fragmentation measure that, at seeded random points, throw or answer
 * garbage (a score that is not a number, devices out of range, repeated or unable to host the
 * task, victims that do not exist or are named twice). An operation the generator made
 * {@linkplain Operation.Faulty faulty} {@linkplain #arm arms} the injector before it runs: the
 * k-th call into any wrapper during that operation strikes, with a kind of garbage drawn from the
 * operation's own seed. A fault belongs to its operation, so shrinking a failing sequence keeps
 * each remaining operation's fault where it was.
 */
public final class Faults {
  /** The most SPI calls into an operation a strike may wait for. */
  static final int MAX_DELAY = 60;

  private SplittableRandom random = new SplittableRandom(0);
  private int countdown = -1;
  private boolean struck;
  private long strikes;

  /** Before an operation: strike at call {@code delay} (-1: never), garbage drawn from {@code seed}. */
  void arm(int delay, long seed) {
    struck = false;
    countdown = delay;
    random = new SplittableRandom(seed);
  }

  /** After an operation: no strike is pending any more (what-ifs between operations stay clean). */
  void disarm() {
    countdown = -1;
  }

  /** Whether an injected fault struck during the operation just run. */
  boolean struck() {
    return struck;
  }

  /** Marks the running operation as struck without an extension failing: lets tests show a check failing. */
  void pretendStruck() {
    struck = true;
  }

  /** How many faults struck in the run. */
  long strikes() {
    return strikes;
  }

  /** Every wrapper calls this on every call: true when this call is the one to fail. */
  private boolean strike() {
    if (countdown < 0 || countdown-- > 0) {
      return false;
    }
    countdown = -1;
    struck = true;
    strikes++;
    return true;
  }

  private int pick(int kinds) {
    return random.nextInt(kinds);
  }

  private static RuntimeException injected(String where) {
    return new IllegalStateException("injected fault in " + where);
  }

  /**
   * The expected durations a queue order reads: a few hours drawn from the task's id (unknown for
   * one id in five); when it strikes, it throws or answers a negative duration.
   */
  java.util.function.Function<Task, java.time.Duration> expectedDuration() {
    return task -> {
      if (strike()) {
        if (pick(2) == 0) {
          throw injected("expected duration");
        }
        return java.time.Duration.ofSeconds(-1);
      }
      int h = Math.floorMod(task.id().hashCode(), 5 * 3_600);
      return h % 5 == 0 ? null : java.time.Duration.ofSeconds(h);
    };
  }

  /** {@code inner}, failing at the injector's points. */
  ScoringPolicy scoring(ScoringPolicy inner) {
    return new ScoringPolicy() {
      @Override
      public String name() {
        return inner.name();
      }

      @Override
      public double score(Task task, NodeView node, DeviceChoice choice, DecisionContext context) {
        if (!strike()) {
          return inner.score(task, node, choice, context);
        }
        int kind = pick(6);
        if (kind == 0) {
          throw injected("score");
        }
        if (kind == 1) {
          return Double.NaN;
        }
        if (kind == 2) {
          return Double.POSITIVE_INFINITY;
        }
        double score = inner.score(task, node, choice, context);
        if (!garbage(kind, task, node, choice)) {
          throw injected("score");
        }
        return score;
      }

      @Override
      public boolean selectDevices(Task task, NodeView node, DeviceChoice choice) {
        return inner.selectDevices(task, node, choice);
      }

      @Override
      public boolean dependsOnlyOnNodeState() {
        return inner.dependsOnlyOnNodeState();
      }

      @Override
      public int sampleSize() {
        return inner.sampleSize();
      }
    };
  }

  /** Spoils a valid device choice so that it cannot be reserved; false when the node allows no such spoiling. */
  private static boolean garbage(int kind, Task task, NodeView node, DeviceChoice choice) {
    var devices = new ArrayList<int[]>();
    for (int i = 0; i < choice.size(); i++) {
      devices.add(new int[] {choice.device(i), choice.start(i)});
    }
    choice.clear();
    if (kind == 3) {
      devices.add(new int[] {node.deviceCount(), -1}); // out of range
    } else if (kind == 4 && !devices.isEmpty()) {
      devices.add(devices.get(0)); // the same device twice
    } else {
      int busy = -1;
      for (int d = 0; d < node.deviceCount() && busy < 0; d++) {
        busy = node.canHost(d, task.accelerators()) ? -1 : d;
      }
      if (busy < 0 || devices.isEmpty()) {
        return false;
      }
      devices.set(0, new int[] {busy, devices.get(0)[1]}); // a device that cannot host it
    }
    for (int[] d : devices) {
      choice.add(d[0], d[1]);
    }
    return true;
  }

  /** Every provider of {@code inner}, with device rules (their own, else the standard ones) failing at the injector's points. */
  HardwareProvider hardware(Collection<HardwareProvider> inner, Collection<DeviceModel> models) {
    Map<String, DeviceModel> all = new LinkedHashMap<>();
    models.forEach(m -> all.put(m.name(), m));
    inner.forEach(p -> p.models().forEach(m -> all.put(m.name(), m)));
    return new HardwareProvider() {
      @Override
      public String vendor() {
        return "faulty";
      }

      @Override
      public Collection<DeviceModel> models() {
        return List.copyOf(all.values());
      }

      @Override
      public Optional<DeviceRules> rules(DeviceModel model) {
        DeviceRules rules = DeviceRules.standard();
        for (HardwareProvider p : inner) {
          Optional<DeviceRules> own = p.rules(model);
          if (own.isPresent()) {
            rules = own.get();
            break;
          }
        }
        return Optional.of(faultyRules(rules));
      }
    };
  }

  private DeviceRules faultyRules(DeviceRules inner) {
    return new DeviceRules() {
      @Override
      public boolean select(Task task, NodeView node, DeviceChoice choice) {
        if (!strike()) {
          return inner.select(task, node, choice);
        }
        if (pick(2) == 0) {
          throw injected("select");
        }
        choice.add(node.deviceCount(), -1); // a device the node does not have
        return true;
      }

      @Override
      public boolean admits(Task task, NodeView node, DeviceChoice choice) {
        if (!strike()) {
          return inner.admits(task, node, choice);
        }
        if (pick(2) == 0) {
          throw injected("admits");
        }
        return false;
      }
    };
  }

  /** {@code inner}, failing at the injector's points. */
  PreemptionPolicy preemption(PreemptionPolicy inner) {
    return new PreemptionPolicy() {
      @Override
      public String name() {
        return inner.name();
      }

      @Override
      public Optional<List<Victim>> selectVictims(PreemptionRequest request, FitProbe probe) {
        if (!strike()) {
          return inner.selectVictims(request, probe);
        }
        int kind = pick(4);
        if (kind == 0) {
          throw injected("selectVictims");
        }
        String node = request.candidates().isEmpty() ? "nowhere" : request.candidates().get(0).node();
        Victim ghost = new Victim(Task.builder("ghost-victim").build(), new Assignment("ghost-victim", node, List.of()));
        if (kind == 1) {
          // Asking about a task that does not exist: the engine's probe cannot evict it.
          probe.fits(List.of(ghost));
          throw injected("selectVictims (the probe answered a ghost)");
        }
        var victims = new ArrayList<Victim>(inner.selectVictims(request, probe).orElse(List.of()));
        if (kind == 2 || victims.isEmpty()) {
          victims.add(ghost);
        } else {
          victims.add(victims.get(0));
        }
        return Optional.of(victims);
      }
    };
  }

  /** {@code inner}, failing at the injector's points. */
  FragmentationMeasure fragmentation(FragmentationMeasure inner) {
    return new FragmentationMeasure() {
      @Override
      public String name() {
        return inner.name();
      }

      @Override
      public double fragmentation(long freeCpuMilli, int[] freeMilli, DeviceModel[] models, int devices) {
        if (!strike()) {
          return inner.fragmentation(freeCpuMilli, freeMilli, models, devices);
        }
        if (pick(2) == 0) {
          throw injected("fragmentation");
        }
        return Double.NaN;
      }
    };
  }

  /** {@code inner}, failing at the injector's points: it throws, or answers a negative cost. */
  PreemptionPolicy.MigrationPolicy migration(PreemptionPolicy.MigrationPolicy inner) {
    return new PreemptionPolicy.MigrationPolicy() {
      @Override
      public String name() {
        return "faulty " + inner.name();
      }

      @Override
      public boolean movable(Task task) {
        if (!strike()) {
          return inner.movable(task);
        }
        throw injected("movable");
      }

      @Override
      public long cost(Victim moved) {
        if (!strike()) {
          return inner.cost(moved);
        }
        if (pick(2) == 0) {
          throw injected("cost");
        }
        return -1 - inner.cost(moved);
      }
    };
  }
}
