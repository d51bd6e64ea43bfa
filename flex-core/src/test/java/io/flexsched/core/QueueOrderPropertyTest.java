package io.flexsched.core;

import static io.flexsched.core.PassOutcomes.placed;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random sequences of submissions (some with unknown durations), cancellations, releases,
 * clock steps and passes under every queue order. After every step no request is lost or
 * duplicated: the live tasks are exactly those pending or placed, never both. Without preemption,
 * a pass tries each request once, so its placements come in the order a plain reference
 * comparator (priority, the order's key computed here from the documented formulas, arrival)
 * gives. A failure names its seed and order.
 */
class QueueOrderPropertyTest {
  private static final int RUNS = 25;
  private static final int STEPS = 150;

  /** A clock the runs move forward. */
  private static final class Clock implements InstantSource {
    long millis;

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  /** What the test knows of a submitted task. */
  private record Known(Task task, long arrival, long arrivedAt, long expectedMillis) {}

  @Test
  void noOrderLosesOrDuplicatesARequestAndPassesFollowTheReferenceOrder() {
    long[] placements = new long[2];
    for (String order : List.of("fifo", "sjf", "srtf", "themis")) {
      for (boolean preempt : new boolean[] {false, true}) {
        for (long seed = 1; seed <= RUNS; seed++) {
          try {
            placements[preempt ? 1 : 0] += run(order, preempt, seed);
          } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("QueueOrderPropertyTest failing seed " + seed + ", order " + order + ", preemption "
                + preempt + ": replay with run(\"" + order + "\", " + preempt + ", " + seed + "L)", e);
          }
        }
      }
    }
    // Runs that never placed anything would check nothing.
    assertThat(placements[0]).isGreaterThan(1_000);
    assertThat(placements[1]).isGreaterThan(1_000);
  }

  private static Scheduler.QueueOrder order(String name, Map<String, Known> known) {
    java.util.function.Function<Task, Duration> estimate = t -> {
      long ms = known.get(t.id()).expectedMillis();
      return ms < 0 ? null : Duration.ofMillis(ms);
    };
    return switch (name) {
      case "fifo" -> Scheduler.QueueOrder.FIFO;
      case "sjf" -> Scheduler.QueueOrder.shortestJobFirst(estimate);
      case "srtf" -> Scheduler.QueueOrder.shortestRemainingTimeFirst(estimate);
      default -> Scheduler.QueueOrder.finishTimeFairness(estimate);
    };
  }

  /** The reference order at {@code now} of requests that never ran (no preemption). */
  private static Comparator<Known> reference(String order, long now) {
    Comparator<Known> byPriority = Comparator.comparingInt((Known k) -> -k.task().priority());
    Comparator<Known> byKey = switch (order) {
      case "fifo" -> (a, b) -> 0;
      case "sjf", "srtf" -> Comparator.comparingLong(k -> k.expectedMillis() < 0 ? Long.MAX_VALUE : k.expectedMillis());
      default -> Comparator.comparingDouble((Known k) -> k.expectedMillis() < 0 ? 1.0
          : ((double) (now - k.arrivedAt()) + k.expectedMillis()) / Math.max(1, k.expectedMillis())).reversed();
    };
    return byPriority.thenComparing(byKey).thenComparingLong(Known::arrival);
  }

  /** One run; returns the number of placements made. */
  private static long run(String orderName, boolean preempt, long seed) {
    var random = new SplittableRandom(seed);
    var clock = new Clock();
    var known = new HashMap<String, Known>();
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < 2; i++) {
      nodes.add(Node.builder("n" + i).cpuMilli(32_000).memoryMiB(65_536)
          .devices(DeviceCatalogue.builtIn().require("T4"), 2 + random.nextInt(2)).build());
    }
    Scheduler.Builder b = Scheduler.builder().policy("bestfit").seed(seed).nodes(nodes).assertMode(true).clock(clock)
        .order(order(orderName, known));
    Scheduler s = (preempt ? b : b.noPreemption()).build();
    var live = new LinkedHashMap<String, Known>();
    long arrivals = 0;
    long placements = 0;
    int ids = 0;
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      if (op < 4) {
        String id = "t" + ids++;
        long expected = random.nextInt(5) == 0 ? -1 : random.nextLong(1, 10 * 3_600_000L);
        Task t = Task.builder(id).cpuMilli(1_000).memoryMiB(1_024).accelerators(AcceleratorRequest.whole(1 + random.nextInt(2)))
            .priority(random.nextInt(3)).build();
        Known k = new Known(t, arrivals++, clock.millis, expected);
        known.put(id, k);
        s.submit(t);
        live.put(id, k);
      } else if (op == 4 && !live.isEmpty()) {
        String id = pick(live, random);
        s.cancel(id);
        live.remove(id);
      } else if (op == 5) {
        List<Assignment> running = s.cluster().assignments();
        if (!running.isEmpty()) {
          String id = running.get(random.nextInt(running.size())).task();
          s.release(id);
          live.remove(id);
        }
      } else if (op == 6) {
        clock.millis += random.nextLong(1, 3 * 3_600_000L);
      } else {
        var waiting = new ArrayList<Known>();
        for (Outcome.Pending p : s.pending()) {
          waiting.add(known.get(p.tasks().get(0).id()));
        }
        long now = clock.millis;
        List<Outcome.Placed> pass = placed(s.schedule());
        placements += pass.size();
        if (!preempt) {
          waiting.sort(reference(orderName, now));
          var expectedOrder = new ArrayList<String>();
          var placedIds = new HashSet<String>();
          pass.forEach(p -> placedIds.add(p.tasks().get(0).id()));
          for (Known k : waiting) {
            if (placedIds.contains(k.task().id())) {
              expectedOrder.add(k.task().id());
            }
          }
          assertThat(pass).extracting(p -> p.tasks().get(0).id()).as("placements in the reference order")
              .containsExactlyElementsOf(expectedOrder);
        }
      }
      checkNothingLostOrDuplicated(s, live.keySet());
    }
    return placements;
  }

  private static void checkNothingLostOrDuplicated(Scheduler s, Set<String> live) {
    var pending = new ArrayList<String>();
    for (Outcome.Pending p : s.pending()) {
      p.tasks().forEach(t -> pending.add(t.id()));
    }
    var placedIds = new ArrayList<String>();
    s.cluster().assignments().forEach(a -> placedIds.add(a.task()));
    assertThat(pending).as("pending, without duplicates").doesNotHaveDuplicates();
    assertThat(placedIds).as("placed, without duplicates").doesNotHaveDuplicates();
    for (String id : placedIds) {
      assertThat(pending).as("pending and placed").doesNotContain(id);
    }
    var all = new HashSet<>(pending);
    all.addAll(placedIds);
    assertThat(all).as("pending or placed: exactly the live tasks").isEqualTo(live);
    for (String id : pending) {
      assertThat(s.isPending(id)).isTrue();
    }
  }

  private static String pick(Map<String, Known> live, SplittableRandom random) {
    int i = random.nextInt(live.size());
    for (String id : live.keySet()) {
      if (i-- == 0) {
        return id;
      }
    }
    throw new AssertionError();
  }
}
