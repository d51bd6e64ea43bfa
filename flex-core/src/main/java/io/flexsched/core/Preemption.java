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
import org.jspecify.annotations.Nullable;

/**
 * Places tasks on a {@link PlacementEngine}, preempting when they fit nowhere: an empty fit always
 * wins; otherwise a {@link PreemptionPolicy} chooses victims among the placed tasks of strictly
 * lower priority that are preemptible, testing candidate sets in transactions it rolls back, and
 * the plan is committed in a transaction only if the preemptor then fits. If it does not, nothing
 * is evicted.
 *
 * <p>Single-writer, like the engine. {@link SchedulingQueue} builds queues, quotas and reclaim on
 * top of it.
 *
 * <p>The victim search takes several preemptors, so gangs plug in: a gang's members are searched
 * and committed together (their victims may span nodes), and the plan is kept only if every member
 * fits. Until the engine places gangs, members are placed one by one with {@link
 * PlacementEngine#place(Task)}; that call is where gang placement goes.
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
    Optional<PreemptionPlan> plan = search(List.of(task), lowerPriority(task), s -> true, null);
    if (plan.isEmpty()) {
      return new PreemptionOutcome(d, List.of());
    }
    PreemptionOutcome out = commit(plan.get(), null);
    return out.placed() ? out : new PreemptionOutcome(d, List.of());
  }

  /**
   * What placing {@code task} would evict, without changing anything: a plan with no victims when
   * it fits as the cluster stands, a plan with victims when it fits only by preempting, or empty
   * when it fits nowhere even so.
   */
  public Optional<PreemptionPlan> plan(Task task) {
    Transaction tx = engine.begin();
    try {
      if (engine.place(task).placed()) {
        return Optional.of(new PreemptionPlan(List.of(task), List.of(), VictimCost.NONE, policy.name()));
      }
    } finally {
      tx.rollback();
    }
    return search(List.of(task), lowerPriority(task), s -> true, null);
  }

  /**
   * Applies {@code plan} in one transaction: evicts its victims and places its preemptor, keeping
   * both only if the preemptor fits; otherwise nothing changes.
   *
   * @throws UnknownTaskException when a victim is no longer placed (the state is then unchanged)
   */
  public PreemptionOutcome commit(PreemptionPlan plan) {
    return commit(plan, null);
  }

  private static Predicate<Task> lowerPriority(Task preemptor) {
    return v -> v.preemptible() && v.priority() < preemptor.priority();
  }

  /**
   * The general victim search: {@code preemptors} (one task, or a gang's members) against the
   * placed tasks {@code mayEvict} accepts, where a set of victims must also satisfy
   * {@code admissible} (a queue's quota) and preemptors go only to nodes {@code allowed} accepts
   * (a reservation; null for every node). Empty when no set works.
   */
  Optional<PreemptionPlan> search(List<Task> preemptors, Predicate<Task> mayEvict,
      Predicate<List<Victim>> admissible, @Nullable Predicate<String> allowed) {
    List<CandidateNode> candidates = candidates(preemptors, mayEvict, allowed);
    if (candidates.isEmpty() && !admissible.test(List.of())) {
      return Optional.empty();
    }
    FitProbe probe = victims -> fits(preemptors, List.copyOf(victims), admissible, allowed);
    Optional<List<Victim>> chosen = policy.selectVictims(new PreemptionRequest(preemptors, candidates), probe);
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    List<Victim> victims = List.copyOf(chosen.get());
    requireCandidates(victims, candidates);
    return Optional.of(new PreemptionPlan(preemptors, victims, VictimCost.of(victims), policy.name()));
  }

  /**
   * Placed tasks {@code mayEvict} accepts, grouped by node in cluster order; only on nodes the
   * preemptors may go to, since evicting elsewhere frees nothing they can use.
   */
  private List<CandidateNode> candidates(List<Task> preemptors, Predicate<Task> mayEvict, @Nullable Predicate<String> allowed) {
    Set<String> ids = new HashSet<>();
    for (Task p : preemptors) {
      ids.add(p.id());
    }
    Map<String, List<Victim>> byNode = new LinkedHashMap<>();
    for (Node n : engine.nodes()) {
      if (allowed == null || allowed.test(n.name())) {
        byNode.put(n.name(), new ArrayList<>());
      }
    }
    for (Assignment a : engine.assignments()) {
      Task t = engine.task(a.task()).orElseThrow();
      if (byNode.containsKey(a.node()) && !ids.contains(t.id()) && mayEvict.test(t)) {
        byNode.get(a.node()).add(new Victim(t, a));
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

  /** The probe: every preemptor placed on an allowed node once exactly {@code victims} are gone. */
  private boolean fits(List<Task> preemptors, List<Victim> victims, Predicate<List<Victim>> admissible,
      @Nullable Predicate<String> allowed) {
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
        if (!place(p, allowed).placed()) {
          return false;
        }
      }
      return true;
    } finally {
      tx.rollback();
    }
  }

  private Decision place(Task task, @Nullable Predicate<String> allowed) {
    return allowed == null ? engine.place(task) : engine.place(task, allowed);
  }

  /**
   * Evicts the plan's victims and places its preemptors (on nodes {@code allowed} accepts, or any
   * when null) in one transaction, kept only if every preemptor is placed. Returns the first
   * preemptor's outcome.
   */
  PreemptionOutcome commit(PreemptionPlan plan, @Nullable Predicate<String> allowed) {
    Transaction tx = engine.begin();
    try {
      var evicted = new ArrayList<Assignment>();
      for (Victim v : plan.victims()) {
        evicted.add(engine.release(v.id()));
      }
      Decision first = null;
      for (Task p : plan.preemptors()) {
        Decision d = place(p, allowed);
        if (first == null) {
          first = d;
        }
        if (!d.placed()) {
          tx.rollback();
          return new PreemptionOutcome(d, List.of());
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
