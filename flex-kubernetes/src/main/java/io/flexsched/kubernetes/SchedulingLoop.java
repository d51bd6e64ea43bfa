package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.flexsched.core.Outcome;
import io.flexsched.core.Scheduler;
import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The secondary scheduler's state and decisions, driven by the informers' events: it mirrors
 * nodes and bound pods into a Flex {@link Scheduler}, submits this scheduler's pending pods,
 * runs a pass after each change, and turns the outcomes into bindings, preemptions and
 * FailedScheduling reports. Single-writer: every method runs on the engine thread.
 */
final class SchedulingLoop {
  private static final Logger LOG = Logger.getLogger(SchedulingLoop.class.getName());

  private final Scheduler flex;
  private final NodeMapping nodeMapping;
  private final PodMapping podMapping;
  private final KubeWrites writes;
  private final String schedulerName;
  private final ScheduledExecutorService engine;
  private final PinnedPlacement pinned;
  private final PodEntries pods = new PodEntries();
  private final GangBuffer gangs = new GangBuffer();
  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Map<String, Pod>> orphans = new HashMap<>();
  private final PodGroups groups;
  private final Map<String, Map<String, Pod>> awaitingGroup = new HashMap<>();
  private final Set<String> deletedNodes = new HashSet<>();
  private final Bindings bindings;
  private final Counter preempted;
  private final Counter malformed;
  private final Counter unaccounted;
  private final AtomicInteger pendingCount = new AtomicInteger();
  private boolean passQueued;
  private boolean started;

  SchedulingLoop(Scheduler flex, NodeMapping nodeMapping, PodMapping podMapping, PodGroups groups,
      KubeWrites writes, String schedulerName, ScheduledExecutorService engine,
      MeterRegistry registry) {
    this.flex = flex;
    this.nodeMapping = nodeMapping;
    this.podMapping = podMapping;
    this.groups = groups;
    this.writes = writes;
    this.schedulerName = schedulerName;
    this.engine = engine;
    this.pinned = new PinnedPlacement(flex);
    this.bindings = new Bindings(pods, writes, engine, registry, this::forget, this::onPod);
    this.preempted = registry.counter("flex.kube.preemptions");
    this.malformed = registry.counter("flex.kube.malformed.pods");
    this.unaccounted = registry.counter("flex.kube.unaccounted.pods");
    // Scrapes come from another thread: the gauge reads a copy the engine thread keeps.
    registry.gauge("flex.kube.pending.pods", pendingCount);
  }

  Scheduler flex() {
    return flex;
  }

  PodEntries.@Nullable Entry entry(String key) {
    return pods.get(key);
  }

  boolean knows(String node) {
    return nodes.containsKey(node) && !deletedNodes.contains(node);
  }

  /**
   * Places {@code task} on {@code node} now (inside the caller's transaction, if any), as a bound
   * pod is accounted; false when it does not fit there without preempting.
   */
  boolean placeOn(Task task, String node) {
    return pinned.restore(task, node, null);
  }

  /**
   * Binds a pod another scheduler chose {@code node} for (the extender's bind verb): accounts it
   * there and writes the Binding with the assignment annotation.
   *
   * @return the error to answer with, or empty on success
   */
  java.util.concurrent.CompletableFuture<String> bindFor(Pod pod, String node) {
    String key = PodMapping.id(pod);
    Task task;
    try {
      task = podMapping.map(pod).toBuilder().gang(null).build();
    } catch (InvalidSpecException e) {
      return java.util.concurrent.CompletableFuture.completedFuture(e.getMessage());
    }
    PodEntries.Entry existing = pods.get(key);
    if (existing != null) {
      forget(existing);
    }
    if (!knows(node) || !pinned.place(task, node)) {
      return java.util.concurrent.CompletableFuture.completedFuture("pod " + key + " does not fit on node " + node);
    }
    var e = new PodEntries.Entry(pod, task, PodEntries.State.BINDING);
    pods.put(e);
    Assignment a = flex.cluster().assignment(key).orElseThrow();
    LOG.info("pod " + key + " -> " + AssignmentAnnotation.write(a));
    return bindings.bind(e, a).thenApply(
        result -> result == KubeWrites.BindResult.BOUND ? "" : "binding " + key + " to " + node + ": " + result);
  }

