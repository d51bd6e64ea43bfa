package io.flexsched.core.engine;

import org.jspecify.annotations.Nullable;
import io.flexsched.core.AccountingException;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Assignment;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Profile;
import io.flexsched.model.SharingMode;
import io.flexsched.model.Slice;
import io.flexsched.model.Task;
import io.flexsched.spi.DeviceRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's state in primitive columns: free CPU and memory per node, free counters per
 * device, and the placements that explain them. Node ordinals and device slots are never reused,
 * so a node removed and revived by a rollback gets back exactly its old columns.
 */
final class ClusterState {
  // Per node, indexed by ordinal.
  private int nodes;
  Node[] spec = new Node[16];
  boolean[] live = new boolean[16];
  boolean[] fenced = new boolean[16];
  long[] cpuFree = new long[16];
  long[] memFree = new long[16];
  int[] devStart = new int[16];
  int[] devCount = new int[16];
  long[] stamp = new long[16];
  long[] totalFreeMilli = new long[16];
  int[] idleDevices = new int[16];
  @SuppressWarnings({"unchecked", "rawtypes"})
  ArrayList<Task>[] tasksOn = new ArrayList[16];
  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Task>[] tasksView = new List[16];

  // Per device, indexed by global slot = devStart[node] + index.
  private int devices;
  DeviceModel[] model = new DeviceModel[64];
  int[] modelId = new int[64];
  int[] milliFree = new int[64];
  long[] dmemFree = new long[64];
  int[] tenants = new int[64];
  int[] unitsFree = new int[64];
  long[] slotsFree = new long[64];

  private int[] specClass = new int[16];
  private DeviceRules[] rules = new DeviceRules[16];
  private final Map<Node, Integer> specClasses = new HashMap<>();
  final TaskShapes shapes;
  // Package-private for a test that corrupts it on purpose.
  final NodeShapes shapesOn = new NodeShapes();
  final NumaState numa = new NumaState();
  final TimeSlices timeSlices = new TimeSlices();
  private final SharedSlices slices = new SharedSlices();

  // The change log: ordinals of nodes touched, oldest first; positions are absolute.
  private int[] log = new int[64];
  private int logSize;
  private long logBase;

  private final Map<DeviceModel, Integer> modelIds = new IdentityHashMap<>();
  private final List<DeviceModel> models = new ArrayList<>();
  private final Map<String, Integer> ordinalByName = new HashMap<>();
  Map<String, Placement> placements = new LinkedHashMap<>();
  private long stampCounter;
  // Placement order: a rollback that puts back an older placement appends it to the map out of
  // order; the map is re-sorted when next read, and node task lists insert it in its place.
  private long placementCounter;
  private long newestPlaced = -1;
  private boolean outOfOrder;
  private long[] newestOn = new long[16];

  /**
   * Test-only fault injection: when set, a release forgets to give back device memory. It exists
   * so that tests can prove assert mode catches a real accounting bug; nothing else sets it.
   */
  static volatile boolean leakDeviceMemoryOnRelease;
  long liveCapacityMilli;
  long allocatedMilli;
  /** Counts nodes joining and leaving (rollbacks too), so that sets of nodes know when they are stale. */
  private long membership;
  final NodeSets nodeSets = new NodeSets(this);

  ClusterState(TaskShapes shapes) {
    this.shapes = shapes;
  }

  long membership() {
    return membership;
  }

  int nodeSlots() {
    return nodes;
  }

  int liveNodes() {
    int count = 0;
    for (int n = 0; n < nodes; n++) {
      count += live[n] ? 1 : 0;
    }
    return count;
  }

  boolean isLive(int node) {
    return live[node];
  }

  Node spec(int node) {
    return spec[node];
  }

  List<Task> tasksOn(int node) {
    return tasksView[node];
  }

  int modelCount() {
    return models.size();
  }

  DeviceModel modelById(int id) {
    return models.get(id);
  }

  Integer ordinalOf(String name) {
    return ordinalByName.get(name);
  }

  Placement placement(String taskId) {
    return placements.get(taskId);
  }

  /** Every placement, in placement order. */
  Map<String, Placement> placements() {
    if (outOfOrder) {
      var sorted = new ArrayList<>(placements.values());
      sorted.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
      var map = new LinkedHashMap<String, Placement>(Math.max(16, sorted.size() * 2));
      for (Placement p : sorted) {
        map.put(p.task().id(), p);
      }
      placements = map;
      outOfOrder = false;
    }
    return Collections.unmodifiableMap(placements);
  }

