package io.flexsched.property;

import io.flexsched.core.Outcome;
import io.flexsched.core.QueueSpec;
import io.flexsched.core.Resources;
import io.flexsched.core.Scheduler;
import io.flexsched.core.queue.QueuedScheduler;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Everything a user can see of a scheduler, as a value: the cluster ({@link ClusterSnapshot}),
 * the pending requests with their reasons, every queue's usage, the reservation, the preemption
 * count, how many transactions are open, and (when the run has a registry) every meter's values.
 * Two equal states mean nothing observable changed.
 *
 * @param cluster the cluster
 * @param pending the pending requests, in arrival order, with their reasons
 * @param usage per queue, what its placed tasks hold
 * @param reservation the reservation in force
 * @param preemptions tasks preempted so far
 * @param openTransactions transactions open on the engine
 * @param metrics per meter (name and tags), its measurements; empty without a registry
 */
public record SchedulerState(ClusterSnapshot cluster, List<Outcome.Pending> pending, Map<String, Resources> usage,
    Optional<String> reservation, long preemptions, int openTransactions, Map<String, String> metrics) {

  /** The scheduler's state now. */
  static SchedulerState of(Scheduler s, @Nullable MeterRegistry registry) {
    var usage = new LinkedHashMap<String, Resources>();
    for (QueueSpec q : s.queues()) {
      usage.put(q.name(), s.usage(q.name()));
    }
    var metrics = new TreeMap<String, String>();
    if (registry != null) {
      for (Meter m : registry.getMeters()) {
        var values = new StringBuilder();
        for (Measurement x : m.measure()) {
          values.append(x.getStatistic()).append('=').append(x.getValue()).append(' ');
        }
        metrics.put(m.getId().getName() + m.getId().getTags(), values.toString());
      }
    }
    return new SchedulerState(ClusterSnapshot.of(s), s.pending(), usage, s.reservation(), s.preemptions(),
        ((QueuedScheduler) s).openTransactions(), metrics);
  }

  /** This state with the metrics left out (a rollback takes back changes, not the decisions counted). */
  SchedulerState withoutMetrics() {
    return new SchedulerState(cluster, pending, usage, reservation, preemptions, openTransactions, Map.of());
  }

  /** The first difference between {@code expected} and this state. */
  String differenceFrom(SchedulerState expected) {
    if (!cluster.equals(expected.cluster)) {
      return cluster.differenceFrom(expected.cluster);
    }
    if (!pending.equals(expected.pending)) {
      return "pending " + expected.pending + " became " + pending;
    }
    if (!usage.equals(expected.usage)) {
      return "queue usage " + expected.usage + " became " + usage;
    }
    if (!reservation.equals(expected.reservation) || preemptions != expected.preemptions) {
      return "reservation/preemptions " + expected.reservation + "/" + expected.preemptions + " became " + reservation + "/" + preemptions;
    }
    if (openTransactions != expected.openTransactions) {
      return "open transactions " + expected.openTransactions + " became " + openTransactions;
    }
    for (Map.Entry<String, String> e : metrics.entrySet()) {
      if (!e.getValue().equals(expected.metrics.get(e.getKey()))) {
        return "meter " + e.getKey() + " " + expected.metrics.get(e.getKey()) + " became " + e.getValue();
      }
    }
    return metrics.equals(expected.metrics) ? "no difference" : "meters " + expected.metrics.keySet() + " became " + metrics.keySet();
  }
}
