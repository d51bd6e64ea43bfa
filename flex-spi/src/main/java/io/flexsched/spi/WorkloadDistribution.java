package io.flexsched.spi;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The target workload a fragmentation measure is taken against: task shapes with weights that
 * sum to 1 (the FGD paper's "typical tasks").
 */
public final class WorkloadDistribution {
  /** No shapes at all. */
  public static final WorkloadDistribution EMPTY = new WorkloadDistribution(List.of());

  private final List<TaskShape> shapes;

  private WorkloadDistribution(List<TaskShape> shapes) {
    this.shapes = List.copyOf(shapes);
  }

  /** A distribution of these shapes, with their weights renormalised to sum to 1. */
  public static WorkloadDistribution of(Collection<TaskShape> shapes) {
    double total = 0;
    for (TaskShape s : shapes) {
      total += s.weight();
    }
    if (shapes.isEmpty()) {
      return EMPTY;
    }
    var normalised = new ArrayList<TaskShape>(shapes.size());
    for (TaskShape s : shapes) {
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
    var counts = new HashMap<TaskShape, Integer>();
    for (Task t : tasks) {
      counts.merge(TaskShape.of(t), 1, Integer::sum);
    }
    var keys = new ArrayList<>(counts.entrySet());
    keys.sort(Comparator.<Map.Entry<TaskShape, Integer>>comparingInt(e -> -e.getValue())
        .thenComparingLong(e -> -e.getKey().cpuMilli())
        .thenComparingInt(e -> -e.getKey().gpuMilli())
        .thenComparingInt(e -> -e.getKey().gpus())
        .thenComparing(e -> String.join("|", new TreeSet<>(e.getKey().models()))));
    var kept = new ArrayList<TaskShape>();
    long covered = 0;
    for (Map.Entry<TaskShape, Integer> e : keys) {
      if (covered >= coverage * tasks.size()) {
        break;
      }
      kept.add(e.getKey().withWeight(e.getValue()));
      covered += e.getValue();
    }
    return of(kept);
  }

  /** The shapes, with weights summing to 1. */
  public List<TaskShape> shapes() {
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
}