  int placementCount() {
    return placements.size();
  }

  /** The sequence number of the next new placement. */
  long nextPlacementSequence() {
    return placementCounter++;
  }

  long capacityMilli() {
    return liveCapacityMilli;
  }

  long allocatedMilli() {
    return allocatedMilli;
  }

  /** The spec class of node {@code n}: equal for nodes whose specifications differ only by name. */
  int specClass(int n) {
    return specClass[n];
  }

  /** The device rules of node {@code n}. */
  DeviceRules rules(int n) {
    return rules[n];
  }

  /** Adds a node with all of its capacity free, following {@code nodeRules}; returns its ordinal. */
  int addNode(Node node, DeviceRules nodeRules) {
    if (ordinalByName.containsKey(node.name())) {
      throw new InvalidSpecException("node.name", "'" + node.name() + "'", "must not repeat a node of the cluster");
    }
    int n = append(node, nodeRules);
    revive(n);
    return n;
  }

  /** Gives a node its columns, all free, under the next ordinal; it is not live yet. */
  int append(Node node, DeviceRules nodeRules) {
    return append(node, nodeRules, -1);
  }

  /**
   * {@link #append(Node, DeviceRules)} with the node's spec class already known ({@code -1}: look
   * it up), so that a recomputation does not rebuild every node's spec to find its class.
   */
  int append(Node node, DeviceRules nodeRules, int knownSpecClass) {
    int n = nodes++;
    growNodes(nodes);
    spec[n] = node;
    rules[n] = nodeRules;
    devStart[n] = devices;
    devCount[n] = node.devices().size();
    devices += devCount[n];
    growDevices(devices);
    for (int i = 0; i < devCount[n]; i++) {
      int g = devStart[n] + i;
      DeviceModel m = node.devices().get(i).model();
      model[g] = m;
      modelId[g] = modelIds.computeIfAbsent(m, k -> {
        models.add(k);
        return models.size() - 1;
      });
    }
    specClass[n] = knownSpecClass >= 0 ? knownSpecClass : specClasses.computeIfAbsent(node.withName("node"), k -> specClasses.size());
    tasksOn[n] = new ArrayList<>();
    tasksView[n] = Collections.unmodifiableList(tasksOn[n]);
    reset(n);
    return n;
  }

  /** Frees everything on node {@code n}'s columns (its placements must be gone). */
  private void reset(int n) {
    Node node = spec[n];
    cpuFree[n] = node.cpuMilli();
    memFree[n] = node.memoryMiB();
    totalFreeMilli[n] = (long) devCount[n] * DeviceModel.WHOLE_MILLI;
    idleDevices[n] = devCount[n];
    numa.reset(n, node);
    for (int i = 0; i < devCount[n]; i++) {
      int g = devStart[n] + i;
      DeviceModel m = model[g];
      milliFree[g] = DeviceModel.WHOLE_MILLI;
      dmemFree[g] = m.memoryMiB();
      tenants[g] = 0;
      unitsFree[g] = m.computeUnits();
      slotsFree[g] = m.slots() == 0 ? 0L : (m.slots() == 64 ? -1L : (1L << m.slots()) - 1);
    }
  }

  /** Makes a dead node live again (rollback of a removal), with its columns as they were. */
  void revive(int n) {
    live[n] = true;
    ordinalByName.put(spec[n].name(), n);
    liveCapacityMilli += (long) devCount[n] * DeviceModel.WHOLE_MILLI;
    membership++;
    touch(n);
  }

  /** True when live node {@code n} takes no new tasks. */
  boolean isFenced(int n) {
    return fenced[n];
  }

  /** Fences or unfences node {@code n}; policies' answers about it change, so it counts as a change. */
  void fence(int n, boolean value) {
    fenced[n] = value;
    touch(n);
  }

  /** Takes a node out of the cluster; it must hold no placements. */
  void kill(int n) {
    if (!tasksOn[n].isEmpty()) {
      throw new IllegalStateException("node " + spec[n].name() + " still holds tasks");
    }
    live[n] = false;
    ordinalByName.remove(spec[n].name());
    liveCapacityMilli -= (long) devCount[n] * DeviceModel.WHOLE_MILLI;
    membership++;
    touch(n);
  }

