package io.flexsched.core;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Gang;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.Hardware;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.PolicyContext;
import io.flexsched.spi.ScoringPolicies;
import io.flexsched.spi.ScoringPolicy;
import io.flexsched.spi.ScoringPolicyProvider;
import io.flexsched.spi.WorkloadDistribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A cluster's state and the decisions about it: where a task goes (filter, score, select,
 * reserve), releases, nodes joining and leaving, all inside optional {@link Transaction}s.
 *
 * <p>Single-writer: one thread at a time. Deterministic: the same nodes, tasks, policy and seed
 * give the same decisions. In assert mode every change is followed by a recomputation of all
 * accounting from scratch that fails loudly on any difference.
 */
public final class PlacementEngine {
  /** System property that turns assert mode on for every engine that does not set it. */
  public static final String ASSERT_PROPERTY = "flex.assert";

  /**
   * System property: in assert mode, recompute after every N-th change instead of every change
   * (default 1). Long replays in tests use it to stay affordable; they verify at the end too.
   */
  public static final String ASSERT_EVERY_PROPERTY = "flex.assert.every";

  private static final RejectReason[] REASONS = RejectReason.values();

  private final ClusterState state;
  private final NodeCursor cursor;
  private final ScoringPolicy policy;
  private final @Nullable ScoreIndex index;
  private final TaskShapes shapes = new TaskShapes();
  private final DecisionContext context;
  private final DeviceCatalogue catalogue;
  private final boolean assertMode;
  private final TieBreak tieBreak;
  private final int assertEvery;
  private long changes;
  private final DeviceChoice choice = new DeviceChoice();
  private final DeviceChoice bestChoice = new DeviceChoice();
  private final DeviceChoice ruleScratch = new DeviceChoice();
  private final Hardware hardware;
  private final ArrayList<Undo> undoLog = new ArrayList<>();
  private final ArrayList<Transaction> open = new ArrayList<>();
  private long sequence;
  private long[] rank = new long[0];
  private int[] seenNode = new int[0];
  private int[] seenBlock = new int[0];
  private int[] dirtyBlock = new int[0];
  private int refreshEpoch;
  private @Nullable BitSet allowed;
  private NodeStateKey[] canonical = new NodeStateKey[0];
  private long[] canonicalStamp = new long[0];
  private final @Nullable EngineMetrics metrics;

  private PlacementEngine(Builder b, ScoringPolicy policy, Hardware hardware) {
    this.policy = policy;
    this.state = new ClusterState(shapes);
    this.cursor = new NodeCursor(state);
    this.index = policy.dependsOnlyOnNodeState() ? new ScoreIndex() : null;
    this.context = new DecisionContext(b.seed);
    this.hardware = hardware;
    this.catalogue = hardware.catalogue(b.catalogue);
    this.assertMode = b.assertMode != null ? b.assertMode : Boolean.getBoolean(ASSERT_PROPERTY);
    this.tieBreak = b.tieBreak;
    this.assertEvery = Math.max(1, Integer.getInteger(ASSERT_EVERY_PROPERTY, 1));
    for (Node n : b.nodes) {
      state.addNode(n, hardware.rulesFor(n));
    }
    check();
    var tags = b.metricsTags.and("policy", policy.name());
    this.metrics = b.registry == null ? null : new EngineMetrics(b.registry, tags, b.metricsRefresh, b.workload);
    if (metrics != null) {
      metrics.publish(state);
    }
  }

  /** A builder for an engine. */
  public static Builder builder() {
    return new Builder();
  }

  /** The scoring policy's name. */
  public String policyName() {
    return policy.name();
  }

  /** True when every change is checked against a recomputation from scratch. */
  public boolean assertMode() {
    return assertMode;
  }

  /**
   * Tries to place {@code task}: filters every node, scores those it fits on, takes the best
   * (ties broken by the seeded rule) and reserves its devices.
   *
   * @return the assignment, or per reason how many nodes rejected the task
   * @throws InvalidSpecException when the task is malformed for this cluster (its id is already
   *     placed, its profile belongs to no known model, or it asks for what the engine does not
   *     support yet); the state is then unchanged
   */
  public Decision place(Task task) {
    if (task.gang() != null) {
      throw new InvalidSpecException("gang", task.gang().name(), "members are placed together with placeGang, not one by one");
    }
    return decide(task, null);
  }

  /** One task's decision, timed and counted when there are metrics. */
  private Decision decide(Task task, @Nullable BitSet within) {
    if (metrics == null) {
      return placeWithin(task, within, null);
    }
    long start = System.nanoTime();
    Decision d = placeWithin(task, within, null);
    long end = System.nanoTime();
    metrics.decided(d, end - start, end);
    metrics.changed(state, end);
    return d;
  }

