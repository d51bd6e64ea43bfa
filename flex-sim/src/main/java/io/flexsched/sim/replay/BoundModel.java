package io.flexsched.sim.replay;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.Device;
import io.flexsched.model.DeviceModel;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An upper bound on the GPU milli any placement of a subset of {@code tasks} on a cluster can
 * allocate: a linear (or integer) program over node types and task classes.
 *
 * <p>Identical nodes form a type {@code t} ({@code N_t} nodes, {@code C_t} CPU, {@code M_t}
 * memory, {@code G_t} devices); identical tasks form a class {@code k} ({@code n_k} tasks, each
 * {@code c_k} CPU, {@code m_k} memory, {@code g_k} devices of {@code s_k} milli). Variable
 * {@code x_kt} counts class-{@code k} tasks on type-{@code t} nodes; the objective is
 * {@code Σ g_k·s_k·x_kt}. CPU-only tasks allocate no GPU, so leaving them out keeps every subset
 * a real placement allocates. Why it is a relaxation: take any real placement of a subset and let
 * {@code x_kt} count its tasks per class and type. Then every constraint below holds, so the
 * program's optimum is at least that placement's GPU milli:
 *
 * <ol>
 *   <li>{@code Σ_t x_kt ≤ n_k}: a task is placed at most once.
 *   <li>{@code x_kt = 0} unless a class-{@code k} task fits an empty type-{@code t} node (node
 *       selectors and taints, CPU, memory, and at least {@code g_k} devices whose model may serve
 *       it): it could not be on one otherwise.
 *   <li>Per type, CPU, memory and GPU milli: the tasks on each node fit it; sum over the type's
 *       nodes.
 *   <li>Per type and device, a dual-feasible function {@code f} (below) of each task's share of a
 *       device: {@code Σ_k g_k·f(s_k/1000)·x_kt ≤ N_t·G_t}. On one device the shares of its tasks
 *       sum to at most 1000, so their {@code f} values sum to at most 1; sum over the type's
 *       devices. With {@code f(x) = 1} above ½ this is "a task of more than 500 milli needs a
 *       device of its own, as does each whole-device task"; with {@code f} of the complement of a
 *       large share, it limits what may pair with that share.
 *   <li>Per type and node, the same with each task's fraction of a node's CPU or memory:
 *       {@code Σ_k f(c_k/C_t)·x_kt ≤ N_t} (e.g. at most one task above half a node's CPU per
 *       node).
 * </ol>
 *
 * <p>A dual-feasible function (Fekete and Schepers, 2001) maps [0,1] to [0,1] so that items
 * summing to at most 1 have values summing to at most 1. Two families are used, with their
 * proofs:
 *
 * <ul>
 *   <li>{@code f_ε} for ε in [0, ½]: 1 above {@code 1−ε}, {@code x} in {@code [ε, 1−ε]}, 0 below
 *       ε. If an item exceeds {@code 1−ε}, the others sum below ε, so each is below ε and counts 0:
 *       the total is 1. Otherwise {@code f(x) ≤ x} for every item.
 *   <li>{@code u_k} for whole {@code k ≥ 1}: {@code x} where {@code (k+1)x} is whole, else
 *       {@code ⌊(k+1)x⌋/k}. With {@code y_i = (k+1)x_i} summing to at most {@code k+1}: if all
 *       are whole, {@code Σ f = Σ x ≤ 1}; else {@code Σ_whole y_i + Σ_other ⌊y_i⌋} is a whole
 *       number below {@code k+1}, so at most {@code k}, and {@code Σ f} is at most it over
 *       {@code k}.
 * </ul>
 *
 * <p>Both are relaxations of the real problem (a node's resources are pooled per type, a task
 * may be split across nodes in the linear program), so the optimum is an upper bound, never a
 * placement. A bound is the program's optimum, or when a MIP stops at its time limit the
 * solver's proven dual bound; a primal value is never reported as a bound.
 */
final class BoundModel {
  /** How the program is solved. */
  enum Method {
    /** Continuous counts, solved by GLOP: fast. */
    LP,
    /** Whole counts, solved by SCIP: tighter; its dual bound when the time limit stops it. */
    MIP
  }

  /** The bound and how it was proven. */
  record Solution(long boundMilli, long arrivedMilli, Status status, long nanos) {}

  /** How a bound was obtained. */
  enum Status {
    /** Everything arrived can be placed, so far as the program knows: the bound is the arrivals. */
    FITS,
    /** The program's optimum. */
    OPTIMAL,
    /** A MIP stopped at its time limit: the solver's proven dual bound. */
    DUAL,
    /** The solver gave no proof: the trivial bound, everything arrived. */
    ARRIVALS
  }

  private static final int MAX_COMPLEMENTS = 24;
  private static final int[] U_FAMILY = {1, 2, 3, 4};
  private static boolean loaded;

  private final List<Node> types = new ArrayList<>();
  private final List<Integer> typeCounts = new ArrayList<>();

