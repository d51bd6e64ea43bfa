package io.flexsched.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.flexsched.core.Outcome;
import io.flexsched.core.Scheduler;
import io.flexsched.core.Transaction;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The extender verbs' decisions, on the engine thread. Every question is asked inside a
 * transaction that is rolled back: answering changes nothing in the engine.
 */
final class ExtenderDecisions {
  private final SchedulingLoop loop;
  private final PodMapping mapping;

  ExtenderDecisions(SchedulingLoop loop, PodMapping mapping) {
    this.loop = loop;
    this.mapping = mapping;
  }

  Task task(Pod pod) {
    return mapping.map(pod).toBuilder().gang(null).build();
  }

  /**
   * The candidates {@code task} fits on now, best first in Flex's policy: Flex places it, the
   * node it chose is set aside (fenced, inside the transaction), and again, until it fits nowhere.
   */
  List<String> rank(Task task, Collection<String> candidates) {
    Scheduler flex = loop.flex();
    var ranked = new ArrayList<String>();
    Set<String> wanted = new HashSet<>(candidates);
    try (Transaction tx = flex.begin()) {
      for (var n : flex.cluster().nodes()) {
        if (!wanted.contains(n.name()) && !flex.cluster().isFenced(n.name())) {
          flex.fence(n.name());
        }
      }
      for (int i = 0; i < candidates.size(); i++) {
        Task probe = task.toBuilder().id(task.id() + "+probe-" + i).queue(null).build();
        Outcome o = flex.place(List.of(probe));
        if (!(o instanceof Outcome.Placed p) || !p.preempted().isEmpty()) {
          break;
        }
        String node = p.assignment().node();
        ranked.add(node);
        flex.fence(node);
      }
      tx.rollback();
    }
    return ranked;
  }

  /** Per candidate: empty when the task fits there, else why not. */
  Map<String, String> filter(Task task, List<String> candidates) {
    var fits = new HashSet<>(rank(task, candidates));
    var out = new LinkedHashMap<String, String>();
    for (String n : candidates) {
      out.put(n, fits.contains(n) ? "" : loop.knows(n) ? "Flex: the pod's request does not fit on this node now"
          : "Flex: unknown node");
    }
    return out;
  }

  /** Per candidate a score of 0..10: 10 for Flex's choice, one less for each next best. */
  Map<String, Integer> prioritize(Task task, List<String> candidates) {
    List<String> ranked = rank(task, candidates);
    var out = new LinkedHashMap<String, Integer>();
    for (String n : candidates) {
      int at = ranked.indexOf(n);
      out.put(n, at < 0 ? 0 : Math.max(1, 10 - at));
    }
    return out;
  }

  /**
   * Of kube-scheduler's candidate nodes, those where the pod fits once victims are gone, each with
   * the victims Flex chooses there. kube-scheduler ignores the GPU resources Flex manages, so its
   * own victims (often none) say nothing about devices: Flex picks them, lowest priority first
   * (most GPU compute first among equals), only preemptible pods of lower priority, no more than
   * needed in that order.
   */
  Map<String, List<String>> preempt(Task task, Collection<String> candidates) {
    Scheduler flex = loop.flex();
    var out = new LinkedHashMap<String, List<String>>();
    Task probe = task.toBuilder().id(task.id() + "+preempt").queue(null).build();
    for (String node : candidates) {
      if (!loop.knows(node)) {
        continue;
      }
      var victims = new ArrayList<String>();
      boolean fits = false;
      try (Transaction tx = flex.begin()) {
        var onNode = new ArrayList<Task>();
        for (Task t : flex.cluster().node(node).tasks()) {
          if (t.preemptible() && t.priority() < task.priority()) {
            onNode.add(t);
          }
        }
        onNode.sort(java.util.Comparator.comparingInt(Task::priority)
            .thenComparing(t -> -t.accelerators().totalMilli()).thenComparing(Task::id));
        fits = placeProbe(probe, node);
        for (int i = 0; !fits && i < onNode.size(); i++) {
          Task victim = onNode.get(i);
          PodEntries.Entry entry = loop.entry(victim.id());
          if (entry == null) {
            continue;
          }
          flex.release(victim.id());
          victims.add(entry.uid);
          fits = placeProbe(probe, node);
        }
        tx.rollback();
      }
      if (fits) {
        out.put(node, victims);
      }
    }
    return out;
  }

  private boolean placeProbe(Task probe, String node) {
    try (Transaction tx = loop.flex().begin()) {
      boolean fits = loop.placeOn(probe, node);
      tx.rollback();
      return fits;
    }
  }
}
