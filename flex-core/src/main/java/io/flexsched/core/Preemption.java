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
 * <p>A gang ({@link #placeGang}) is searched and committed as a whole: its victims may span nodes,
 * every probe and the commit place the members together with {@link PlacementEngine#placeGang}
 * (so its topology requirement holds), and the plan is kept only if every member then fits. A
 * victim must have a strictly lower priority than every member.
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
   * Places a complete gang: every member where it fits as the cluster stands if the gang fits;
   * else by evicting the victims the policy chooses, across nodes, among placed preemptible tasks
   * whose priority is strictly lower than every member's. The evictions are committed only if
   * every member is then placed; otherwise nothing changes.
   *
   * @param members all {@code gang.size()} members, each naming the same gang
   * @return the gang decision and the evicted assignments; if the gang fits nowhere even so, its
   *     original decision and nobody evicted
   * @throws io.flexsched.model.InvalidSpecException when the members do not make one complete gang
   *     (the state is then unchanged)
   */
  public GangPreemptionOutcome placeGang(List<Task> members) {
    GangDecision d = engine.placeGang(members);
    if (d.placed()) {
      return new GangPreemptionOutcome(d, List.of());
    }
    Optional<PreemptionPlan> plan = search(members, lowerPriority(members), s -> true, null);
    if (plan.isEmpty()) {
      return new GangPreemptionOutcome(d, List.of());
    }
    Transaction tx = engine.begin();
    try {
      var evicted = new ArrayList<Assignment>();
      for (Victim v : plan.get().victims()) {
        evicted.add(engine.release(v.id()));
      }
      Placed placed = placeAll(members, null);
      if (!placed.placed()) {
        tx.rollback();
        return new GangPreemptionOutcome(d, List.of());
      }
      tx.commit();
      engine.recordPreemptions(evicted.size());
      return new GangPreemptionOutcome(placed.gang(), evicted);
    } finally {
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
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

  /** Preemptible and of a priority strictly lower than every one of {@code preemptors}. */
  static Predicate<Task> lowerPriority(List<Task> preemptors) {
    int lowest = Integer.MAX_VALUE;
    for (Task p : preemptors) {
      lowest = Math.min(lowest, p.priority());
    }
    int bound = lowest;
    return v -> v.preemptible() && v.priority() < bound;
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
      return placeAll(preemptors, allowed).placed();
    } finally {
      tx.rollback();
    }
  }

  private Decision place(Task task, @Nullable Predicate<String> allowed) {
    return allowed == null ? engine.place(task) : engine.place(task, allowed);
  }

  /**
   * What placing the preemptors did: one decision per preemptor, in their order, up to the first
   * that was not placed; for a gang, also the engine's gang decision.
   */
  private record Placed(List<Decision> decisions, int wanted, @Nullable GangDecision gang) {
    boolean placed() {
      return decisions.size() == wanted && decisions.get(wanted - 1).placed();
    }

    Decision failed() {
      return decisions.get(decisions.size() - 1);
    }
  }

  /**
   * Places the preemptors: a gang's members together with {@link PlacementEngine#placeGang}, other
   * tasks one by one; each only on nodes {@code allowed} accepts (every node when null). A gang the
   * engine put partly on a node {@code allowed} refuses counts as not placed. Leaves what it placed
   * in place even when not every preemptor fits: the caller's transaction rolls it back.
   */
  private Placed placeAll(List<Task> preemptors, @Nullable Predicate<String> allowed) {
    var decisions = new ArrayList<Decision>(preemptors.size());
    if (preemptors.get(0).gang() == null) {
      for (Task p : preemptors) {
        Decision d = place(p, allowed);
        decisions.add(d);
        if (!d.placed()) {
          break;
        }
      }
      return new Placed(decisions, preemptors.size(), null);
    }
    GangDecision g = engine.placeGang(preemptors);
    if (!g.placed()) {
      Task blocking = preemptors.get(0);
      for (Task p : preemptors) {
        if (p.id().equals(g.blocking())) {
          blocking = p;
        }
      }
      decisions.add(new Decision(blocking, null, g.reasons()));
      return new Placed(decisions, preemptors.size(), g);
    }
    Map<String, Assignment> byTask = new HashMap<>();
    for (Assignment a : g.assignments()) {
      byTask.put(a.task(), a);
    }
    for (Task p : preemptors) {
      Assignment a = byTask.get(p.id());
      if (allowed != null && !allowed.test(a.node())) {
        // The engine places a gang on any node; one held for another task makes the attempt fail.
        decisions.add(new Decision(p, null, Map.of()));
        return new Placed(decisions, preemptors.size(), g);
      }
      decisions.add(new Decision(p, a, Map.of()));
    }
    return new Placed(decisions, preemptors.size(), g);
  }

  /**
   * Evicts the plan's victims and places its preemptors (on nodes {@code allowed} accepts, or any
   * when null) in one transaction, kept only if every preemptor is placed. Returns the first
   * preemptor's outcome, with every victim.
   */
  PreemptionOutcome commit(PreemptionPlan plan, @Nullable Predicate<String> allowed) {
    List<PreemptionOutcome> all = commitAll(plan, allowed);
    if (all.size() == 1) {
      return all.get(0);
    }
    var evicted = new ArrayList<Assignment>();
    for (PreemptionOutcome o : all) {
      evicted.addAll(o.preempted());
    }
    return new PreemptionOutcome(all.get(0).decision(), evicted);
  }

  /**
   * {@link #commit(PreemptionPlan, Predicate)}, with one outcome per preemptor, in their order,
   * when all are placed; else the one outcome of the preemptor that did not fit, with nobody
   * evicted. Each victim is reported once: by the first preemptor placed on its node, or by the
   * first preemptor when none went there.
   */
  List<PreemptionOutcome> commitAll(PreemptionPlan plan, @Nullable Predicate<String> allowed) {
    Transaction tx = engine.begin();
    try {
      var evicted = new ArrayList<Assignment>();
      for (Victim v : plan.victims()) {
        evicted.add(engine.release(v.id()));
      }
      Placed placed = placeAll(plan.preemptors(), allowed);
      if (!placed.placed()) {
        tx.rollback();
        return List.of(new PreemptionOutcome(placed.failed(), List.of()));
      }
      tx.commit();
      engine.recordPreemptions(evicted.size());
      return attribute(placed.decisions(), evicted);
    } finally {
      if (tx.isOpen()) {
        tx.rollback();
      }
    }
  }

  private static List<PreemptionOutcome> attribute(List<Decision> decisions, List<Assignment> evicted) {
    var byPreemptor = new ArrayList<List<Assignment>>();
    for (int i = 0; i < decisions.size(); i++) {
      byPreemptor.add(new ArrayList<>());
    }
    for (Assignment victim : evicted) {
      int by = 0;
      for (int i = decisions.size() - 1; i >= 0; i--) {
        if (decisions.get(i).assignment().node().equals(victim.node())) {
          by = i;
        }
      }
      byPreemptor.get(by).add(victim);
    }
    var out = new ArrayList<PreemptionOutcome>(decisions.size());
    for (int i = 0; i < decisions.size(); i++) {
      out.add(new PreemptionOutcome(decisions.get(i), byPreemptor.get(i)));
    }
    return out;
  }
}