  BoundModel(List<Node> nodes) {
    Map<Node, Integer> index = new LinkedHashMap<>();
    for (Node node : nodes) {
      Node key = node.withName("type");
      Integer i = index.get(key);
      if (i == null) {
        index.put(key, types.size());
        types.add(node);
        typeCounts.add(1);
      } else {
        typeCounts.set(i, typeCounts.get(i) + 1);
      }
    }
  }

  /** Node types: identical nodes but for their names. */
  int types() {
    return types.size();
  }

  /** The bound for placing a subset of {@code tasks}, with a time limit per solve. */
  Solution solve(List<Task> tasks, Method method, long limitMillis) {
    long start = System.nanoTime();
    Map<Task, Integer> classIndex = new LinkedHashMap<>();
    List<Task> classes = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    long arrived = 0;
    for (Task task : tasks) {
      AcceleratorRequest r = task.accelerators();
      if (!r.wantsDevices()) {
        continue;
      }
      if (r.profile() != null) {
        throw new InvalidSpecException("profile", r.profile(), "is not modelled by the allocation bound (whole or fractional shares only)");
      }
      arrived += r.totalMilli();
      Task key = task.toBuilder().id("class").build();
      Integer i = classIndex.get(key);
      if (i == null) {
        classIndex.put(key, classes.size());
        classes.add(task);
        counts.add(1);
      } else {
        counts.set(i, counts.get(i) + 1);
      }
    }
    if (classes.isEmpty()) {
      return new Solution(0, 0, Status.FITS, System.nanoTime() - start);
    }
    load();
    MPSolver solver = MPSolver.createSolver(method == Method.LP ? "GLOP" : "SCIP");
    if (solver == null) {
      throw new IllegalStateException("OR-Tools has no " + method + " solver on this platform");
    }
    try {
      solver.setTimeLimit(limitMillis);
      int nk = classes.size();
      int nt = types.size();
      MPVariable[][] x = new MPVariable[nk][nt];
      MPObjective objective = solver.objective();
      for (int k = 0; k < nk; k++) {
        Task task = classes.get(k);
        MPConstraint once = solver.makeConstraint(0, counts.get(k), "once" + k);
        for (int t = 0; t < nt; t++) {
          if (fits(task, types.get(t))) {
            x[k][t] = method == Method.LP
                ? solver.makeNumVar(0, counts.get(k), "x" + k + "_" + t)
                : solver.makeIntVar(0, counts.get(k), "x" + k + "_" + t);
            once.setCoefficient(x[k][t], 1);
            objective.setCoefficient(x[k][t], task.accelerators().totalMilli());
          }
        }
      }
      objective.setMaximization();
      for (int t = 0; t < nt; t++) {
        addTypeConstraints(solver, x, classes, t);
      }
      MPSolver.ResultStatus status = solver.solve();
      double value;
      Status how;
      if (method == Method.MIP && (status == MPSolver.ResultStatus.OPTIMAL || status == MPSolver.ResultStatus.FEASIBLE)) {
        // SCIP stops within its gap, or at the limit: only the dual bound is proven.
        value = objective.bestBound();
        how = status == MPSolver.ResultStatus.OPTIMAL ? Status.OPTIMAL : Status.DUAL;
      } else if (method == Method.LP && status == MPSolver.ResultStatus.OPTIMAL) {
        value = objective.value();
        how = Status.OPTIMAL;
      } else {
        value = arrived;
        how = Status.ARRIVALS;
      }
      // Every placement allocates a whole number of milli: round down what the solver's
      // tolerance may leave above the true optimum, after a margin for the tolerance itself.
      long bound = (long) Math.floor(value + 1e-6 * Math.max(1, Math.abs(value)));
      if (bound >= arrived) {
        // The arrivals are a bound in any case; "fits" only when an optimum says so.
        return new Solution(arrived, arrived, how == Status.OPTIMAL ? Status.FITS : how, System.nanoTime() - start);
      }
      return new Solution(bound, arrived, how, System.nanoTime() - start);
    } finally {
      solver.delete();
    }
  }

