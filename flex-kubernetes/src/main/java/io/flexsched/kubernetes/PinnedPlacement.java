package io.flexsched.kubernetes;

import io.flexsched.core.Outcome;
import io.flexsched.core.PolicyException;
import io.flexsched.core.Scheduler;
import io.flexsched.core.Transaction;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Places a task on a node named in advance (a pod already bound there, or the node kube-scheduler
 * chose): the {@link RestoringPolicy} pins the decision, and a transaction undoes anything else
 * (another node, evictions). A fenced node is unfenced for the moment of the placement only.
 */
final class PinnedPlacement {
  private final Scheduler flex;
  private final RestoringPolicy policy;

  PinnedPlacement(Scheduler flex, RestoringPolicy policy) {
    this.flex = flex;
    this.policy = policy;
  }

  /** True when {@code task} now holds resources on {@code node} (on {@code devices} when given). */
  boolean place(Task task, String node, @Nullable Assignment devices) {
    policy.pin(node, devices);
    try (Transaction tx = flex.begin()) {
      boolean fenced = flex.cluster().isFenced(node);
      if (fenced) {
        flex.unfence(node);
      }
      Outcome o = flex.place(List.of(task));
      if (o instanceof Outcome.Placed p && p.preempted().isEmpty() && p.assignment().node().equals(node)) {
        if (fenced) {
          flex.fence(node);
        }
        tx.commit();
        return true;
      }
      return false;
    } catch (PolicyException | InvalidSpecException e) {
      return false;
    } finally {
      policy.release();
    }
  }
}