  void touch(int n) {
    stamp[n] = ++stampCounter;
    if (logSize == log.length) {
      if (logSize >= Math.max(4096, 4 * nodes)) {
        // Drop the older half; readers further behind rebuild from scratch (see logBase()), which
        // costs no more than replaying that many changes.
        int keep = logSize / 2;
        System.arraycopy(log, logSize - keep, log, 0, keep);
        logBase += logSize - keep;
        logSize = keep;
      } else {
        log = Arrays.copyOf(log, log.length * 2);
      }
    }
    log[logSize++] = n;
  }

  /** The absolute position of the oldest change still in the log. */
  long logBase() {
    return logBase;
  }

  /** The absolute position after the newest change. */
  long logEnd() {
    return logBase + logSize;
  }

  /** The node changed at absolute position {@code position} (between logBase and logEnd). */
  int changedAt(long position) {
    return log[(int) (position - logBase)];
  }

  /** Node {@code n}'s state as a new key (its reader keeps the canonical one per stamp). */
  NodeStateKey stateKey(int n) {
    return NodeStateKey.of(this, n);
  }

  /**
   * Whether device slot {@code g}, of a model compatible with {@code r}, can host one device's
   * worth of it now; {@code profile} is the request's profile on that model, or null.
   */
  boolean hostsNow(int g, AcceleratorRequest r, Profile profile) {
    if (profile != null) {
      if (unitsFree[g] < profile.computeUnits() || dmemFree[g] < profile.memoryMiB()
          || tenants[g] >= model[g].maxSharers()) {
        return false;
      }
      return profile.slots() == 0 || firstFreeStart(g, profile) >= 0;
    }
    if (r.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      return tenants[g] == 0;
    }
    return milliFree[g] >= r.milliPerDevice() && dmemFree[g] >= r.memoryMiBPerDevice()
        && tenants[g] < model[g].maxSharers();
  }

  int firstFreeStart(int g, Profile p) {
    long free = slotsFree[g];
    for (int start : p.starts()) {
      long mask = p.slotMask(start);
      if ((free & mask) == mask) {
        return start;
      }
    }
    return -1;
  }

  /** The slice device {@code index} of node {@code n} gives {@code r}, profile started at {@code start}. */
  Slice sliceFor(int n, int index, AcceleratorRequest r, int start) {
    DeviceModel m = model[devStart[n] + index];
    if (r.profile() != null) {
      Profile p = m.profile(r.profile()).orElseThrow();
      return slices.of(new Slice(index, m.profileMilli(p), p.memoryMiB(), p.name(), p.slots() == 0 ? -1 : start));
    }
    if (r.milliPerDevice() == DeviceModel.WHOLE_MILLI) {
      return slices.of(Slice.share(index, DeviceModel.WHOLE_MILLI, m.memoryMiB()));
    }
    return slices.of(Slice.share(index, r.milliPerDevice(), r.memoryMiBPerDevice()));
  }

  /** Records a placement and takes its resources. */
  void place(Placement p) {
    if (placements.putIfAbsent(p.task().id(), p) != null) {
      throw new IllegalStateException("task " + p.task().id() + " is already placed");
    }
    apply(p.node(), p.deviceNode(), p.task(), p.assignment(), -1);
    if (p.sequence() < newestPlaced) {
      outOfOrder = true;
    }
    newestPlaced = Math.max(newestPlaced, p.sequence());
    list(p.node(), p);
    if (p.remote()) {
      list(p.deviceNode(), p);
    }
  }

  /** Lists placement {@code p} on node {@code n}, in placement order: its host, and the node of its remote devices. */
  private void list(int n, Placement p) {
    ArrayList<Task> on = tasksOn[n];
    if (p.sequence() > newestOn[n]) {
      on.add(p.task());
      newestOn[n] = p.sequence();
    } else {
      int at = on.size();
      while (at > 0 && placements.get(on.get(at - 1).id()).sequence() > p.sequence()) {
        at--;
      }
      on.add(at, p.task());
    }
    shapesOn.add(n, shapes.of(p.task()));
    touch(n);
  }

