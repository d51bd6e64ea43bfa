package io.flexsched.core.engine;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceChoice;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a request must be before anything is decided for it. */
final class RequestCheck {
  private final ClusterState state;
  private final DeviceCatalogue catalogue;
  private final @Nullable Network network;

  RequestCheck(ClusterState state, DeviceCatalogue catalogue, @Nullable Network network) {
    this.state = state;
    this.catalogue = catalogue;
    this.network = network;
  }

  /**
   * Checks a request: not empty; one task without a gang, or a complete gang; no id placed
   * already (when {@code checkPlaced}); profiles of known models; a gang's minimum bandwidth only
   * under a network, which alone can judge it.
   *
   * @return the request's gang, or null for a single task
   */
  @Nullable Gang validate(List<Task> request, boolean checkPlaced) {
    if (request.isEmpty()) {
      throw new InvalidSpecException("request", "[]", "must name at least one task");
    }
    Gang gang = request.size() == 1 && request.get(0).gang() == null ? null : GangPlacement.check(request);
    if (gang != null && gang.minBandwidth() > 0 && network == null) {
      throw new InvalidSpecException("gang " + gang.name() + " minBandwidth", gang.minBandwidth(),
          "needs a network on the scheduler (Scheduler.builder().network(...))");
    }
    for (Task t : request) {
      if (checkPlaced && state.placement(t.id()) != null) {
        throw new InvalidSpecException("task.id", "'" + t.id() + "'", "must not repeat a task already placed");
      }
      validateProfile(t);
    }
    return gang;
  }

  /** Checks that a profile {@code task} names is one of a model it allows. */
  void validateProfile(Task task) {
    AcceleratorRequest r = task.accelerators();
    String profile = r.profile();
    if (profile == null) {
      return;
    }
    boolean known = false;
    for (DeviceModel m : catalogue.models().values()) {
      known |= r.allows(m) && m.profile(profile).isPresent();
    }
    // A node may bring a model of its own, which the catalogue does not list.
    for (int m = 0; m < state.modelCount(); m++) {
      known |= r.allows(state.modelById(m)) && state.modelById(m).profile(profile).isPresent();
    }
    if (!known) {
      throw new InvalidSpecException("profile", "'" + profile + "'", "must be a profile of an allowed, known model");
    }
  }

  /**
   * The placement that restores {@code task} exactly where {@code where} says, checked: the same
   * task, alone, not placed yet, on a known node where its CPU, memory and devices fit now. The
   * task's request says what each device gives; {@code where} says which devices and starts.
   */
  Placement restoring(Task task, Assignment where, DeviceReservation reservation) {
    if (!task.id().equals(where.task())) {
      throw new InvalidSpecException("assignment.task", "'" + where.task() + "'", "must be the restored task's id '" + task.id() + "'");
    }
    if (task.gang() != null) {
      throw new InvalidSpecException("task.gang", "'" + task.gang().name() + "'", "must be absent: tasks are restored one at a time");
    }
    validate(List.of(task), true);
    Integer node = state.ordinalOf(where.node());
    if (node == null) {
      throw LiveClusterView.unknownNode(where.node());
    }
    int n = node;
    String field = "assignment of " + task.id() + " on node " + where.node();
    if (state.cpuFree[n] < task.cpuMilli()) {
      throw new InvalidSpecException(field, task.cpuMilli() + " CPU milli", "must fit the node's " + state.cpuFree[n] + " free");
    }
    if (state.memFree[n] < task.memoryMiB()) {
      throw new InvalidSpecException(field, task.memoryMiB() + " MiB", "must fit the node's " + state.memFree[n] + " MiB free");
    }
    var choice = new DeviceChoice();
    for (Slice s : where.slices()) {
      choice.add(s.device(), s.start());
    }
    var a = new Attempt(task, state, null, null);
    int d = where.remote() ? deviceNode(task, where, a, field) : n;
    String misfit = reservation.misfit(d, a, choice);
    if (misfit != null) {
      throw new InvalidSpecException(field, "devices " + choice + (d == n ? "" : " of " + where.deviceNode()), "must fit: " + misfit);
    }
    checkPin(task, where, n, field);
    if (d == n) {
      return reservation.check(n, a, choice, where.numaNode());
    }
    // What ran is restored as it ran: the pool rule chose it then, and need not hold for it now.
    Placement devices = reservation.check(d, a, choice);
    return new Placement(task, n, d, new Assignment(task.id(), where.node(), devices.assignment().slices(),
        Assignment.NO_NUMA, where.deviceNode()), devices.sequence());
  }

  /** The live node a remote assignment's devices are on, for a task that accepts remote devices. */
  private int deviceNode(Task task, Assignment where, Attempt a, String field) {
    if (!RemotePlacement.consents(a)) {
      throw new InvalidSpecException(field + " deviceNode", "'" + where.deviceNode() + "'",
          "must be the node itself: the task does not accept remote devices (or is a gang member)");
    }
    Integer d = state.ordinalOf(where.deviceNode());
    if (d == null) {
      throw LiveClusterView.unknownNode(where.deviceNode());
    }
    return d;
  }

  /**
   * A pinned assignment names a NUMA node of the node that can still pin the task's CPU and holds
   * its devices; a task that requires NUMA affinity on a node with NUMA nodes must be pinned.
   */
  private void checkPin(Task task, Assignment where, int n, String field) {
    int k = where.numaNode();
    if (k == Assignment.NO_NUMA) {
      if (task.numa() == Task.Numa.REQUIRED && state.numa.count(n) > 0) {
        throw new InvalidSpecException(field + " numaNode", "none", "must name a NUMA node: the task requires NUMA affinity");
      }
      return;
    }
    if (k >= state.numa.count(n)) {
      throw new InvalidSpecException(field + " numaNode", k, "must be a NUMA node of the node (it has " + state.numa.count(n) + ")");
    }
    if (state.numa.unpinned(n, k) < task.cpuMilli()) {
      throw new InvalidSpecException(field + " numaNode", k, "must have the task's " + task.cpuMilli()
          + " CPU milli unpinned (it has " + state.numa.unpinned(n, k) + ")");
    }
    for (Slice s : where.slices()) {
      if (state.numa.of(n, s.device()) != k) {
        throw new InvalidSpecException(field + " numaNode", k, "must hold the task's device " + s.device());
      }
    }
  }
}