  /**
   * {@link #place}, restricted to the nodes in {@code allowed} when it is not null. A live node
   * outside {@code allowed} counts under {@code outside} when the task is not placed, or when that
   * is null under the reason the node itself rejects the task (if any).
   */
  private Decision placeWithin(Task task, @Nullable BitSet allowed, @Nullable RejectReason outside) {
    validate(task);
    this.allowed = allowed;
    try {
      AcceleratorRequest r = task.accelerators();
      context.moveTo(sequence++);
      boolean[] compatible = new boolean[state.modelCount()];
      Profile[] profiles = new Profile[state.modelCount()];
      perModel(r, compatible, profiles);
      ScoreIndex.Line line = null;
      int best;
      if (index != null) {
        line = refreshedLine(task, r, compatible, profiles);
        best = bestFromLine(line);
      } else {
        best = bestByScan(task, r, compatible, profiles);
      }
      if (best < 0) {
        Map<RejectReason, Integer> why = line != null && (allowed == null || outside == null)
            ? line.reasons()
            : reasons(task, r, compatible, profiles, outside);
        return new Decision(task, null, why);
      }
      Assignment a = reserve(best, task, r, bestChoice, profiles);
      return new Decision(task, a, Map.of());
    } finally {
      this.allowed = null;
    }
  }

  /** Per device model: may it serve {@code r} at all, and with which of its profiles. */
  private void perModel(AcceleratorRequest r, boolean[] compatible, Profile[] profiles) {
    for (int m = 0; m < compatible.length; m++) {
      DeviceModel dm = state.modelById(m);
      compatible[m] = r.count() > 0 && ClusterState.compatible(dm, r);
      profiles[m] = r.profile() == null || !compatible[m] ? null : dm.profile(r.profile()).orElseThrow();
    }
  }

  /** Scores every node the task fits on; the best goes to {@code bestChoice}. */
  private int bestByScan(Task task, AcceleratorRequest r, boolean[] compatible, Profile[] profiles) {
    int best = -1;
    double bestScore = 0;
    long bestTie = 0;
    boolean bestTieKnown = false;
    int nodes = state.nodeSlots();
    for (int n = 0; n < nodes; n++) {
      if (!state.isLive(n) || (allowed != null && !allowed.get(n)) || filter(n, task, r, compatible, profiles) != null) {
        continue;
      }
      choice.clear();
      double score = checkedScore(n, task);
      boolean better;
      if (best < 0 || score > bestScore) {
        better = true;
        bestTieKnown = false;
      } else if (score == bestScore) {
        if (!bestTieKnown) {
          bestTie = tieBreak.rank(context, best);
          bestTieKnown = true;
        }
        long tie = tieBreak.rank(context, n);
        better = tie < bestTie;
        if (better) {
          bestTie = tie;
        }
      } else {
        better = false;
      }
      if (better) {
        best = n;
        bestScore = score;
        bestChoice.copyFrom(choice);
      }
    }
    return best;
  }

  private double checkedScore(int n, Task task) {
    double score = policy.score(task, cursor.at(n), choice, context);
    if (!Double.isFinite(score)) {
      throw new IllegalStateException("policy " + policy.name() + " scored node " + state.spec(n).name() + " " + score);
    }
    return score;
  }

  /**
   * The task's shape's line of the {@link ScoreIndex}, brought up to date with the nodes changed
   * since it was last used (every node when the change log no longer reaches back that far).
   */
  private ScoreIndex.Line refreshedLine(Task task, AcceleratorRequest r, boolean[] compatible, Profile[] profiles) {
    int shape = shapes.of(task);
    ScoreIndex.Line line = index.line(shape, r.count(), r.profile() != null);
    int nodes = state.nodeSlots();
    line.ensure(nodes);
    ensureScratch(nodes);
    boolean blocks = tieBreak == TieBreak.NODE_ORDER;
    long end = state.logEnd();
    if (line.position < state.logBase()) {
      for (int n = 0; n < nodes; n++) {
        line.set(n, answer(n, shape, task, r, compatible, profiles));
      }
      if (blocks) {
        for (int b = 0; b * ScoreIndex.BLOCK < nodes; b++) {
          line.rebuildBlock(b, rank, nodes);
        }
      }
    } else {
      int epoch = ++refreshEpoch;
      int dirtyBlocks = 0;
      for (long p = line.position; p < end; p++) {
        int n = state.changedAt(p);
        if (seenNode[n] == epoch) {
          continue;
        }
        seenNode[n] = epoch;
        line.set(n, answer(n, shape, task, r, compatible, profiles));
        int b = n / ScoreIndex.BLOCK;
        if (blocks && seenBlock[b] != epoch) {
          seenBlock[b] = epoch;
          dirtyBlock[dirtyBlocks++] = b;
        }
      }
      for (int i = 0; i < dirtyBlocks; i++) {
        line.rebuildBlock(dirtyBlock[i], rank, nodes);
      }
    }
    line.position = end;
    return line;
  }

  /** The best node of an up-to-date line; its device choice goes to {@code bestChoice}. */
  private int bestFromLine(ScoreIndex.Line line) {
    int nodes = state.nodeSlots();
    int best = tieBreak == TieBreak.NODE_ORDER && allowed == null ? line.best(rank, nodes) : bestInLine(line, nodes);
    if (best >= 0) {
      line.load(best, bestChoice);
    }
    return best;
  }

