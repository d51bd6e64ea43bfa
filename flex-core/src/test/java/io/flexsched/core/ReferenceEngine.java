package io.flexsched.core;

import io.flexsched.core.providers.Hardware;
import io.flexsched.core.providers.Providers;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DecisionContext;
import io.flexsched.spi.DeviceChoice;
import io.flexsched.spi.DeviceRules;
import io.flexsched.spi.NodeView;
import io.flexsched.spi.ScoringPolicy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The plain reference implementation the engine is checked against: objects instead of columns,
 * a full scan with the SPI's own {@link NodeView#canHost} as the filter, every policy call made
 * afresh (no score cache, and a state stamp that never repeats so a policy's own caches never hit),
 * and the same tie-break rule, written out here rather than shared with the engine. NUMA affinity
 * is written out too: a task that asks for it is first scored on each NUMA node that holds it,
 * through a view of that NUMA node alone, and a preferred one is then placed as any other.
 */
public final class ReferenceEngine {
  private final ScoringPolicy policy;
  private final long seed;
  private final TieBreak tieBreak;
  private final List<RefNode> nodes = new ArrayList<>();
  private final Map<String, Placed> placed = new LinkedHashMap<>();
  private final Map<String, RefNode> byName = new java.util.HashMap<>();
  private long sequence;
  private long stamps;

  /** A placed task: its CPU and memory on {@code node}, its slices on {@code deviceNode} (the same node unless remote). */
  private record Placed(Task task, RefNode node, RefNode deviceNode, Assignment assignment) {
    Placed(Task task, RefNode node, Assignment assignment) {
      this(task, node, node, assignment);
    }

    void apply(int sign) {
      node.applyHost(task, assignment, sign);
      deviceNode.applySlices(task, assignment, sign);
      // A remote task is listed on the node that lends its devices too.
      if (deviceNode != node) {
        if (sign < 0) {
          deviceNode.tasks.add(task);
        } else {
          deviceNode.tasks.remove(task);
        }
      }
    }
  }

  private final Hardware hardware;

  public ReferenceEngine(ScoringPolicy policy, long seed, TieBreak tieBreak, List<Node> initial) {
    this(policy, seed, tieBreak, Providers.hardware(), initial);
  }

  public ReferenceEngine(ScoringPolicy policy, long seed, TieBreak tieBreak, Hardware hardware, List<Node> initial) {
    this.policy = policy;
    this.hardware = hardware;
    this.seed = seed;
    this.tieBreak = tieBreak;
    initial.forEach(this::addNode);
  }

  public void addNode(Node spec) {
    RefNode node = new RefNode(nodes.size(), spec);
    nodes.add(node);
    byName.put(spec.name(), node);
  }

  /** Removes the node and returns the tasks evicted from it, in placement order. */
  public List<Assignment> removeNode(String name) {
    RefNode node = find(name);
    var out = new ArrayList<Assignment>();
    for (Placed p : new ArrayList<>(placed.values())) {
      if (p.node() == node || p.deviceNode() == node) {
        release(p.task().id());
        out.add(p.assignment());
      }
    }
    node.live = false;
    return out;
  }

  public Assignment release(String taskId) {
    Placed p = placed.remove(taskId);
    p.apply(+1);
    return p.assignment();
  }

  /**
   * Takes on a placement decided elsewhere (by the engine, say) without deciding anything: how a
   * benchmark brings the reference to the engine's state at a scale where the reference's own
   * decisions would take hours.
   */
  public void adopt(Task task, Assignment assignment) {
    var p = new Placed(task, find(assignment.node()), find(assignment.deviceNode()), assignment);
    p.apply(-1);
    placed.put(task.id(), p);
  }

  public Outcome place(Task task) {
    return place(task, name -> true);
  }

  /**
   * Places {@code task} on the best node whose name {@code allowed} accepts; the reasons count every
   * live node that rejects the task, allowed or not.
   *
   * @return {@link Outcome.Placed}, or {@link Outcome.Pending} with cause {@code NO_FIT} and the
   *     reasons (no nearest miss: the engine's is checked by ExplainTest)
   */
  public Outcome place(Task task, java.util.function.Predicate<String> allowed) {
    DecisionContext context = DecisionContext.of(seed, sequence++);
    Outcome o = place(task, allowed, context, task.numa() != Task.Numa.NONE);
    // No node gives a preferred task affinity: it is placed as a task without it, in the same decision.
    o = !o.placed() && task.numa() == Task.Numa.PREFERRED ? place(task, allowed, context, false) : o;
    if (o.placed() || task.accelerators().remote() == null || task.gang() != null) {
      return o;
    }
    Outcome pooled = placeRemote(task, allowed, context);
    return pooled == null ? o : pooled;
  }

  /**
   * Remote devices, by brute force over every pair (device node, host node) of the whole-cluster
   * pool: the device node scored for the task without CPU and memory, the host for the task without
   * accelerators; the highest sum less penalty × (1 + topology steps between them) wins, ties by
   * the device node's rank, then the host's. Null when no pair fits.
   */
  private Outcome.@Nullable Placed placeRemote(Task task, java.util.function.Predicate<String> allowed, DecisionContext context) {
    int penalty = task.accelerators().remote().penalty();
    Task devicesPart = task.toBuilder().cpuMilli(0).memoryMiB(0).numa(Task.Numa.NONE).build();
    Task hostPart = task.toBuilder().accelerators(AcceleratorRequest.NONE).numa(Task.Numa.NONE).build();
    RefNode bestDevice = null;
    RefNode bestHost = null;
    double bestValue = 0;
    DeviceChoice bestChoice = null;
    for (RefNode d : nodes) {
      if (!d.live || !allowed.test(d.spec.name()) || filter(d, devicesPart, devicesPart.accelerators()) != null) {
        continue;
      }
      DeviceChoice choice = new DeviceChoice();
      double deviceScore = policy.score(devicesPart, d, choice, context);
      for (RefNode h : nodes) {
        if (h == d || !h.live || !allowed.test(h.spec.name()) || filter(h, hostPart, AcceleratorRequest.NONE) != null) {
          continue;
        }
        List<String> hp = h.spec.topology();
        List<String> dp = d.spec.topology();
        int shared = 0;
        while (shared < hp.size() && shared < dp.size() && hp.get(shared).equals(dp.get(shared))) {
          shared++;
        }
        // Summed in the engine's order, so that equal pairs stay equal to the last bit.
        double hostValue = (policy.score(hostPart, h, new DeviceChoice(), context) - (double) penalty * (hp.size() - shared))
            - (double) penalty * (dp.size() - shared + 1);
        double value = deviceScore + hostValue;
        boolean better = bestDevice == null || value > bestValue;
        if (!better && value == bestValue) {
          long rd = rank(context, d.ordinal);
          long rb = rank(context, bestDevice.ordinal);
          better = rd < rb || (rd == rb && rank(context, h.ordinal) < rank(context, bestHost.ordinal));
        }
        if (better) {
          bestDevice = d;
          bestHost = h;
          bestValue = value;
          bestChoice = choice;
        }
      }
    }
    if (bestDevice == null) {
      return null;
    }
    var slices = new ArrayList<Slice>();
    for (int i = 0; i < bestChoice.size(); i++) {
      int dev = bestChoice.device(i);
      if (!bestDevice.canHost(dev, devicesPart.accelerators())) {
        throw new IllegalStateException("reference: policy chose device " + dev + " that cannot host " + task.id());
      }
      slices.add(bestDevice.slice(dev, devicesPart.accelerators(), bestChoice.start(i)));
    }
    Assignment a = new Assignment(task.id(), bestHost.spec.name(), slices, Assignment.NO_NUMA, bestDevice.spec.name());
    Placed p = new Placed(task, bestHost, bestDevice, a);
    p.apply(-1);
    placed.put(task.id(), p);
    return new Outcome.Placed(List.of(task), List.of(a), List.of(), null);
  }

  private Outcome place(Task task, java.util.function.Predicate<String> allowed, DecisionContext context, boolean pinning) {
    AcceleratorRequest r = task.accelerators();
    var reasons = new EnumMap<RejectReason, Integer>(RejectReason.class);
    RefNode best = null;
    NodeView bestView = null;
    int bestNuma = Assignment.NO_NUMA;
    double bestScore = 0;
    DeviceChoice bestChoice = new DeviceChoice();
    // A sampling policy sees only k nodes drawn from the fitting ones; the rest of the loop lists those.
    int sample = pinning ? 0 : policy.sampleSize();
    var fitting = new ArrayList<RefNode>();
    for (RefNode node : nodes) {
      if (!node.live) {
        continue;
      }
      RejectReason why = filter(node, task, r);
      if (why == null && task.numa() == Task.Numa.REQUIRED && node.numaCount() > 0
          && java.util.stream.IntStream.range(0, node.numaCount()).noneMatch(k -> fitsNuma(node, k, task))) {
        why = RejectReason.NUMA;
      }
      if (why != null) {
        reasons.merge(why, 1, Integer::sum);
        continue;
      }
      if (!allowed.test(node.spec.name())) {
        continue;
      }
      if (sample > 0) {
        fitting.add(node);
        continue;
      }
      // The node's candidates: itself, or under affinity each of its NUMA nodes that holds the task.
      var views = new ArrayList<NodeView>();
      if (!pinning || node.numaCount() == 0) {
        views.add(node);
      } else {
        for (int k = 0; k < node.numaCount(); k++) {
          if (fitsNuma(node, k, task)) {
            views.add(new NumaRef(node, k));
          }
        }
      }
      for (NodeView view : views) {
        DeviceChoice choice = new DeviceChoice();
        double score = policy.score(task, view, choice, context);
        if (best == null || score > bestScore
            || (score == bestScore && best != node && rank(context, node.ordinal) < rank(context, best.ordinal))) {
          best = node;
          bestView = view;
          bestNuma = view instanceof NumaRef n ? n.numa : Assignment.NO_NUMA;
          bestScore = score;
          bestChoice = choice;
        }
      }
    }
    // Draw i: up to 32 uniform node slots, the first that fits; failing that, a uniform one of the fitting list.
    var fits = new java.util.HashSet<>(fitting);
    for (int i = 0; i < sample && !fitting.isEmpty(); i++) {
      RefNode node = null;
      for (int t = 0; t < 32 && node == null; t++) {
        RefNode drawn = nodes.get((int) Long.remainderUnsigned(context.random(-1 - i, t), nodes.size()));
        node = fits.contains(drawn) ? drawn : null;
      }
      if (node == null) {
        node = fitting.get((int) Long.remainderUnsigned(context.random(-1 - i, 32), fitting.size()));
      }
      DeviceChoice choice = new DeviceChoice();
      double score = policy.score(task, node, choice, context);
      if (best == null || score > bestScore
          || (score == bestScore && best != node && rank(context, node.ordinal) < rank(context, best.ordinal))) {
        best = node;
        bestView = node;
        bestScore = score;
        bestChoice = choice;
      }
    }
    if (best == null) {
      return new Outcome.Pending(List.of(task), Outcome.Cause.NO_FIT, reasons, null, "no node can take it");
    }
    var slices = new ArrayList<Slice>();
    for (int i = 0; i < bestChoice.size(); i++) {
      int d = bestChoice.device(i);
      if (!bestView.canHost(d, r)) {
        throw new IllegalStateException("reference: policy chose device " + d + " that cannot host " + task.id());
      }
      slices.add(best.slice(d, r, bestChoice.start(i)));
    }
    if (!best.rules.admits(task, bestView, bestChoice)) {
      throw new IllegalStateException("reference: the device rules refuse " + bestChoice + " for " + task.id());
    }
    Assignment a = new Assignment(task.id(), best.spec.name(), slices, bestNuma);
    best.apply(task, a, -1);
    placed.put(task.id(), new Placed(task, best, a));
    return new Outcome.Placed(List.of(task), List.of(a), List.of(), null);
  }

  /**
   * The rank of node {@code ordinal} among equal top scores (lowest wins), the rule of each
   * {@link TieBreak}: under {@code NODE_ORDER} its place in one permutation drawn from the seed,
   * under {@code PER_DECISION} a fresh draw of the decision's random stream. Written out here, not
   * shared with the engine, so that a change to either shows up as a difference.
   */
  private long rank(DecisionContext context, int ordinal) {
    return tieBreak == TieBreak.NODE_ORDER
        ? DecisionContext.mix(DecisionContext.mix(context.seed() ^ 0x5DEECE66DL) + ordinal)
        : context.random(ordinal, -1);
  }

  private static RejectReason filter(RefNode node, Task task, AcceleratorRequest r) {
    for (Map.Entry<String, String> want : task.nodeSelector().entrySet()) {
      if (!want.getValue().equals(node.spec.labels().get(want.getKey()))) {
        return RejectReason.NODE_SELECTOR;
      }
    }
    for (Node.Taint taint : node.spec.taints()) {
      if (task.tolerations().stream().noneMatch(t -> t.tolerates(taint))) {
        return RejectReason.TAINT;
      }
    }
    if (node.cpuFree < task.cpuMilli()) {
      return RejectReason.INSUFFICIENT_CPU;
    }
    if (node.memFree < task.memoryMiB()) {
      return RejectReason.INSUFFICIENT_MEMORY;
    }
    if (r.count() == 0) {
      return null;
    }
    if (node.deviceCount() == 0) {
      return RejectReason.NO_DEVICES;
    }
    int usable = 0;
    int hostable = 0;
    for (int d = 0; d < node.deviceCount(); d++) {
      if (usableModel(node.model(d), r)) {
        usable++;
      }
      if (node.canHost(d, r)) {
        hostable++;
      }
    }
    if (usable == 0) {
      return RejectReason.MODEL_MISMATCH;
    }
    if (usable < r.count()) {
      return RejectReason.INSUFFICIENT_DEVICE_COUNT;
    }
    if (hostable < r.count()) {
      return RejectReason.INSUFFICIENT_DEVICE_SHARE;
    }
    DeviceRules rules = node.deviceRules();
    if (rules != DeviceRules.standard() || (r.count() >= 2 && r.minLinkScore() > 0)) {
      if (!rules.select(task, node, new DeviceChoice())) {
        return rules == DeviceRules.standard() ? RejectReason.LINK_SCORE : RejectReason.DEVICE_RULES;
      }
    }
    return null;
  }

  /** Whether NUMA node {@code k} of {@code node} can pin the task's CPU and holds a device set for it. */
  private boolean fitsNuma(RefNode node, int k, Task task) {
    if (node.spec.numa().get(k).cpuMilli() - node.pinned[k] < task.cpuMilli()) {
      return false;
    }
    AcceleratorRequest r = task.accelerators();
    if (r.count() == 0) {
      return true;
    }
    NumaRef view = new NumaRef(node, k);
    if (view.hostableDevices(r) < r.count()) {
      return false;
    }
    DeviceRules rules = node.deviceRules();
    return (rules == DeviceRules.standard() && (r.count() < 2 || r.minLinkScore() <= 0))
        || rules.select(task, view, new DeviceChoice());
  }

  /** Whether a device of this model could ever serve one device's worth of the request. */
  private static boolean usableModel(DeviceModel m, AcceleratorRequest r) {
    if (!r.allows(m)) {
      return false;
    }
    if (r.profile() != null) {
      return m.profile(r.profile()).isPresent();
    }
    if (r.weight() > 0) {
      // A time slice only on a time-sliced model, its quota in steps of the model's granularity.
      return m.sharing() == SharingMode.TIME_SLICED && r.milliPerDevice() % m.granularityMilli() == 0
          && r.memoryMiBPerDevice() <= m.memoryMiB();
    }
    if (r.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      return r.memoryMiBPerDevice() <= m.memoryMiB();
    }
    return (m.sharing() == SharingMode.FRACTIONAL || m.sharing() == SharingMode.TIME_SLICED)
        && r.milliPerDevice() % m.granularityMilli() == 0;
  }

  private RefNode find(String name) {
    RefNode n = byName.get(name);
    if (n == null || !n.live) {
      throw new IllegalArgumentException(name);
    }
    return n;
  }

  /** One node as plain fields, viewed through the SPI. */
  private final class RefNode implements NodeView {
    final int ordinal;
    final Node spec;
    boolean live = true;
    long cpuFree;
    long memFree;
    final int[] milli;
    final long[] mem;
    final int[] tenants;
    final int[] units;
    final long[] slots;
    final long[] weights;
    final List<Task> tasks = new ArrayList<>();
    final DeviceRules rules;
    final long[] pinned;

    RefNode(int ordinal, Node spec) {
      this.ordinal = ordinal;
      this.spec = spec;
      this.rules = hardware.rulesFor(spec);
      int n = spec.devices().size();
      cpuFree = spec.cpuMilli();
      memFree = spec.memoryMiB();
      milli = new int[n];
      mem = new long[n];
      tenants = new int[n];
      units = new int[n];
      slots = new long[n];
      weights = new long[n];
      pinned = new long[spec.numa().size()];
      for (int d = 0; d < n; d++) {
        DeviceModel m = model(d);
        milli[d] = 1000;
        mem[d] = m.memoryMiB();
        units[d] = m.computeUnits();
        for (int s = 0; s < m.slots(); s++) {
          slots[d] |= 1L << s;
        }
      }
    }

    Slice slice(int d, AcceleratorRequest r, int start) {
      DeviceModel m = model(d);
      if (r.profile() != null) {
        Profile p = m.profile(r.profile()).orElseThrow();
        return new Slice(d, m.profileMilli(p), p.memoryMiB(), p.name(), p.slots() == 0 ? -1 : start);
      }
      if (r.milliPerDevice() == 1000) {
        return Slice.share(d, 1000, m.memoryMiB());
      }
      return Slice.share(d, r.milliPerDevice(), r.memoryMiBPerDevice());
    }

    int numaCount() {
      return pinned.length;
    }

    void apply(Task task, Assignment a, int sign) {
      applyHost(task, a, sign);
      applySlices(task, a, sign);
    }

    void applyHost(Task task, Assignment a, int sign) {
      cpuFree += sign * task.cpuMilli();
      if (a.numaNode() != Assignment.NO_NUMA) {
        pinned[a.numaNode()] -= sign * task.cpuMilli();
      }
      memFree += sign * task.memoryMiB();
      if (sign < 0) {
        tasks.add(task);
      } else {
        tasks.remove(task);
      }
    }

    void applySlices(Task task, Assignment a, int sign) {
      for (Slice s : a.slices()) {
        int d = s.device();
        DeviceModel m = model(d);
        milli[d] += sign * s.milli();
        mem[d] += sign * s.memoryMiB();
        tenants[d] -= sign;
        if (m.sharing() == SharingMode.TIME_SLICED) {
          weights[d] -= sign * Math.max(1, task.accelerators().weight());
        }
        if (s.profile() != null) {
          Profile p = m.profile(s.profile()).orElseThrow();
          units[d] += sign * p.computeUnits();
          if (s.start() >= 0) {
            slots[d] ^= p.slotMask(s.start());
          }
        } else if (m.sharing() == SharingMode.PROFILES) {
          units[d] += sign * m.computeUnits();
          long all = 0;
          for (int k = 0; k < m.slots(); k++) {
            all |= 1L << k;
          }
          slots[d] = sign < 0 ? 0 : all;
        }
      }
    }

    @Override
    public int ordinal() {
      return ordinal;
    }

    @Override
    public Node spec() {
      return spec;
    }

    @Override
    public long stateStamp() {
      return ++stamps;
    }

    @Override
    public long freeCpuMilli() {
      return cpuFree;
    }

    @Override
    public long freeMemoryMiB() {
      return memFree;
    }

    @Override
    public int deviceCount() {
      return spec.devices().size();
    }

    @Override
    public DeviceModel model(int device) {
      return spec.devices().get(device).model();
    }

    @Override
    public int freeMilli(int device) {
      return milli[device];
    }

    @Override
    public long freeDeviceMemoryMiB(int device) {
      return mem[device];
    }

    @Override
    public int freeSharers(int device) {
      return model(device).maxSharers() - tenants[device];
    }

    @Override
    public long timeSliceWeights(int device) {
      return weights[device];
    }

    @Override
    public int freeComputeUnits(int device) {
      return units[device];
    }

    @Override
    public long freeSlots(int device) {
      return slots[device];
    }

    @Override
    public boolean isIdle(int device) {
      return tenants[device] == 0;
    }

    @Override
    public long totalFreeMilli() {
      long sum = 0;
      for (int m : milli) {
        sum += m;
      }
      return sum;
    }

    @Override
    public int idleDevices() {
      int n = 0;
      for (int t : tenants) {
        n += t == 0 ? 1 : 0;
      }
      return n;
    }

    @Override
    public List<Task> tasks() {
      return List.copyOf(tasks);
    }

    @Override
    public DeviceRules deviceRules() {
      return rules;
    }
  }

  /** NUMA node {@code numa} of a node as a task pinned there sees it: other devices taken, CPU what it can pin. */
  private final class NumaRef implements NodeView {
    final RefNode node;
    final int numa;

    NumaRef(RefNode node, int numa) {
      this.node = node;
      this.numa = numa;
    }

    private boolean mine(int device) {
      return node.spec.numa().get(numa).devices().contains(device);
    }

    @Override
    public int ordinal() {
      return node.ordinal;
    }

    @Override
    public Node spec() {
      return node.spec;
    }

    @Override
    public long stateStamp() {
      return ++stamps;
    }

    @Override
    public long freeCpuMilli() {
      return Math.min(node.cpuFree, node.spec.numa().get(numa).cpuMilli() - node.pinned[numa]);
    }

    @Override
    public long freeMemoryMiB() {
      return node.memFree;
    }

    @Override
    public int deviceCount() {
      return node.deviceCount();
    }

    @Override
    public DeviceModel model(int device) {
      return node.model(device);
    }

    @Override
    public int freeMilli(int device) {
      return mine(device) ? node.milli[device] : 0;
    }

    @Override
    public long freeDeviceMemoryMiB(int device) {
      return mine(device) ? node.mem[device] : 0;
    }

    @Override
    public int freeSharers(int device) {
      return mine(device) ? node.freeSharers(device) : 0;
    }

    @Override
    public long timeSliceWeights(int device) {
      return node.weights[device];
    }

    @Override
    public int freeComputeUnits(int device) {
      return mine(device) ? node.units[device] : 0;
    }

    @Override
    public long freeSlots(int device) {
      return mine(device) ? node.slots[device] : 0;
    }

    @Override
    public boolean isIdle(int device) {
      return mine(device) && node.isIdle(device);
    }

    @Override
    public long totalFreeMilli() {
      long sum = 0;
      for (int d = 0; d < deviceCount(); d++) {
        sum += freeMilli(d);
      }
      return sum;
    }

    @Override
    public int idleDevices() {
      int n = 0;
      for (int d = 0; d < deviceCount(); d++) {
        n += isIdle(d) ? 1 : 0;
      }
      return n;
    }

    @Override
    public List<Task> tasks() {
      return node.tasks();
    }

    @Override
    public DeviceRules deviceRules() {
      return node.rules;
    }
  }
}
