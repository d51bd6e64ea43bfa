package io.flexsched.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a scheduling pass's outcomes ({@link Scheduler#schedule()}): the placements made, in order,
 * then the requests still pending, in arrival order. A gang is one outcome with all its members.
 */
final class PassOutcomes {
  private PassOutcomes() {}

  /** The placements a pass made, in order; fails the test if one comes after a pending request. */
  static List<Outcome.Placed> placed(List<Outcome> pass) {
    var out = new ArrayList<Outcome.Placed>();
    for (int i = 0; i < pass.size(); i++) {
      if (pass.get(i) instanceof Outcome.Placed p) {
        assertThat(i).as("placements come before pending requests").isEqualTo(out.size());
        out.add(p);
      }
    }
    return out;
  }

  /** The requests still pending after a pass, in arrival order. */
  static List<Outcome.Pending> pending(List<Outcome> pass) {
    var out = new ArrayList<Outcome.Pending>();
    for (Outcome o : pass) {
      if (o instanceof Outcome.Pending p) {
        out.add(p);
      }
    }
    return out;
  }

  /** The ids of the tasks a pass placed, in order (a gang's members together, in member order). */
  static List<String> placedIds(List<Outcome> pass) {
    return placed(pass).stream().flatMap(o -> o.tasks().stream()).map(Task::id).toList();
  }

  /** How many tasks a pass preempted. */
  static int preemptions(List<Outcome> pass) {
    return placed(pass).stream().mapToInt(o -> o.preempted().size()).sum();
  }
}