  void onNode(io.fabric8.kubernetes.api.model.Node k8s) {
    String name = k8s.getMetadata().getName();
    NodeMapping.Mapped m;
    try {
      m = nodeMapping.map(k8s);
    } catch (InvalidSpecException e) {
      LOG.warning("node " + name + " not used: " + e.getMessage());
      writes.event(k8s, "Warning", "FlexInvalidNode", e.getMessage());
      if (nodes.containsKey(name)) {
        flex.fence(name);
      }
      return;
    }
    deletedNodes.remove(name);
    Node before = nodes.get(name);
    if (before == null) {
      flex.addNode(m.node());
      nodes.put(name, m.node());
      LOG.info("node " + name + " added: " + m.node().devices().size() + " devices" + (m.fenced() ? ", fenced" : ""));
    } else if (!before.equals(m.node())) {
      if (pinned.replace(m.node())) {
        nodes.put(name, m.node());
      } else {
        LOG.info("node " + name + " shrank below what its pods use; the change applies once they are gone");
      }
    }
    if (m.fenced() && !flex.cluster().isFenced(name)) {
      flex.fence(name);
    } else if (!m.fenced() && flex.cluster().isFenced(name)) {
      flex.unfence(name);
    }
    Map<String, Pod> waiting = orphans.remove(name);
    if (waiting != null) {
      waiting.values().forEach(this::onPod);
    }
    requestPass();
  }

  void onNodeDeleted(String name) {
    orphans.remove(name);
    if (!nodes.containsKey(name)) {
      return;
    }
    // Its pods' resources stay accounted until the pods are gone.
    deletedNodes.add(name);
    flex.fence(name);
    removeIfEmpty(name);
  }

  private void removeIfEmpty(String name) {
    if (deletedNodes.contains(name) && flex.cluster().node(name).tasks().isEmpty()) {
      flex.removeNode(name);
      nodes.remove(name);
      deletedNodes.remove(name);
      LOG.info("node " + name + " removed");
    }
  }

  // ---- pods ----