  /** Per-decision tie-breaking over a line: a scan of its scores. */
  private int bestInLine(ScoreIndex.Line line, int nodes) {
    int best = -1;
    long bestTie = 0;
    for (int n = 0; n < nodes; n++) {
      double s = line.score[n];
      if (s == Double.NEGATIVE_INFINITY || (allowed != null && !allowed.get(n))) {
        continue;
      }
      if (best < 0 || s > line.score[best]) {
        best = n;
        bestTie = tieBreak.rank(context, n);
      } else if (s == line.score[best]) {
        long tie = tieBreak.rank(context, n);
        if (tie < bestTie) {
          best = n;
          bestTie = tie;
        }
      }
    }
    return best;
  }

  /** The policy's answer for node {@code n} and the task's shape, shared between equal node states. */
  private ScoreIndex.Answer answer(int n, int shape, Task task, AcceleratorRequest r, boolean[] compatible, Profile[] profiles) {
    if (!state.isLive(n)) {
      return ScoreIndex.Answer.GONE;
    }
    NodeStateKey key = canonicalKey(n);
    ScoreIndex.Answer a = key.answer(shape);
    if (a == null) {
      RejectReason why = filter(n, task, r, compatible, profiles);
      if (why != null) {
        a = ScoreIndex.Answer.unfit(why);
      } else {
        choice.clear();
        double score = checkedScore(n, task);
        a = ScoreIndex.encode(score, choice, r.profile() != null);
        if (a == null) {
          throw badChoice(n, task, choice, "the devices are not distinct indices of the node");
        }
      }
      key.remember(shape, a);
    }
    return a;
  }

  /** The canonical state key of node {@code n}, looked up once per change of the node. */
  private NodeStateKey canonicalKey(int n) {
    if (canonicalStamp[n] != state.stamp[n] || canonical[n] == null) {
      canonical[n] = index.canonical(state.stateKey(n));
      canonicalStamp[n] = state.stamp[n];
    }
    return canonical[n];
  }

  private void ensureScratch(int nodes) {
    if (seenNode.length < nodes) {
      int cap = Math.max(nodes, seenNode.length * 2);
      seenNode = Arrays.copyOf(seenNode, cap);
      int blocks = cap / ScoreIndex.BLOCK + 1;
      seenBlock = Arrays.copyOf(seenBlock, blocks);
      dirtyBlock = Arrays.copyOf(dirtyBlock, blocks);
    }
    if (canonical.length < nodes) {
      canonical = Arrays.copyOf(canonical, Math.max(nodes, canonical.length * 2));
      canonicalStamp = Arrays.copyOf(canonicalStamp, canonical.length);
    }
    if (rank.length < nodes) {
      int old = rank.length;
      rank = Arrays.copyOf(rank, Math.max(nodes, old * 2));
      for (int n = old; n < rank.length; n++) {
        rank[n] = TieBreak.NODE_ORDER.rank(context, n);
      }
    }
  }

