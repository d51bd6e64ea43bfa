package io.flexsched.core.engine;

import io.flexsched.core.PolicyException;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.Profile;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The reserve step: the policy's device choice on the chosen node, checked before anything is
 * taken (the right number of distinct devices, each able to host the request, profile starts on
 * free slots, a set the node's rules admit), turned into an {@link Assignment} and booked.
 */
final class DeviceReservation {
  private final ClusterState state;
  private final NodeCursor cursor;
  private final ScoringPolicy policy;

  DeviceReservation(ClusterState state, ScoringPolicy policy) {
    this.state = state;
    this.cursor = new NodeCursor(state);
    this.policy = policy;
  }

  /**
   * The placement of the attempt's task on node {@code n} with {@code chosen} devices, not yet
   * booked.
   *
   * @throws PolicyException when the choice does not fit; nothing is taken then
   */
  Placement check(int n, Attempt a, DeviceChoice chosen) {
    return check(n, a, chosen, Assignment.NO_NUMA);
  }

  /** {@link #check(int, Attempt, DeviceChoice)} with the task's CPU pinned to NUMA node {@code numa} (or none). */
  Placement check(int n, Attempt a, DeviceChoice chosen, int numa) {
    validate(n, a, chosen);
    var slices = new ArrayList<Slice>(chosen.size());
    for (int i = 0; i < chosen.size(); i++) {
      slices.add(state.sliceFor(n, chosen.device(i), a.request, chosen.start(i)));
    }
    slices.sort((x, y) -> Integer.compare(x.device(), y.device()));
    return new Placement(a.task, n, new Assignment(a.task.id(), state.spec(n).name(), slices, numa),
        state.nextPlacementSequence());
  }

  /**
   * Checks that {@code chosen} fits the attempt's task on node {@code n} now, without allocating:
   * a choice that does not fit is refused before it is cached or reserved, so that a policy's
   * one bad answer is not remembered for every node in the same state.
   *
   * @throws PolicyException when it does not fit
   */
  void validate(int n, Attempt a, DeviceChoice chosen) {
    String why = misfit(n, a, chosen);
    if (why != null) {
      throw badChoice(policy, state.spec(n).name(), a.task, chosen, why);
    }
  }

  /** Why {@code chosen} does not fit the attempt's task on node {@code n} now; null when it does. */
  @Nullable String misfit(int n, Attempt a, DeviceChoice chosen) {
    Task task = a.task;
    AcceleratorRequest r = a.request;
    if (chosen.size() != r.count()) {
      return "it has " + chosen.size() + " devices, the task asks for " + r.count();
    }
    long seen = 0;
    for (int i = 0; i < chosen.size(); i++) {
      int d = chosen.device(i);
      if (d < 0 || d >= state.devCount[n] || (seen & (1L << d)) != 0) {
        return "device " + d + " is out of range or repeated";
      }
      seen |= 1L << d;
      int g = state.devStart[n] + d;
      Profile p = a.profiles[state.modelId[g]];
      if (r.count() > 0 && (!r.couldBeServedBy(state.model[g]) || !state.hostsNow(g, r, p))) {
        return "device " + d + " cannot host the request";
      }
      int start = chosen.start(i);
      if (p != null && p.slots() > 0) {
        long mask = start < 0 ? 0 : p.slotMask(start);
        if (!p.starts().contains(start) || (state.slotsFree[g] & mask) != mask) {
          return "profile " + p.name() + " cannot start at slot " + start + " of device " + d;
        }
      }
    }
    if (!Guard.admits(state.rules(n), task, cursor.at(n), chosen)) {
      return "the node's device rules do not allow that set";
    }
    return null;
  }

  static PolicyException badChoice(ScoringPolicy policy, String node, Task task, DeviceChoice chosen, String why) {
    return new PolicyException(Guard.scoring(policy), node, task.id(), "it chose devices " + chosen + ", but " + why, null);
  }
}
