package io.flexsched.core;

import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.spi.CandidateNode;
import io.flexsched.spi.FitProbe;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.PreemptionPolicies;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.Victim;
import io.flexsched.spi.VictimCost;
import io.flexsched.spi.WorkloadDistribution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Places tasks on a {@link PlacementEngine}, preempting when they fit nowhere: an empty fit always
 * wins; otherwise a {@link PreemptionPolicy} chooses victims among the placed tasks of strictly
 * lower priority that are preemptible, testing candidate sets in transactions it rolls back, and
 * the plan is committed in a transaction only if the preemptor then fits. If it does not, nothing
 * is evicted.
 *
 * <p>Single-writer, like the engine. {@link SchedulingQueue} builds queues, quotas and reclaim on
 * top of it.
 */
public final class Preemption {
  private final PlacementEngine engine;
  private final PreemptionPolicy policy;
  private long probes;

  /** Preemption on {@code engine} with victims chosen by {@code policy}. */
  public Preemption(PlacementEngine engine, PreemptionPolicy policy) {
    this.engine = engine;
    this.policy = policy;
  }

  /**
   * A new instance of the built-in or ServiceLoader-provided preemption policy {@code name}
   * ({@code greedy}, {@code exact}, ...).
   *
   * @throws io.flexsched.spi.UnknownPolicyException naming the known policies
   */
  public static PreemptionPolicy policy(String name) {
    return PreemptionPolicies.named(name).create(new PolicyContext(0, WorkloadDistribution.EMPTY, DeviceCatalogue.builtIn()));
  }

  /** The victim search's name. */
  public String policyName() {
    return policy.name();
  }

  /** How many what-if placements the victim searches have made so far. */
  public long probes() {
    return probes;
  }

  /**
   * Places {@code task}: where it fits as the cluster stands if it fits anywhere; else by evicting
   * the victims the policy chooses among placed, preemptible tasks of strictly lower priority.
   *
   * @return the decision and the evicted assignments; if the task fits nowhere even so, its
   *     original decision (with its rejection reasons) and nobody evicted
   */
  public PreemptionOutcome place(Task task) {
    Decision d = engine.place(task);
    if (d.placed()) {
      return new PreemptionOutcome(d, List.of());
    }
    Optional<PreemptionPlan> plan = search(List.of(task), lowerPriority(task), s -> true, a -> true);
    if (plan.isEmpty()) {
      return new PreemptionOutcome(d, List.of());
    }
    PreemptionOutcome out = commit(plan.get(), a -> true);
    return out.placed() ? out : new PreemptionOutcome(d, List.of());
  }

  /**
   * What placing {@code task} would evict, without changing anything: a plan with no victims when
   * it fits as the cluster stands, a plan with victims when it fits only by preempting, or empty
   * when it fits nowhere even so.
   */
  public Optional<PreemptionPlan> plan(Task task) {
    try (Transaction tx = engine.begin()) {
      if (engine.place(task).placed()) {
        return Optional.of(new PreemptionPlan(List.of(task), List.of(), VictimCost.NONE, policy.name()));
      }
    }
    return search(List.of(task), lowerPriority(task), s -> true, a -> true);
  }

  /**
   * Applies {@code plan} in one transaction: evicts its victims and places its preemptor, keeping
   * both only if the preemptor fits; otherwise nothing changes.
   *
   * @throws UnknownTaskException when a victim is no longer placed (the state is then unchanged)
   */
  public PreemptionOutcome commit(PreemptionPlan plan) {
    return commit(plan, a -> true);
  }

  private static Predicate<Task> lowerPriority(Task preemptor) {
    return v -> v.preemptible() && v.priority() < preemptor.priority();
  }

