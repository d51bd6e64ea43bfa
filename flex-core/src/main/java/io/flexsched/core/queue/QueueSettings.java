package io.flexsched.core.queue;

import io.flexsched.core.Damping;
import io.flexsched.core.PlacementEngine;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.Scheduler;
import io.flexsched.core.preempt.Preemption;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.spi.PreemptionPolicy;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scheduler's queue configuration, as the public builder collected it.
 *
 * @param queues the queues (the default one is added when missing)
 * @param preemption the victim search, or null for no preemption
 * @param backfill true for backfill, false for strict FIFO
 * @param reserveAfter under backfill, passes before a request gets a reservation
 * @param damping the rules that hold victims back
 * @param clock the time damping and the disruption budget's rate limit read
 * @param defragment the budget a request that fits nowhere, even by preemption, may migrate tasks
 *     within; null when defragmentation is off
 * @param order the order of a queue's waiting requests of equal priority
 */
public record QueueSettings(List<QueueSpec> queues, @Nullable PreemptionPolicy preemption, boolean backfill,
    int reserveAfter, Damping damping, InstantSource clock, PlacementEngine.@Nullable DisruptionBudget defragment,
    Scheduler.QueueOrder order) {

  /** Settings being collected; each may be given once. */
  public static final class Draft {
    private final List<QueueSpec> queues = new ArrayList<>();
    private @Nullable PreemptionPolicy policy;
    private @Nullable String preemption;
    private @Nullable String ordering;
    private boolean backfill = true;
    private int reserveAfter = Scheduler.DEFAULT_RESERVE_AFTER;
    private @Nullable Damping damping;
    private @Nullable InstantSource clock;
    private PlacementEngine.@Nullable DisruptionBudget defragment;
    private boolean defragmentSet;
    private Scheduler.@Nullable QueueOrder order;

    public void queue(QueueSpec spec) {
      for (QueueSpec q : queues) {
        if (q.name().equals(spec.name())) {
          throw new InvalidSpecException("queue.name", "'" + spec.name() + "'", "must not repeat a queue");
        }
      }
      queues.add(spec);
    }

    public void preemption(String name) {
      unsetPreemption();
      this.policy = Preemption.policy(name);
      this.preemption = name;
    }

    public void preemption(PreemptionPolicy value) {
      unsetPreemption();
      this.policy = value;
      this.preemption = value.name();
    }

    public void noPreemption() {
      unsetPreemption();
      this.preemption = "none";
    }

    private void unsetPreemption() {
      if (preemption != null) {
        throw new IllegalStateException("preemption was already set to " + preemption);
      }
    }

    public void strictFifo() {
      unsetOrdering("strict FIFO");
      this.backfill = false;
    }

    public void backfill(int value) {
      unsetOrdering("backfill");
      if (value < 1) {
        throw new InvalidSpecException("reserveAfter", value, "must be at least 1");
      }
      this.reserveAfter = value;
    }

    public void damping(Damping value) {
      if (damping != null) {
        throw new IllegalStateException("damping was already set to " + damping);
      }
      damping = Objects.requireNonNull(value, "damping");
    }

    public void clock(InstantSource value) {
      if (clock != null) {
        throw new IllegalStateException("the clock was already set");
      }
      clock = Objects.requireNonNull(value, "clock");
    }

    public void defragment(PlacementEngine.@Nullable DisruptionBudget value) {
      if (defragmentSet) {
        throw new IllegalStateException("defragmentation was already set to " + (defragment == null ? "off" : defragment));
      }
      defragmentSet = true;
      defragment = value;
    }

    public void order(Scheduler.QueueOrder value) {
      if (order != null) {
        throw new IllegalStateException("the queue order was already set to " + order);
      }
      order = Objects.requireNonNull(value, "order");
    }

    private void unsetOrdering(String value) {
      if (ordering != null) {
        throw new IllegalStateException("ordering was already set to " + ordering);
      }
      ordering = value;
    }

    /**
     * Fails when any queue setting was given: {@code why} says why it cannot be used.
     *
     * @throws IllegalStateException naming the settings given
     */
    public void requireUnset(String why) {
      var given = new ArrayList<String>();
      if (!queues.isEmpty()) {
        given.add("queues");
      }
      if (preemption != null) {
        given.add("preemption");
      }
      if (ordering != null) {
        given.add("ordering");
      }
      if (damping != null) {
        given.add("damping");
      }
      if (clock != null) {
        given.add("clock");
      }
      if (defragmentSet) {
        given.add("defragment");
      }
      if (order != null) {
        given.add("order");
      }
      if (!given.isEmpty()) {
        throw new IllegalStateException(String.join(", ", given) + " given, but " + why);
      }
    }

    /** The settings, with defaults ({@code greedy} preemption, backfill) for what was not given. */
    public QueueSettings settings() {
      PreemptionPolicy victims = preemption == null ? Preemption.policy("greedy") : policy;
      return new QueueSettings(List.copyOf(queues), victims, backfill, reserveAfter,
          damping == null ? Damping.OFF : damping, clock == null ? InstantSource.system() : clock, defragment,
          order == null ? Scheduler.QueueOrder.FIFO : order);
    }
  }
}