  private void addTypeConstraints(MPSolver solver, MPVariable[][] x, List<Task> classes, int t) {
    Node node = types.get(t);
    long n = typeCounts.get(t);
    int devices = node.devices().size();
    double inf = MPSolver.infinity();
    MPConstraint cpu = solver.makeConstraint(-inf, (double) n * node.cpuMilli());
    MPConstraint mem = solver.makeConstraint(-inf, (double) n * node.memoryMiB());
    MPConstraint milli = solver.makeConstraint(-inf, (double) n * devices * DeviceModel.WHOLE_MILLI);
    var cardCuts = new ArrayList<Dff>();
    var cpuCuts = new ArrayList<Dff>();
    var memCuts = new ArrayList<Dff>();
    var bigShares = new TreeSet<Long>();
    var bigCpu = new TreeSet<Long>();
    var bigMem = new TreeSet<Long>();
    for (int k = 0; k < classes.size(); k++) {
      if (x[k][t] == null) {
        continue;
      }
      Task task = classes.get(k);
      long share = task.accelerators().milliPerDevice();
      if (share < DeviceModel.WHOLE_MILLI && 2 * share > DeviceModel.WHOLE_MILLI) {
        bigShares.add(DeviceModel.WHOLE_MILLI - share);
      }
      if (2 * task.cpuMilli() > node.cpuMilli()) {
        bigCpu.add(node.cpuMilli() - task.cpuMilli());
      }
      if (2 * task.memoryMiB() > node.memoryMiB()) {
        bigMem.add(node.memoryMiB() - task.memoryMiB());
      }
    }
    for (int u : U_FAMILY) {
      cardCuts.add(Dff.u(u));
      cpuCuts.add(Dff.u(u));
      memCuts.add(Dff.u(u));
    }
    addComplements(cardCuts, bigShares, DeviceModel.WHOLE_MILLI);
    addComplements(cpuCuts, bigCpu, node.cpuMilli());
    addComplements(memCuts, bigMem, node.memoryMiB());
    var cards = new MPConstraint[cardCuts.size()];
    for (int i = 0; i < cards.length; i++) {
      cards[i] = solver.makeConstraint(-inf, (double) n * devices);
    }
    var cpuNodes = new MPConstraint[node.cpuMilli() > 0 ? cpuCuts.size() : 0];
    for (int i = 0; i < cpuNodes.length; i++) {
      cpuNodes[i] = solver.makeConstraint(-inf, n);
    }
    var memNodes = new MPConstraint[node.memoryMiB() > 0 ? memCuts.size() : 0];
    for (int i = 0; i < memNodes.length; i++) {
      memNodes[i] = solver.makeConstraint(-inf, n);
    }
    for (int k = 0; k < classes.size(); k++) {
      MPVariable v = x[k][t];
      if (v == null) {
        continue;
      }
      Task task = classes.get(k);
      AcceleratorRequest r = task.accelerators();
      cpu.setCoefficient(v, task.cpuMilli());
      mem.setCoefficient(v, task.memoryMiB());
      milli.setCoefficient(v, r.totalMilli());
      for (int i = 0; i < cards.length; i++) {
        cards[i].setCoefficient(v, r.count() * cardCuts.get(i).apply(r.milliPerDevice(), DeviceModel.WHOLE_MILLI));
      }
      for (int i = 0; i < cpuNodes.length; i++) {
        cpuNodes[i].setCoefficient(v, cpuCuts.get(i).apply(task.cpuMilli(), node.cpuMilli()));
      }
      for (int i = 0; i < memNodes.length; i++) {
        memNodes[i].setCoefficient(v, memCuts.get(i).apply(task.memoryMiB(), node.memoryMiB()));
      }
    }
  }

  /**
   * {@code f_ε} just above the complements of the items above half (at most a few dozen, spread
   * evenly): such an item then counts 1 and bars everything larger than its complement.
   */
  private static void addComplements(List<Dff> cuts, TreeSet<Long> complements, long capacity) {
    List<Long> all = new ArrayList<>(complements);
    int step = Math.max(1, (all.size() + MAX_COMPLEMENTS - 1) / MAX_COMPLEMENTS);
    for (int i = 0; i < all.size(); i += step) {
      // One above the complement, so the large item itself counts 1; ε stays at most ½.
      cuts.add(Dff.epsilon(Math.min(capacity / 2, all.get(i) + 1)));
    }
    // f_½: every item above half counts 1, as a device or node of its own.
    cuts.add(Dff.half());
  }

  /** Whether {@code task} fits an empty {@code node}: the engine's filters, without the links. */
  static boolean fits(Task task, Node node) {
    if (!task.mayRunOn(node) || task.cpuMilli() > node.cpuMilli() || task.memoryMiB() > node.memoryMiB()) {
      return false;
    }
    AcceleratorRequest r = task.accelerators();
    int serving = 0;
    for (Device d : node.devices()) {
      if (r.couldBeServedBy(d.model())) {
        serving++;
      }
    }
    return serving >= r.count();
  }

  private static synchronized void load() {
    if (!loaded) {
      try {
        Loader.loadNativeLibraries();
      } catch (RuntimeException | LinkageError e) {
        // flex.jar ships the natives of Linux x86-64 and aarch64 and Apple silicon only.
        throw new IllegalStateException("the allocation bound needs OR-Tools' native solvers for "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch")
            + ": put com.google.ortools:ortools-<platform>:9.12.4544 on the class path", e);
      }
      loaded = true;
    }
  }

  /** A dual-feasible function of an item's size over a capacity (see the class comment). */
  interface Dff {
    double apply(long size, long capacity);

    /** {@code u_k}. */
    static Dff u(int k) {
      return (size, capacity) -> {
        long y = (k + 1) * size;
        return y % capacity == 0 ? (double) size / capacity : (double) (y / capacity) / k;
      };
    }

    /** {@code f_ε} with {@code ε = epsilon / capacity}, for ε at most ½. */
    static Dff epsilon(long epsilon) {
      return (size, capacity) -> {
        if (size > capacity - epsilon) {
          return 1;
        }
        return size < epsilon ? 0 : (double) size / capacity;
      };
    }

    /** {@code f_½} with 1 strictly above half. */
    static Dff half() {
      return (size, capacity) -> 2 * size > capacity ? 1 : 2 * size == capacity ? 0.5 : 0;
    }
  }
}
