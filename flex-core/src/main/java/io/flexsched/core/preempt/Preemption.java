package io.flexsched.core.preempt;

import io.flexsched.core.ClusterView;
import io.flexsched.core.Outcome;
import io.flexsched.core.PolicyException;
import io.flexsched.core.Transaction;
import io.flexsched.core.engine.Engine;
import io.flexsched.core.providers.Providers;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import io.flexsched.model.WorkloadDistribution;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.PreemptionPolicy;
import io.flexsched.spi.PreemptionRequest;
import io.flexsched.spi.Victim;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Preemption (KAI's preempt action): which placed tasks to evict so that preemptors that fit
 * nowhere can be placed, and the eviction itself. The {@link PreemptionPolicy} chooses among the
 * candidates the caller's rules allow, testing sets with what-if placements in transactions that
 * are rolled back; the plan is applied in one transaction, kept only if every preemptor then fits.
 * A gang's members are placed together in every what-if, so its topology requirement holds; a
 * placed gang is one victim, evicted whole or not at all.
 */
public final class Preemption {
  private final Engine engine;
  private final PreemptionPolicy policy;
  private long probes;

  /** Preemption on {@code engine} with victims chosen by {@code policy}. */
  public Preemption(Engine engine, PreemptionPolicy policy) {
    this.engine = engine;
    this.policy = policy;
  }

  /**
   * A new instance of the built-in or ServiceLoader-provided preemption policy {@code name}.
   *
   * @throws io.flexsched.model.InvalidSpecException naming the field {@code preemption} and the known policies
   */
  public static PreemptionPolicy policy(String name) {
    return Providers.preemption().named(name)
        .create(new PolicyContext(0, WorkloadDistribution.EMPTY, DeviceCatalogue.builtIn()));
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
   * The victims whose eviction lets every one of {@code preemptors} (one task, or a gang's members)
   * be placed on nodes {@code allowed} accepts (every node when null): chosen by the policy among
   * the placed tasks and whole placed gangs {@code mayEvict} accepts, as a set that also satisfies
   * {@code admissible} (a queue's quota). Empty when no set works. Changes nothing.
   *
   * @throws PolicyException when the policy fails or names victims that are not candidates
   */
  public Optional<List<Victim>> search(List<Task> preemptors, Predicate<Victim> mayEvict,
      Predicate<List<Victim>> admissible, @Nullable Predicate<String> allowed) {
    List<PreemptionRequest.Candidate> candidates = candidates(preemptors, mayEvict, allowed);
    if (candidates.isEmpty() && !admissible.test(List.of())) {
      return Optional.empty();
    }
    PreemptionPolicy.FitProbe probe = victims -> fits(preemptors, List.copyOf(victims), admissible, allowed);
    Optional<List<Victim>> chosen;
    try {
      chosen = policy.selectVictims(new PreemptionRequest(preemptors, candidates), probe);
    } catch (RuntimeException e) {
      throw new PolicyException(name(), null, preemptors.get(0).id(), "it threw " + e, e);
    }
    if (chosen == null || chosen.isEmpty()) {
      return Optional.empty();
    }
    List<Victim> victims = new ArrayList<>(chosen.get());
    requireCandidates(preemptors, victims, candidates);
    return Optional.of(List.copyOf(victims));
  }

  /**
   * Evicts {@code victims} and places {@code preemptors} (on nodes {@code allowed} accepts) in one
   * transaction, kept only if every preemptor is placed.
   *
   * @return the placement, with the victims' former assignments; null when the preemptors did not
   *     all fit, and then nothing changed
   */
  public Outcome.@Nullable Placed commit(List<Task> preemptors, List<Victim> victims, @Nullable Predicate<String> allowed) {
    try (Transaction tx = engine.begin()) {
      var evicted = new ArrayList<Assignment>();
      for (Victim v : victims) {
        for (Task m : v.members()) {
          evicted.add(engine.release(m.id()));
        }
      }
      Outcome placed = engine.decide(preemptors, allowed, false);
      if (!(placed instanceof Outcome.Placed p)) {
        return null;
      }
      tx.commit();
      engine.recordPreemptions(evicted.size());
      return new Outcome.Placed(p.tasks(), p.assignments(), evicted, p.domain());
    }
  }

  /** Preemptible and of a priority strictly lower than every one of {@code preemptors} (every member of a gang victim). */
  public static Predicate<Victim> lowerPriority(List<Task> preemptors) {
    int lowest = Integer.MAX_VALUE;
    for (Task p : preemptors) {
      lowest = Math.min(lowest, p.priority());
    }
    int bound = lowest;
    return v -> {
      for (Task m : v.members()) {
        if (!m.preemptible() || m.priority() >= bound) {
          return false;
        }
      }
      return true;
    };
  }

  /**
   * Placed tasks and whole placed gangs {@code mayEvict} accepts, grouped by node in cluster order;
   * only on nodes the preemptors may go to (the caller's restriction, their selectors and
   * tolerations), since evicting elsewhere frees nothing they can use. A
   * gang is listed once, under the first of its nodes the preemptors may go to, and only when all
   * of its members run (one that has partly finished is left to finish).
   */
  private List<PreemptionRequest.Candidate> candidates(List<Task> preemptors, Predicate<Victim> mayEvict,
      @Nullable Predicate<String> allowed) {
    ClusterView cluster = engine.cluster();
    Set<String> ids = new HashSet<>();
    for (Task p : preemptors) {
      ids.add(p.id());
    }
    Map<String, List<Victim>> byNode = new LinkedHashMap<>();
    for (Node n : cluster.nodes()) {
      if ((allowed == null || allowed.test(n.name())) && anyMayRunOn(preemptors, n)) {
        byNode.put(n.name(), new ArrayList<>());
      }
    }
    Map<List<Object>, List<Assignment>> gangs = new LinkedHashMap<>();
    for (Assignment a : cluster.assignments()) {
      Task t = cluster.task(a.task()).orElseThrow();
      if (ids.contains(t.id())) {
        continue;
      }
      if (t.gang() != null && t.gang().size() > 1) {
        gangs.computeIfAbsent(Arrays.asList(t.gang(), t.queue()), k -> new ArrayList<>()).add(a);
      } else if (byNode.containsKey(a.node())) {
        add(byNode, a.node(), new Victim(t, a), mayEvict);
      }
    }
    for (List<Assignment> members : gangs.values()) {
      Task first = cluster.task(members.get(0).task()).orElseThrow();
      // Two running gangs of one name would make a group larger than either: neither is a victim.
      if (members.size() != first.gang().size()) {
        continue;
      }
      var tasks = new ArrayList<Task>(members.size());
      for (Assignment a : members) {
        tasks.add(cluster.task(a.task()).orElseThrow());
      }
      Victim v = new Victim(tasks, members);
      for (String node : v.nodes()) {
        if (byNode.containsKey(node)) {
          add(byNode, node, v, mayEvict);
          break;
        }
      }
    }
    var out = new ArrayList<PreemptionRequest.Candidate>();
    for (Map.Entry<String, List<Victim>> e : byNode.entrySet()) {
      if (!e.getValue().isEmpty()) {
        out.add(new PreemptionRequest.Candidate(e.getKey(), cluster.node(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  private static boolean anyMayRunOn(List<Task> preemptors, Node node) {
    for (Task p : preemptors) {
      if (p.mayRunOn(node)) {
        return true;
      }
    }
    return false;
  }

  private static void add(Map<String, List<Victim>> byNode, String node, Victim v, Predicate<Victim> mayEvict) {
    if (mayEvict.test(v)) {
      byNode.get(node).add(v);
    }
  }

  private void requireCandidates(List<Task> preemptors, List<Victim> victims, List<PreemptionRequest.Candidate> candidates) {
    Map<String, Victim> known = new HashMap<>();
    for (PreemptionRequest.Candidate c : candidates) {
      for (Victim v : c.victims()) {
        known.put(v.id(), v);
      }
    }
    Set<String> seen = new HashSet<>();
    for (Victim v : victims) {
      if (v == null || !v.equals(known.get(v.id())) || !seen.add(v.id())) {
        throw new PolicyException(name(), v == null ? null : v.node(), preemptors.get(0).id(),
            "it chose victim " + (v == null ? "null" : v.id()) + ", which is not a candidate or is chosen twice", null);
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
        for (Task m : v.members()) {
          engine.release(m.id());
        }
      }
      return engine.decide(preemptors, allowed, false).placed();
    } finally {
      tx.rollback();
    }
  }

  private String name() {
    return "preemption policy '" + policy.name() + "'";
  }
}