  /**
   * Per rejection reason, how many live nodes the task does not fit; a node outside
   * {@link #allowed} counts under {@code outside}, or under its own reason when that is null.
   */
  private Map<RejectReason, Integer> reasons(Task task, AcceleratorRequest r, boolean[] compatible, Profile[] profiles,
      @Nullable RejectReason outside) {
    int[] rejected = new int[REASONS.length];
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n)) {
        RejectReason why = outside != null && allowed != null && !allowed.get(n)
            ? outside
            : filter(n, task, r, compatible, profiles);
        if (why != null) {
          rejected[why.ordinal()]++;
        }
      }
    }
    return reasonMap(rejected);
  }

  /** The non-zero counts of {@code rejected} (indexed by reason ordinal) as a map. */
  static Map<RejectReason, Integer> reasonMap(int[] rejected) {
    var reasons = new EnumMap<RejectReason, Integer>(RejectReason.class);
    for (RejectReason reason : REASONS) {
      if (rejected[reason.ordinal()] > 0) {
        reasons.put(reason, rejected[reason.ordinal()]);
      }
    }
    return reasons;
  }

  private void validate(Task task) {
    if (state.placement(task.id()) != null) {
      throw new InvalidSpecException("task.id", "'" + task.id() + "'", "must not repeat a task already placed");
    }
    validateProfile(task);
  }

  private void validateProfile(Task task) {
    AcceleratorRequest r = task.accelerators();
    String profile = r.profile();
    if (profile != null) {
      boolean known = false;
      for (DeviceModel m : catalogue.models().values()) {
        known |= r.allows(m) && m.profile(profile).isPresent();
      }
      for (int m = 0; m < state.modelCount(); m++) {
        known |= r.allows(state.modelById(m)) && state.modelById(m).profile(profile).isPresent();
      }
      if (!known) {
        throw new InvalidSpecException("profile", "'" + profile + "'", "must be a profile of an allowed, known model");
      }
    }
  }

  private static final String[] LACKS = {"cpuMilli", "memoryMiB", "gpus", "gpuMilli", "gpuMemoryMiB", "computeUnits"};

  /**
   * Explains where {@code task} could go in the current state: per reason how many live nodes
   * reject it (the counts a pending {@link Decision} reports), how many would take it, and the
   * {@link NearMiss nearest miss}. Read-only: it changes nothing and draws no random numbers, so
   * the decisions that follow are those that would have followed without it. A gang member is
   * explained on its own (as if its gang had no topology constraint). It filters every node, so it
   * is meant for the tasks a user asks about, not for every decision.
   *
   * @throws InvalidSpecException when the task names a profile of no allowed, known model
   */
  public Explanation explain(Task task) {
    validateProfile(task);
    AcceleratorRequest r = task.accelerators();
    boolean[] compatible = new boolean[state.modelCount()];
    Profile[] profiles = new Profile[state.modelCount()];
    perModel(r, compatible, profiles);
    int[] rejected = new int[REASONS.length];
    int fitting = 0;
    int nearest = -1;
    RejectReason nearestWhy = null;
    double nearestDistance = Double.POSITIVE_INFINITY;
    long[] lacks = new long[LACKS.length];
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (!state.isLive(n)) {
        continue;
      }
      RejectReason why = filter(n, task, r, compatible, profiles);
      if (why == null) {
        fitting++;
        continue;
      }
      rejected[why.ordinal()]++;
      double d = shortfall(n, task, r, compatible, profiles, lacks);
      if (d < nearestDistance) {
        nearest = n;
        nearestWhy = why;
        nearestDistance = d;
      }
    }
    NearMiss miss = null;
    if (nearest >= 0) {
      shortfall(nearest, task, r, compatible, profiles, lacks);
      var named = new java.util.LinkedHashMap<String, Long>();
      for (int i = 0; i < LACKS.length; i++) {
        if (lacks[i] > 0) {
          named.put(LACKS[i], lacks[i]);
        }
      }
      miss = new NearMiss(state.spec(nearest).name(), nearestWhy, named, nearestDistance);
    }
    return new Explanation(task, fitting, reasonMap(rejected), miss);
  }

  /**
   * How far node {@code n} is from taking the task ({@link NearMiss}'s measure); what it lacks goes
   * to {@code lacks}, indexed as {@link #LACKS}.
   */
  private double shortfall(int n, Task task, AcceleratorRequest r, boolean[] compatible, Profile[] profiles, long[] lacks) {
    Arrays.fill(lacks, 0);
    double distance = 0;
    lacks[0] = Math.max(0, task.cpuMilli() - state.cpuFree[n]);
    lacks[1] = Math.max(0, task.memoryMiB() - state.memFree[n]);
    if (task.cpuMilli() > 0) {
      distance += (double) lacks[0] / task.cpuMilli();
    }
    if (task.memoryMiB() > 0) {
      distance += (double) lacks[1] / task.memoryMiB();
    }
    int need = r.count();
    if (need == 0) {
      return distance;
    }
    int base = state.devStart[n];
    int count = state.devCount[n];
    int hostable = 0;
    var candidates = new ArrayList<double[]>();
    for (int g = base; g < base + count; g++) {
      int m = state.modelId[g];
      if (!compatible[m]) {
        continue;
      }
      if (state.hostsNow(g, r, profiles[m])) {
        hostable++;
        continue;
      }
      candidates.add(deviceShortfall(g, r, profiles[m]));
    }
    int missing = need - hostable;
    if (missing <= 0) {
      return distance;
    }
    candidates.sort((a, b) -> Double.compare(a[0], b[0]));
    double devices = 0;
    for (int i = 0; i < missing; i++) {
      if (i < candidates.size()) {
        double[] c = candidates.get(i);
        devices += c[0];
        lacks[r.profile() != null ? 5 : 3] += (long) c[1];
        lacks[4] += (long) c[2];
      } else {
        devices += 1;
      }
    }
    lacks[2] = missing;
    return distance + devices / need;
  }

  /**
   * For device slot {@code g}, compatible with {@code r} but unable to host it now: the fraction of
   * one device's worth it lacks (1 when it is blocked by its sharer limit, by being given whole,
   * or by its slot layout alone), then the compute (milli or units) and memory it lacks.
   */
  private double[] deviceShortfall(int g, AcceleratorRequest r, @Nullable Profile profile) {
    double fraction;
    long compute;
    long memory;
    if (profile != null) {
      compute = Math.max(0, profile.computeUnits() - state.unitsFree[g]);
      memory = Math.max(0, profile.memoryMiB() - state.dmemFree[g]);
      fraction = Math.max((double) compute / Math.max(1, profile.computeUnits()),
          (double) memory / Math.max(1, profile.memoryMiB()));
    } else {
      compute = Math.max(0, r.milliPerDevice() - state.milliFree[g]);
      memory = Math.max(0, r.memoryMiBPerDevice() - state.dmemFree[g]);
      fraction = Math.max((double) compute / r.milliPerDevice(),
          r.memoryMiBPerDevice() > 0 ? (double) memory / r.memoryMiBPerDevice() : 0);
    }
    boolean blocked = state.tenants[g] >= state.model[g].maxSharers()
        || (profile == null && r.milliPerDevice() == DeviceModel.WHOLE_MILLI && state.tenants[g] > 0);
    if (fraction == 0 || blocked) {
      fraction = 1;
    }
    return new double[] {Math.min(1, fraction), compute, memory};
  }

  /** Null when {@code task} fits node {@code n}, else the first reason it does not. */
  private @Nullable RejectReason filter(int n, Task task, AcceleratorRequest r, boolean[] compatible, Profile[] profiles) {
    if (state.cpuFree[n] < task.cpuMilli()) {
      return RejectReason.INSUFFICIENT_CPU;
    }
    if (state.memFree[n] < task.memoryMiB()) {
      return RejectReason.INSUFFICIENT_MEMORY;
    }
    int need = r.count();
    if (need == 0) {
      return null;
    }
    int count = state.devCount[n];
    if (count == 0) {
      return RejectReason.NO_DEVICES;
    }
    int base = state.devStart[n];
    int usable = 0;
    int hostable = 0;
    for (int g = base; g < base + count; g++) {
      int m = state.modelId[g];
      if (compatible[m]) {
        usable++;
        if (state.hostsNow(g, r, profiles[m])) {
          hostable++;
        }
      }
    }
    if (usable == 0) {
      return RejectReason.MODEL_MISMATCH;
    }
    if (usable < need) {
      return RejectReason.INSUFFICIENT_DEVICE_COUNT;
    }
    if (hostable < need) {
      return RejectReason.INSUFFICIENT_DEVICE_SHARE;
    }
    DeviceRules rules = state.rules(n);
    if (rules != DeviceRules.standard() || (need >= 2 && r.minLinkScore() > 0)) {
      ruleScratch.clear();
      if (!rules.select(task, cursor.at(n), ruleScratch)) {
        return rules == DeviceRules.standard() ? RejectReason.LINK_SCORE : RejectReason.DEVICE_RULES;
      }
    }
    return null;
  }

  private Assignment reserve(int n, Task task, AcceleratorRequest r, DeviceChoice chosen, Profile[] profiles) {
    if (chosen.size() != r.count()) {
      throw badChoice(n, task, chosen, "it has " + chosen.size() + " devices, the task asks for " + r.count());
    }
    var slices = new ArrayList<Slice>(chosen.size());
    long seen = 0;
    for (int i = 0; i < chosen.size(); i++) {
      int d = chosen.device(i);
      if (d < 0 || d >= state.devCount[n] || (seen & (1L << d)) != 0) {
        throw badChoice(n, task, chosen, "device " + d + " is out of range or repeated");
      }
      seen |= 1L << d;
      int g = state.devStart[n] + d;
      int m = state.modelId[g];
      Profile p = profiles[m];
      if (r.count() > 0 && (!ClusterState.compatible(state.model[g], r) || !state.hostsNow(g, r, p))) {
        throw badChoice(n, task, chosen, "device " + d + " cannot host the request");
      }
      int start = chosen.start(i);
      if (p != null && p.slots() > 0) {
        long mask = start < 0 ? 0 : p.slotMask(start);
        if (!p.starts().contains(start) || (state.slotsFree[g] & mask) != mask) {
          throw badChoice(n, task, chosen, "profile " + p.name() + " cannot start at slot " + start + " of device " + d);
        }
      }
      slices.add(state.sliceFor(n, d, r, start));
    }
    if (!state.rules(n).admits(task, cursor.at(n), chosen)) {
      throw badChoice(n, task, chosen, "the node's device rules do not allow that set");
    }
    slices.sort((x, y) -> Integer.compare(x.device(), y.device()));
    Assignment a = new Assignment(task.id(), state.spec(n).name(), slices);
    Placement placement = new Placement(task, n, a, state.nextPlacementSequence());
    state.place(placement);
    log(new Undo.Placed(placement));
    check();
    return a;
  }

  /**
   * Places every member of a gang or none. With a topology level, members go under one domain of
   * that level (the one with the least free GPU compute that holds them all, so whole domains stay
   * free for the next large job); a preferred level falls back to the whole cluster, a required one
   * does not. Members are placed largest first. A gang that does not fit changes nothing.
   *
   * @param members all {@code gang.size()} members, each naming the same gang
   * @throws InvalidSpecException when the members do not make one complete gang
   */
  public GangDecision placeGang(List<Task> members) {
    if (metrics == null) {
      return decideGang(members);
    }
    long start = System.nanoTime();
    GangDecision d = decideGang(members);
    long end = System.nanoTime();
    metrics.decided(d, end - start, end);
    metrics.changed(state, end);
    return d;
  }

  private GangDecision decideGang(List<Task> members) {
    Gang gang = checkGang(members);
    var order = new ArrayList<>(members);
    order.sort((a, b) -> Long.compare(b.accelerators().totalMilli(), a.accelerators().totalMilli()));
    GangDecision last = null;
    if (gang.topologyLevel() != null) {
      List<Map.Entry<String, BitSet>> domains = domains(gang.topologyLevel());
      for (Map.Entry<String, BitSet> domain : domains) {
        last = tryGang(gang, order, domain.getKey(), domain.getValue());
        if (last.placed()) {
          return last;
        }
      }
      if (gang.required()) {
        return last != null ? last : new GangDecision(gang, false, null, List.of(), members.get(0).id(),
            Map.of(RejectReason.TOPOLOGY, state.liveNodes()));
      }
    }
    return tryGang(gang, order, null, null);
  }

  private GangDecision tryGang(Gang gang, List<Task> order, @Nullable String domain, @Nullable BitSet within) {
    var placed = new ArrayList<Assignment>();
    Transaction tx = begin();
    for (Task t : order) {
      Decision d = placeWithin(t, within, RejectReason.TOPOLOGY);
      if (!d.placed()) {
        tx.rollback();
        return new GangDecision(gang, false, domain, List.of(), t.id(), d.reasons());
      }
      placed.add(d.assignment());
    }
    tx.commit();
    return new GangDecision(gang, true, domain, placed, null, Map.of());
  }

  private static Gang checkGang(List<Task> members) {
    if (members.isEmpty()) {
      throw new InvalidSpecException("gang members", "[]", "must not be empty");
    }
    Gang gang = members.get(0).gang();
    if (gang == null) {
      throw new InvalidSpecException("gang", "null", "must be set on every member of a gang");
    }
    var ids = new java.util.HashSet<String>();
    for (Task t : members) {
      if (!gang.equals(t.gang())) {
        throw new InvalidSpecException("gang", t.gang() == null ? "null" : t.gang().name(),
            "must be the same on every member (" + gang.name() + ")");
      }
      if (!ids.add(t.id())) {
        throw new InvalidSpecException("task.id", "'" + t.id() + "'", "must not repeat within a gang");
      }
    }
    if (members.size() != gang.size()) {
      throw new InvalidSpecException("gang " + gang.name() + " members", members.size(), "must number gang.size " + gang.size());
    }
    return gang;
  }

  /**
   * The live nodes grouped by their domain at {@code level}, tightest first (least free GPU
   * compute, then the domain's name). A node's domain at a level is its topology path up to the
   * element its label of that name holds; a node without that label is in no domain.
   */
  private List<Map.Entry<String, BitSet>> domains(String level) {
    var members = new java.util.TreeMap<String, BitSet>();
    var free = new java.util.HashMap<String, Long>();
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (!state.isLive(n)) {
        continue;
      }
      String key = domainOf(state.spec(n), level);
      if (key != null) {
        members.computeIfAbsent(key, k -> new BitSet()).set(n);
        free.merge(key, state.totalFreeMilli[n], Long::sum);
      }
    }
    var out = new ArrayList<>(members.entrySet());
    out.sort((a, b) -> {
      int c = Long.compare(free.get(a.getKey()), free.get(b.getKey()));
      return c != 0 ? c : a.getKey().compareTo(b.getKey());
    });
    return out;
  }

  /** The domain of {@code node} at {@code level}, or null. */
  static @Nullable String domainOf(Node node, String level) {
    String value = node.labels().get(level);
    if (value == null) {
      return null;
    }
    List<String> path = node.topology();
    int at = path.indexOf(value);
    return at < 0 ? level + "=" + value : String.join("/", path.subList(0, at + 1));
  }

  private IllegalStateException badChoice(int n, Task task, DeviceChoice chosen, String why) {
    return new IllegalStateException("policy " + policy.name() + " chose devices " + chosen + " on node "
        + state.spec(n).name() + " for task " + task.id() + ", but " + why);
  }

  /**
   * Releases a placed task's resources.
   *
   * @return its assignment
   * @throws UnknownTaskException when no such task is placed
   */
  public Assignment release(String taskId) {
    Placement p = state.placement(taskId);
    if (p == null) {
      throw new UnknownTaskException(taskId);
    }
    state.unplace(p);
    log(new Undo.Released(p));
    check();
    changed();
    return p.assignment();
  }

  /**
   * Adds a node with all of its capacity free.
   *
   * @throws InvalidSpecException when a node of that name exists
   */
  public void addNode(Node node) {
    int n = state.addNode(node, hardware.rulesFor(node));
    log(new Undo.NodeAdded(n));
    check();
    changed();
  }

  /**
   * Removes a node; the tasks on it are evicted (released, not re-queued) and returned.
   *
   * @throws UnknownNodeException when there is no such node
   */
  public List<Assignment> removeNode(String name) {
    Integer n = state.ordinalOf(name);
    if (n == null) {
      throw new UnknownNodeException(name);
    }
    var evicted = new ArrayList<Placement>();
    for (Placement p : state.placements().values()) {
      if (p.node() == n) {
        evicted.add(p);
      }
    }
    for (Placement p : evicted) {
      state.unplace(p);
    }
    state.kill(n);
    log(new Undo.NodeRemoved(n, evicted));
    check();
    changed();
    var out = new ArrayList<Assignment>(evicted.size());
    for (Placement p : evicted) {
      out.add(p.assignment());
    }
    return out;
  }

  /** Opens a transaction; changes made until it ends are committed or rolled back together. */
  public Transaction begin() {
    Transaction tx = new Transaction(this, undoLog.size(), open.size());
    open.add(tx);
    return tx;
  }

  void endTransaction(Transaction tx, boolean rollback) {
    if (open.isEmpty() || open.get(open.size() - 1) != tx) {
      throw new IllegalStateException("transaction " + tx.depth() + " ended while an inner one is open");
    }
    if (rollback) {
      for (int i = undoLog.size() - 1; i >= tx.savepoint(); i--) {
        undoLog.get(i).undo(state);
        undoLog.remove(i);
      }
      check();
      changed();
    }
    open.remove(open.size() - 1);
    if (open.isEmpty()) {
      undoLog.clear();
    }
  }

  private void log(Undo undo) {
    if (!open.isEmpty()) {
      undoLog.add(undo);
    }
  }

  /** After a change: the gauges are published when their refresh interval has passed. */
  private void changed() {
    if (metrics != null) {
      metrics.changed(state);
    }
  }

  /**
   * Publishes the metrics now: counts, latency and its percentiles, and the gauges (allocation,
   * fragmentation and capacity per device model, nodes, tasks); call it on the engine's thread.
   * Without a registry it does nothing. Otherwise metrics are published after a decision or change
   * once the builder's refresh interval has passed.
   */
  public void publishMetrics() {
    if (metrics != null) {
      metrics.publish(state);
    }
  }

  /** Counts {@code victims} evicted by a committed preemption. */
  void recordPreemptions(int victims) {
    if (metrics != null) {
      metrics.preempted(victims);
    }
  }

  private void check() {
    if (assertMode && ++changes % assertEvery == 0) {
      state.verify();
    }
  }

  /** Recomputes all accounting from scratch and fails on any difference, whatever the mode. */
  public void verifyAccounting() {
    state.verify();
  }

  /** The assignment of a placed task. */
  public Optional<Assignment> assignment(String taskId) {
    Placement p = state.placement(taskId);
    return p == null ? Optional.empty() : Optional.of(p.assignment());
  }

  /** The placed task with this id. */
  public Optional<Task> task(String taskId) {
    Placement p = state.placement(taskId);
    return p == null ? Optional.empty() : Optional.of(p.task());
  }

  /** Every current assignment, in placement order. */
  public List<Assignment> assignments() {
    var out = new ArrayList<Assignment>();
    for (Placement p : state.placements().values()) {
      out.add(p.assignment());
    }
    return out;
  }

  /** The nodes of the cluster, in the order they joined. */
  public List<Node> nodes() {
    var out = new ArrayList<Node>();
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n)) {
        out.add(state.spec(n));
      }
    }
    return out;
  }

  /**
   * A read-only view of the named node's current state. It reflects later changes; do not hold
   * it across changes if a stable picture is needed.
   */
  public NodeView node(String name) {
    Integer n = state.ordinalOf(name);
    if (n == null) {
      throw new UnknownNodeException(name);
    }
    return new NodeCursor(state).at(n);
  }

  /** Total compute of the cluster's devices, in milli (1000 per device). */
  public long capacityMilli() {
    return state.capacityMilli();
  }

  /** Compute currently given to tasks, in milli. */
  public long allocatedMilli() {
    return state.allocatedMilli();
  }

  // ---- preemption support ----

  /**
   * Places {@code task} as {@link #place} does, but only on nodes whose name {@code allowed}
   * accepts: a scheduling queue's reservation holds a node for another task. The same policy,
   * score index and tie-breaking rule decide among the allowed nodes.
   *
   * @return the assignment, or per reason how many nodes rejected the task (nodes refused by
   *     {@code allowed} that would fit are counted under no reason)
   */
  public Decision place(Task task, java.util.function.Predicate<String> allowed) {
    if (task.gang() != null) {
      throw new InvalidSpecException("gang", task.gang().name(), "members are placed together with placeGang, not one by one");
    }
    var within = new BitSet(state.nodeSlots());
    for (int n = 0; n < state.nodeSlots(); n++) {
      if (state.isLive(n) && allowed.test(state.spec(n).name())) {
        within.set(n);
      }
    }
    return decide(task, within);
  }

  /** Builds a {@link PlacementEngine}; each setting may be given once. */
  public static final class Builder {
    private @Nullable ScoringPolicy policy;
    private @Nullable String policyName;
    private long seed = 42;
    private boolean seedSet;
    private DeviceCatalogue catalogue = DeviceCatalogue.builtIn();
    private boolean catalogueSet;
    private WorkloadDistribution workload = WorkloadDistribution.EMPTY;
    private boolean workloadSet;
    private @Nullable Boolean assertMode;
    private TieBreak tieBreak = TieBreak.NODE_ORDER;
    private boolean tieBreakSet;
    private final List<Node> nodes = new ArrayList<>();
    private @Nullable Hardware hardware;
    private io.micrometer.core.instrument.@Nullable MeterRegistry registry;
    private io.micrometer.core.instrument.Tags metricsTags = io.micrometer.core.instrument.Tags.empty();
    private java.time.Duration metricsRefresh = java.time.Duration.ofSeconds(10);
    private boolean metricsRefreshSet;

    private Builder() {}

    /**
     * The hardware providers whose models and device rules the engine uses (default: those
     * {@link java.util.ServiceLoader} finds).
     */
    public Builder hardware(Hardware value) {
      if (hardware != null) {
        throw new IllegalStateException("hardware was already set to " + hardware.providers());
      }
      this.hardware = value;
      return this;
    }

    /** The scoring policy, by the name of a ServiceLoader-provided policy (default {@code fgd}). */
    public Builder policy(String name) {
      requireNoPolicy();
      this.policyName = name;
      return this;
    }

    /** The scoring policy, given directly. */
    public Builder policy(ScoringPolicy value) {
      requireNoPolicy();
      this.policy = value;
      return this;
    }

    private void requireNoPolicy() {
      if (policy != null || policyName != null) {
        throw new IllegalStateException("policy was already set to " + (policy != null ? policy.name() : policyName));
      }
    }

    /** The seed of tie-breaking and of random policies (default 42). */
    public Builder seed(long value) {
      if (seedSet) {
        throw new IllegalStateException("seed was already set to " + seed);
      }
      this.seed = value;
      this.seedSet = true;
      return this;
    }

    /** The device models policies may look up (default the built-in catalogue). */
    public Builder catalogue(DeviceCatalogue value) {
      if (catalogueSet) {
        throw new IllegalStateException("catalogue was already set");
      }
      this.catalogue = value;
      this.catalogueSet = true;
      return this;
    }

    /** The target workload of fragmentation-aware policies. */
    public Builder workload(WorkloadDistribution value) {
      if (workloadSet) {
        throw new IllegalStateException("workload was already set to " + workload);
      }
      this.workload = value;
      this.workloadSet = true;
      return this;
    }

    /** Turns assert mode on or off (default: the system property {@code flex.assert}). */
    public Builder assertMode(boolean value) {
      if (assertMode != null) {
        throw new IllegalStateException("assertMode was already set to " + assertMode);
      }
      this.assertMode = value;
      return this;
    }

    /** How equal top scores are broken (default {@link TieBreak#NODE_ORDER}). */
    public Builder tieBreak(TieBreak value) {
      if (tieBreakSet) {
        throw new IllegalStateException("tieBreak was already set to " + tieBreak);
      }
      this.tieBreak = value;
      this.tieBreakSet = true;
      return this;
    }

    /**
     * Instruments the engine with Micrometer meters in {@code registry} (default: none, and no
     * metrics cost). Every meter carries the tag {@code policy} and the given extra tags
     * ({@code key, value} pairs). The meters, all documented in the README:
     * {@code flex.placement.latency} (function timer, tag {@code kind} = task | gang) with
     * {@code flex.placement.latency.percentile} gauges (tag {@code phi} = 0.5, 0.9, 0.99),
     * {@code flex.placements} (function counter, tags {@code kind}, {@code outcome} = placed |
     * pending), {@code flex.placement.rejections} (function counter of nodes, tag {@code reason}),
     * {@code flex.preemptions} (function counter of victims), and gauges {@code flex.devices.capacity},
     * {@code flex.devices.allocation} and {@code flex.devices.fragmentation} (tag {@code model};
     * fragmentation only when a target workload is given), {@code flex.nodes}, {@code flex.tasks}.
     *
     * @throws IllegalArgumentException when {@code tags} is not a list of key-value pairs
     */
    public Builder metrics(io.micrometer.core.instrument.MeterRegistry value, String... tags) {
      if (registry != null) {
        throw new IllegalStateException("metrics were already set to " + registry);
      }
      if (tags.length % 2 != 0) {
        throw new IllegalArgumentException("metrics tags must be key-value pairs, got " + tags.length + " strings");
      }
      this.registry = value;
      this.metricsTags = io.micrometer.core.instrument.Tags.of(tags);
      return this;
    }

    /**
     * How often, at most, metrics are published after decisions and changes (default 10 s, under
     * the usual scrape intervals; also on {@link PlacementEngine#publishMetrics()}).
     */
    public Builder metricsRefresh(java.time.Duration value) {
      if (metricsRefreshSet) {
        throw new IllegalStateException("metricsRefresh was already set to " + metricsRefresh);
      }
      if (value.isNegative()) {
        throw new IllegalArgumentException("metricsRefresh must not be negative, got " + value);
      }
      this.metricsRefresh = value;
      this.metricsRefreshSet = true;
      return this;
    }

    /** Adds nodes to the initial cluster. */
    public Builder nodes(Collection<Node> value) {
      nodes.addAll(value);
      return this;
    }

    /** Adds one node to the initial cluster. */
    public Builder node(Node value) {
      nodes.add(value);
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws InvalidSpecException for an unknown policy name or a repeated node name
     */
    public PlacementEngine build() {
      Hardware h = hardware != null ? hardware : Hardware.discover();
      ScoringPolicy p = policy;
      if (p == null) {
        ScoringPolicyProvider provider = ScoringPolicies.named(policyName == null ? "fgd" : policyName);
        p = provider.create(new PolicyContext(seed, workload, h.catalogue(catalogue)));
      }
      return new PlacementEngine(this, p, h);
    }
  }
}