  void onPod(Pod pod) {
    String key = PodMapping.id(pod);
    unpark(pod);
    PodEntries.Entry e = pods.get(key);
    if (e != null && !e.uid.equals(pod.getMetadata().getUid())) {
      forget(e);
      e = null;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
    String node = pod.getSpec().getNodeName();
    if (node != null && !node.isEmpty()) {
      if (e != null) {
        e.pod = pod;
        if (e.state == PodEntries.State.EVICTING) {
          return;
        }
        if ((e.state == PodEntries.State.BOUND || e.state == PodEntries.State.BINDING && Bindings.boundAsAsked(e, pod))
            && node.equals(e.node) && !terminal) {
          e.state = PodEntries.State.BOUND;
          return;
        }
        forget(e);
      }
      if (!terminal) {
        restore(pod, node);
      }
      return;
    }
    boolean ours = schedulerName.equals(pod.getSpec().getSchedulerName());
    if (!ours || terminal || pod.getMetadata().getDeletionTimestamp() != null) {
      if (e != null && e.state != PodEntries.State.EVICTING) {
        forget(e);
      }
      return;
    }
    if (e != null) {
      boolean retry = e.state == PodEntries.State.MALFORMED
          && !java.util.Objects.equals(e.pod.getMetadata().getAnnotations(), pod.getMetadata().getAnnotations());
      e.pod = pod;
      if (!retry) {
        return;
      }
      pods.remove(key);
    }
    admit(pod);
  }

  void onPodDeleted(Pod pod) {
    unpark(pod);
    PodEntries.Entry e = pods.get(PodMapping.id(pod));
    if (e != null && e.uid.equals(pod.getMetadata().getUid())) {
      forget(e);
    }
    if (pod.getSpec().getNodeName() != null) {
      Map<String, Pod> waiting = orphans.get(pod.getSpec().getNodeName());
      if (waiting != null) {
        waiting.remove(PodMapping.id(pod));
      }
    }
  }

  private void admit(Pod pod) {
    String key = PodMapping.id(pod);
    String group = groups.groupOf(pod);
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (group != null && (annotations == null || !annotations.containsKey(PodMapping.GANG)) && groups.gang(pod) == null) {
      awaitingGroup.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(key, pod);
      LOG.info("pod " + key + " waits for its PodGroup " + group);
      return;
    }
    Task task;
    try {
      task = podMapping.map(pod);
    } catch (InvalidSpecException e) {
      rejectMalformed(pod, e);
      return;
    }
    pods.put(new PodEntries.Entry(pod, task, PodEntries.State.PENDING));
    if (task.gang() == null) {
      submit(List.of(task));
    } else {
      List<Task> ready = gangs.add(task, pods.boundMembers(task.gang().name()));
      if (!ready.isEmpty()) {
        submit(ready);
      }
    }
  }

  /** A PodGroup added or changed: its members that waited for it are admitted. */
  void onPodGroup(io.fabric8.kubernetes.api.model.GenericKubernetesResource group) {
    String key;
    try {
      key = groups.put(group);
    } catch (InvalidSpecException e) {
      LOG.warning(e.getMessage());
      return;
    }
    Map<String, Pod> waiting = awaitingGroup.remove(key);
    if (waiting != null) {
      waiting.values().forEach(this::onPod);
    }
  }

  /** Members already admitted keep the size they were admitted with; later ones wait again. */
  void onPodGroupDeleted(io.fabric8.kubernetes.api.model.GenericKubernetesResource group) {
    groups.remove(group);
  }

  private void unpark(Pod pod) {
    String group = groups.groupOf(pod);
    Map<String, Pod> waiting = group == null ? null : awaitingGroup.get(group);
    if (waiting != null && waiting.remove(PodMapping.id(pod)) != null && waiting.isEmpty()) {
      awaitingGroup.remove(group);
    }
  }

  private void rejectMalformed(Pod pod, InvalidSpecException e) {
    pods.put(new PodEntries.Entry(pod, null, PodEntries.State.MALFORMED));
    malformed.increment();
    LOG.info("pod " + PodMapping.id(pod) + " malformed: " + e.getMessage());
    writes.event(pod, "Warning", "FailedScheduling", "invalid request: " + e.getMessage());
  }

  private void submit(List<Task> request) {
    try {
      flex.submit(request);
    } catch (InvalidSpecException e) {
      for (Task t : request) {
        PodEntries.Entry member = pods.get(t.id());
        if (member != null) {
          pods.remove(t.id());
          rejectMalformed(member.pod, e);
        }
      }
      return;
    }
    requestPass();
  }

  /** Stops tracking a pod: withdraws it if pending, releases what it holds if placed. */
  private void forget(PodEntries.Entry e) {
    pods.remove(e.key);
    if (e.state == PodEntries.State.PENDING && e.task != null) {
      if (e.task.gang() != null && gangs.remove(e.task)) {
        return;
      }
      if (flex.isPending(e.key)) {
        flex.cancel(e.key);
        if (e.task.gang() != null) {
          // Cancelling a member withdraws its whole gang: the others wait for a new member.
          for (PodEntries.Entry other : pods.all()) {
            if (other.state == PodEntries.State.PENDING && other.task != null && other.task.gang() != null
                && other.task.gang().name().equals(e.task.gang().name()) && !flex.isPending(other.key)) {
              gangs.add(other.task, Integer.MAX_VALUE);
            }
          }
        }
      }
    } else if (flex.cluster().assignment(e.key).isPresent()) {
      String node = flex.release(e.key).node();
      removeIfEmpty(node);
    }
    pods.victimGone(e.key).forEach(this::bindAwaiting);
    requestPass();
  }

  /** Accounts a pod that is bound (by anyone) on the node and devices it holds. */
  private void restore(Pod pod, String node) {
    String key = PodMapping.id(pod);
    if (!nodes.containsKey(node)) {
      orphans.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(key, pod);
      return;
    }
    Task task;
    try {
      task = podMapping.map(pod).toBuilder().gang(null).build();
    } catch (InvalidSpecException e) {
      LOG.warning("bound pod " + key + " on " + node + " not accounted: " + e.getMessage());
      unaccounted.increment();
      return;
    }
    Assignment annotated = null;
    String json = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(AssignmentAnnotation.KEY);
    if (json != null) {
      try {
        annotated = AssignmentAnnotation.read(key, json);
      } catch (InvalidSpecException e) {
        LOG.warning("pod " + key + ": " + e.getMessage());
      }
    }
    boolean ok = pinned.restore(task, node, annotated)
        || (annotated != null && pinned.restore(task, node, null))
        || (task.queue() != null && pinned.restore(task.toBuilder().queue(null).build(), node, null));
    var entry = new PodEntries.Entry(pod, podMapping.map(pod), PodEntries.State.BOUND);
    entry.node = node;
    pods.put(entry);
    if (!ok) {
      unaccounted.increment();
      LOG.warning("bound pod " + key + " does not fit on " + node + " in Flex's accounting; not accounted");
    }
  }

  // ---- passes ----

  /**
   * Lets passes run: called once every node and every pod the informers listed has been seen, so
   * no pod is placed on resources a bound pod, not yet accounted, holds.
   */
  void startPasses() {
    started = true;
    requestPass();
  }

  void requestPass() {
    if (started && !passQueued) {
      passQueued = true;
      engine.schedule(this::pass, 5, TimeUnit.MILLISECONDS);
    }
  }

  void pass() {
    passQueued = false;
    List<Outcome> outcomes = flex.schedule();
    pendingCount.set(flex.pending().size());
    var victims = new HashSet<String>();
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Placed p) {
        victims.addAll(p.preemptedIds());
      }
    }
    for (String v : victims) {
      evict(v);
    }
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Placed p) {
        if (victims.contains(p.tasks().get(0).id())) {
          continue;
        }
        if (p.preempted().isEmpty()) {
          for (int i = 0; i < p.tasks().size(); i++) {
            bind(p.tasks().get(i).id(), p.assignments().get(i));
          }
        } else {
          awaitVictims(p);
        }
      } else if (o instanceof Outcome.Pending pending && pending.cause() != Outcome.Cause.NOT_TRIED) {
        report(pending);
      }
    }
  }

  private void evict(String victim) {
    if (flex.cluster().assignment(victim).isPresent()) {
      flex.release(victim);
    } else if (flex.isPending(victim)) {
      flex.cancel(victim);
    }
    PodEntries.Entry e = pods.get(victim);
    if (e != null) {
      e.state = PodEntries.State.EVICTING;
      preempted.increment();
      LOG.info("pod " + victim + " preempted");
      writes.evict(e.pod);
    }
  }

  private void awaitVictims(Outcome.Placed p) {
    List<String> victimIds = p.preemptedIds();
    for (int i = 0; i < p.tasks().size(); i++) {
      PodEntries.Entry e = pods.get(p.tasks().get(i).id());
      if (e == null) {
        continue;
      }
      e.state = PodEntries.State.AWAITING_VICTIMS;
      e.node = p.assignments().get(i).node();
      e.assignment = p.assignments().get(i);
      e.victims.addAll(victimIds);
      e.victims.removeIf(v -> pods.get(v) == null);
      writes.nominate(e.pod, e.node);
      writes.event(e.pod, "Normal", "Preempting", "preempting " + String.join(", ", victimIds) + " on " + e.node);
      if (e.victims.isEmpty()) {
        bindAwaiting(e);
      }
    }
  }

  private void bindAwaiting(PodEntries.Entry e) {
    if (e.state == PodEntries.State.AWAITING_VICTIMS && e.victims.isEmpty() && e.assignment != null) {
      bind(e.key, e.assignment);
    }
  }

  private void bind(String key, Assignment a) {
    PodEntries.Entry e = pods.get(key);
    if (e != null) {
      LOG.info("pod " + key + " -> " + AssignmentAnnotation.write(a));
      bindings.bind(e, a);
    }
  }

  private void report(Outcome.Pending p) {
    String message = PendingMessage.of(p, flex.cluster().nodes().size());
    for (Task t : p.tasks()) {
      PodEntries.Entry e = pods.get(t.id());
      if (e != null && !message.equals(e.lastReport)) {
        e.lastReport = message;
        LOG.info("pod " + t.id() + " pending: " + message);
        writes.unschedulable(e.pod, message);
        writes.event(e.pod, "Warning", "FailedScheduling", message);
      }
    }
  }
}
