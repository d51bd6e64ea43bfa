package io.flexsched.core.queue;

import io.flexsched.core.Damping;
import io.flexsched.core.Resources;
import io.flexsched.model.Task;
import io.flexsched.spi.Victim;
import java.util.List;
import java.util.function.Predicate;

/**
 * Who a request may evict. Within its queue: preemptible tasks of strictly lower priority. Across
 * queues (reclaim), while its queue stays within its guarantee: preemptible tasks of queues that
 * borrow, whatever their priority. A running gang only whole, when every member may go (so a gang
 * is protected when any member is). Never a task that {@link Damping} holds back. And a set of
 * victims is admissible only if afterwards the request keeps its queue within its limit (and, if
 * not preemptible, its guarantee).
 */
final class ReclaimRules {
  private ReclaimRules() {}

  /**
   * The victims (placed tasks, whole placed gangs) {@code e} may evict; with {@code quotaOnly},
   * only its own queue's (to make room in its queue's quota, not on nodes).
   */
  static Predicate<Victim> mayEvict(Entry e, PendingSet set, boolean quotaOnly, Damping damping, long now) {
    Lane lane = e.lane;
    boolean reclaim = !quotaOnly && lane.fitsWithin(e, lane.spec.guaranteed());
    return victim -> {
      Entry group = null;
      for (Task v : victim.members()) {
        Entry ve = set.runningEntry(v.id());
        if (ve == null || !mayEvict(e, ve, v, lane, reclaim, damping, now)) {
          return false;
        }
        // Every member of one gang, all of them: never part of a gang, nor two gangs as one.
        if (victim.gang() && (ve.group == null || group != null && ve.group != group)) {
          return false;
        }
        group = ve.group;
      }
      return !victim.gang() || group.members.size() == victim.members().size();
    };
  }

  private static boolean mayEvict(Entry e, Entry ve, Task v, Lane lane, boolean reclaim, Damping damping, long now) {
    if (!v.preemptible() || !damping.off() && damped(damping, e, ve, v, now)) {
      return false;
    }
    if (ve.lane == lane) {
      return v.priority() < e.priority;
    }
    return reclaim && ve.lane.borrowing();
  }

  /** Whether {@code damping} holds victim {@code v} (entry {@code ve}) back from request {@code e} at {@code now}. */
  private static boolean damped(Damping damping, Entry e, Entry ve, Task v, long now) {
    if (now - ve.startedAt < damping.minRunTime().toMillis()) {
      return true;
    }
    if (now < ve.history().protectedUntil(damping.maxPreemptions(), damping.window().toMillis(), damping.cooling().toMillis())) {
      return true;
    }
    return now - e.waitingSince < damping.waitBudget().toMillis() && (long) e.priority - v.priority() < damping.priorityGap();
  }

  /** Whether evicting {@code victims} leaves room in {@code e}'s queue for it. */
  static Predicate<List<Victim>> admissible(Entry e, PendingSet set) {
    Lane lane = e.lane;
    return victims -> {
      Resources usage = lane.usage();
      for (Victim v : victims) {
        for (Task m : v.members()) {
          Entry ve = set.runningEntry(m.id());
          if (ve == null) {
            return false;
          }
          if (ve.lane == lane) {
            usage = usage.minus(ve.request());
          }
        }
      }
      Resources after = usage.plus(e.request());
      return after.within(lane.spec.limit()) && (e.preemptible || after.within(lane.spec.guaranteed()));
    };
  }
}
