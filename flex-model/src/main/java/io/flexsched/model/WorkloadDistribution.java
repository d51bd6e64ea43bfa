package io.flexsched.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a cluster usually runs: task shapes with weights that sum to 1 (the FGD paper's "typical
 * tasks"). Fragmentation-aware policies and the fragmentation metrics measure a node's free
 * capacity against it.
 */
public final class WorkloadDistribution {
  /** No shapes at all. */
  public static final WorkloadDistribution EMPTY = new WorkloadDistribution(List.of());

  private final List<Shape> shapes;

  private WorkloadDistribution(List<Shape> shapes) {
    this.shapes = List.copyOf(shapes);
  }

  /** A distribution of these shapes, with their weights renormalised to sum to 1. */
  public static WorkloadDistribution of(Collection<Shape> shapes) {
    double total = 0;
    for (Shape s : shapes) {
      total += s.weight();
    }
    if (shapes.isEmpty()) {
      return EMPTY;
    }
    var normalised = new ArrayList<Shape>(shapes.size());
    for (Shape s : shapes) {
      normalised.add(s.withWeight(s.weight() / total));
    }
    return new WorkloadDistribution(normalised);
  }

  /**
   * The typical tasks of a workload, as the FGD paper defines them: key each task by (CPU,
   * per-device share, device count, allowed models); sort keys by frequency, descending (ties:
   * more CPU, then more share, then more devices, then models by name); keep keys until they
   * cover at least {@code coverage} of the tasks; renormalise.
   *
   * @param coverage the fraction of tasks the kept shapes must cover, in (0, 1]
   */
  public static WorkloadDistribution typical(Collection<Task> tasks, double coverage) {
    if (!(coverage > 0 && coverage <= 1)) {
      throw new InvalidSpecException("coverage", coverage, "must be in (0, 1]");
    }
    var counts = new HashMap<Shape, Integer>();
    for (Task t : tasks) {
      counts.merge(Shape.of(t), 1, Integer::sum);
    }
    return typical(counts, coverage);
  }

  /**
   * {@link #typical(Collection, double)} from the tasks' counts per {@link Shape#of shape}, for
   * tasks read as a stream rather than held in a list.
   *
   * @param coverage the fraction of tasks the kept shapes must cover, in (0, 1]
   */
  public static WorkloadDistribution typical(Map<Shape, Integer> counts, double coverage) {
    if (!(coverage > 0 && coverage <= 1)) {
      throw new InvalidSpecException("coverage", coverage, "must be in (0, 1]");
    }
    long tasks = 0;
    for (int c : counts.values()) {
      tasks += c;
    }
    var keys = new ArrayList<>(counts.entrySet());
    keys.sort(Comparator.<Map.Entry<Shape, Integer>>comparingInt(e -> -e.getValue())
        .thenComparingLong(e -> -e.getKey().cpuMilli())
        .thenComparingInt(e -> -e.getKey().gpuMilli())
        .thenComparingInt(e -> -e.getKey().gpus())
        .thenComparing(e -> String.join("|", new TreeSet<>(e.getKey().models()))));
    var kept = new ArrayList<Shape>();
    long covered = 0;
    for (Map.Entry<Shape, Integer> e : keys) {
      if (covered >= coverage * tasks) {
        break;
      }
      kept.add(e.getKey().withWeight(e.getValue()));
      covered += e.getValue();
    }
    return of(kept);
  }

  /** The shapes, with weights summing to 1. */
  public List<Shape> shapes() {
    return shapes;
  }

  /** Number of shapes. */
  public int size() {
    return shapes.size();
  }

  @Override
  public String toString() {
    return "WorkloadDistribution" + shapes;
  }

  /**
   * One kind of task in a workload, with its share of the workload.
   *
   * @param cpuMilli CPU it asks for
   * @param gpus devices it asks for (0 = CPU-only)
   * @param gpuMilli compute share per device (0 for CPU-only)
   * @param models allowed models; empty = any
   * @param weight its share of the workload (relative; a distribution renormalises weights to sum to 1)
   */
  public record Shape(long cpuMilli, int gpus, int gpuMilli, Set<String> models, double weight) {
    public Shape {
      if (cpuMilli < 0) {
        throw new InvalidSpecException("workload cpuMilli", cpuMilli, "must be at least 0");
      }
      if (gpus < 0 || gpus > 64) {
        throw new InvalidSpecException("workload gpus", gpus, "must be in 0..64");
      }
      if (gpus == 0 ? gpuMilli != 0 : gpuMilli < 1 || gpuMilli > DeviceModel.WHOLE_MILLI) {
        throw new InvalidSpecException("workload gpuMilli", gpuMilli, gpus == 0 ? "must be 0 when gpus is 0" : "must be in 1..1000");
      }
      models = Set.copyOf(models);
      if (!(weight > 0 && Double.isFinite(weight))) {
        throw new InvalidSpecException("workload weight", weight, "must be a positive number");
      }
    }

    /** The shape of {@code task} (CPU, device count, share and models), with weight 1. */
    public static Shape of(Task task) {
      AcceleratorRequest a = task.accelerators();
      return new Shape(task.cpuMilli(), a.count(), a.count() == 0 ? 0 : a.milliPerDevice(), a.models(), 1.0);
    }

    /** True when a device of {@code model} may serve this shape. */
    public boolean allows(DeviceModel model) {
      return models.isEmpty() || models.contains(model.name());
    }

    /** Total compute asked, in milli. */
    public long totalMilli() {
      return (long) gpus * gpuMilli;
    }

    /** This shape with another weight. */
    public Shape withWeight(double w) {
      return new Shape(cpuMilli, gpus, gpuMilli, models, w);
    }
  }
}
