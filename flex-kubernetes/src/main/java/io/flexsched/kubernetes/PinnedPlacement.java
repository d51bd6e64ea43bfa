package io.flexsched.kubernetes;

import io.flexsched.core.Outcome;
import io.flexsched.core.PolicyException;
import io.flexsched.core.Scheduler;
import io.flexsched.core.Transaction;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.NodeView;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Places a task on a node named in advance: a pod already bound there (accounted with
 * {@link Scheduler#restore}, on the devices of its annotation, or on devices the standard rules
 * choose when it has none), or the node kube-scheduler chose for the extender (Flex's own choice
 * when it lands there, else a restore there).
 */
final class PinnedPlacement {
  private final Scheduler flex;

  PinnedPlacement(Scheduler flex) {
    this.flex = flex;
  }

  /** True when {@code task} now holds resources on {@code node} (on {@code devices} when given). */
  boolean restore(Task task, String node, @Nullable Assignment devices) {
    Assignment where = devices != null && devices.node().equals(node)
        ? new Assignment(task.id(), node, devices.slices()) : chosenOn(task, node);
    if (where == null) {
      return false;
    }
    try {
      flex.restore(task, where);
      return true;
    } catch (InvalidSpecException | PolicyException e) {
      return false;
    }
  }

  /**
   * Places {@code task} on {@code node}: where and as the policy would when that is its best
   * node (so the devices are the policy's choice), else as a restore on devices the standard
   * rules choose. Never preempts.
   */
  boolean place(Task task, String node) {
    try (Transaction tx = flex.begin()) {
      Outcome o = flex.place(List.of(task));
      if (o instanceof Outcome.Placed p && p.preempted().isEmpty() && p.assignment().node().equals(node)) {
        tx.commit();
        return true;
      }
    } catch (InvalidSpecException | PolicyException e) {
      // Not placeable as asked; the restore below says whether it fits there at all.
    }
    return restore(task, node, null);
  }

  /**
   * Gives a node its new spec (labels, taints, capacity) with its tasks where they are, in one
   * transaction: false, and nothing changed, when they no longer fit it.
   */
  boolean replace(io.flexsched.model.Node node) {
    String name = node.name();
    try (Transaction tx = flex.begin()) {
      var held = new ArrayList<Assignment>();
      List<Task> tasks = List.copyOf(flex.cluster().node(name).tasks());
      for (Task t : tasks) {
        held.add(flex.release(t.id()));
      }
      flex.removeNode(name);
      flex.addNode(node);
      for (int i = 0; i < tasks.size(); i++) {
        flex.restore(tasks.get(i), held.get(i));
      }
      tx.commit();
      return true;
    } catch (InvalidSpecException e) {
      return false;
    }
  }

  private @Nullable Assignment chosenOn(Task task, String node) {
    AcceleratorRequest r = task.accelerators();
    var slices = new ArrayList<Slice>(r.count());
    if (r.count() > 0) {
      NodeView view;
      try {
        view = flex.cluster().node(node);
      } catch (InvalidSpecException e) {
        return null;
      }
      var choice = new DeviceChoice();
      if (!DeviceRules.standard().select(task, view, choice) || choice.size() != r.count()) {
        return null;
      }
      for (int i = 0; i < choice.size(); i++) {
        int start = r.profile() == null ? -1 : choice.start(i);
        slices.add(new Slice(choice.device(i), Math.min(r.milliPerDevice(), 1000), r.memoryMiBPerDevice(), r.profile(), start));
      }
    }
    return new Assignment(task.id(), node, slices);
  }
}