  /** Forgets a placement and gives its resources back. */
  void unplace(Placement p) {
    placements.remove(p.task().id());
    apply(p.node(), p.deviceNode(), p.task(), p.assignment(), +1);
    unlist(p.node(), p);
    if (p.remote()) {
      unlist(p.deviceNode(), p);
    }
  }

  private void unlist(int n, Placement p) {
    // By identity: the placed task itself is in the list, and a record's equals compares every field.
    ArrayList<Task> on = tasksOn[n];
    for (int i = on.size() - 1; i >= 0; i--) {
      if (on.get(i) == p.task()) {
        on.remove(i);
        break;
      }
    }
    shapesOn.remove(n, shapes.of(p.task()));
    touch(n);
  }

  /**
   * Adds ({@code sign} +1) or takes ({@code sign} -1) an assignment's resources: CPU and memory on
   * {@code n}, slices on {@code d} (its caller lists the task on both, and touches them).
   */
  private void apply(int n, int d, Task task, Assignment a, int sign) {
    cpuFree[n] += sign * task.cpuMilli();
    memFree[n] += sign * task.memoryMiB();
    numa.pin(n, a.numaNode(), -sign * task.cpuMilli());
    for (Slice s : a.slices()) {
      int g = devStart[d] + s.device();
      DeviceModel m = model[g];
      boolean wasIdle = tenants[g] == 0;
      milliFree[g] += sign * s.milli();
      if (!(sign > 0 && leakDeviceMemoryOnRelease)) {
        dmemFree[g] += sign * s.memoryMiB();
      }
      tenants[g] -= sign;
      timeSlices.apply(g, m, task.accelerators(), sign);
      if (s.profile() != null) {
        Profile p = m.profile(s.profile()).orElseThrow();
        unitsFree[g] += sign * p.computeUnits();
        long mask = s.start() < 0 ? 0L : p.slotMask(s.start());
        slotsFree[g] = sign < 0 ? slotsFree[g] & ~mask : slotsFree[g] | mask;
      } else if (m.sharing() == SharingMode.PROFILES) {
        // A whole device of a profile-partitioned model takes every unit and slot.
        unitsFree[g] += sign * m.computeUnits();
        long all = m.slots() == 0 ? 0L : (m.slots() == 64 ? -1L : (1L << m.slots()) - 1);
        slotsFree[g] = sign < 0 ? 0L : all;
      }
      totalFreeMilli[d] += sign * s.milli();
      allocatedMilli -= sign * s.milli();
      boolean isIdle = tenants[g] == 0;
      if (wasIdle != isIdle) {
        idleDevices[d] += isIdle ? 1 : -1;
      }
    }
  }

  private void growNodes(int need) {
    if (need <= spec.length) {
      return;
    }
    int cap = Math.max(need, spec.length * 2);
    spec = Arrays.copyOf(spec, cap);
    live = Arrays.copyOf(live, cap);
    fenced = Arrays.copyOf(fenced, cap);
    cpuFree = Arrays.copyOf(cpuFree, cap);
    memFree = Arrays.copyOf(memFree, cap);
    devStart = Arrays.copyOf(devStart, cap);
    devCount = Arrays.copyOf(devCount, cap);
    stamp = Arrays.copyOf(stamp, cap);
    totalFreeMilli = Arrays.copyOf(totalFreeMilli, cap);
    newestOn = Arrays.copyOf(newestOn, cap);
    idleDevices = Arrays.copyOf(idleDevices, cap);
    tasksOn = Arrays.copyOf(tasksOn, cap);
    tasksView = Arrays.copyOf(tasksView, cap);
    specClass = Arrays.copyOf(specClass, cap);
    rules = Arrays.copyOf(rules, cap);
    shapesOn.grow(cap);
    numa.grow(cap);
  }

  private void growDevices(int need) {
    if (need <= model.length) {
      return;
    }
    int cap = Math.max(need, model.length * 2);
    model = Arrays.copyOf(model, cap);
    modelId = Arrays.copyOf(modelId, cap);
    milliFree = Arrays.copyOf(milliFree, cap);
    dmemFree = Arrays.copyOf(dmemFree, cap);
    tenants = Arrays.copyOf(tenants, cap);
    unitsFree = Arrays.copyOf(unitsFree, cap);
    slotsFree = Arrays.copyOf(slotsFree, cap);
  }
}