  /**
   * The general victim search: {@code preemptors} (one task, or a gang's members) against the
   * placed tasks {@code mayEvict} accepts, where a set of victims must also satisfy
   * {@code admissible} (a queue's quota) and every preemptor's placement {@code accept} (a
   * reservation). Empty when no set works.
   */
  Optional<PreemptionPlan> search(List<Task> preemptors, Predicate<Task> mayEvict,
      Predicate<List<Victim>> admissible, Predicate<Assignment> accept) {
    List<CandidateNode> candidates = candidates(preemptors, mayEvict);
    if (candidates.isEmpty() && !admissible.test(List.of())) {
      return Optional.empty();
    }
    FitProbe probe = victims -> fits(preemptors, List.copyOf(victims), admissible, accept);
    Optional<List<Victim>> chosen = policy.selectVictims(new PreemptionRequest(preemptors, candidates), probe);
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    List<Victim> victims = List.copyOf(chosen.get());
    requireCandidates(victims, candidates);
    return Optional.of(new PreemptionPlan(preemptors, victims, VictimCost.of(victims), policy.name()));
  }

  /** Placed tasks {@code mayEvict} accepts, grouped by node in cluster order. */
  private List<CandidateNode> candidates(List<Task> preemptors, Predicate<Task> mayEvict) {
    Set<String> ids = new HashSet<>();
    for (Task p : preemptors) {
      ids.add(p.id());
    }
    Map<String, List<Victim>> byNode = new LinkedHashMap<>();
    for (Node n : engine.nodes()) {
      byNode.put(n.name(), new ArrayList<>());
    }
    for (Assignment a : engine.assignments()) {
      Task t = engine.task(a.task()).orElseThrow();
      if (!ids.contains(t.id()) && mayEvict.test(t)) {
        byNode.get(a.node()).add(new Victim(t, a.node(), a.totalMilli()));
      }
    }
    var out = new ArrayList<CandidateNode>();
    for (Map.Entry<String, List<Victim>> e : byNode.entrySet()) {
      if (!e.getValue().isEmpty()) {
        out.add(new CandidateNode(e.getKey(), engine.node(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  private void requireCandidates(List<Victim> victims, List<CandidateNode> candidates) {
    Map<String, Victim> known = new HashMap<>();
    for (CandidateNode c : candidates) {
      for (Victim v : c.victims()) {
        known.put(v.id(), v);
      }
    }
    Set<String> seen = new HashSet<>();
    for (Victim v : victims) {
      if (!v.equals(known.get(v.id())) || !seen.add(v.id())) {
        throw new IllegalStateException("preemption policy " + policy.name() + " chose victim " + v.id()
            + " on " + v.node() + ", which is not a candidate or is chosen twice");
      }
    }
  }

  /** The probe: every preemptor placed, and accepted, once exactly {@code victims} are gone. */
  private boolean fits(List<Task> preemptors, List<Victim> victims, Predicate<List<Victim>> admissible,
      Predicate<Assignment> accept) {
    probes++;
    if (!admissible.test(victims)) {
      return false;
    }
    Transaction tx = engine.begin();
    try {
      for (Victim v : victims) {
        engine.release(v.id());
      }
      for (Task p : preemptors) {
        Decision d = engine.place(p);
        if (!d.placed() || !accept.test(d.assignment())) {
          return false;
        }
      }
      return true;
    } finally {
      tx.rollback();
    }
  }

  /**
   * Evicts the plan's victims and places its preemptors in one transaction, kept only if every
   * preemptor is placed and accepted. Returns the first preemptor's outcome.
   */
  PreemptionOutcome commit(PreemptionPlan plan, Predicate<Assignment> accept) {
    Transaction tx = engine.begin();
    try {
      var evicted = new ArrayList<Assignment>();
      for (Victim v : plan.victims()) {
        evicted.add(engine.release(v.id()));
      }
      Decision first = null;
      for (Task p : plan.preemptors()) {
        Decision d = engine.place(p);
        if (first == null) {
          first = d;
        }
        if (!d.placed() || !accept.test(d.assignment())) {
          tx.rollback();
          return new PreemptionOutcome(d.placed() ? new Decision(p, null, Map.of()) : d, List.of());
        }
      }
      tx.commit();
      return new PreemptionOutcome(first, evicted);
    } finally {
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
  }
}
