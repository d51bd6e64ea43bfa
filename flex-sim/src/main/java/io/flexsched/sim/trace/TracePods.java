package io.flexsched.sim.trace;

import io.flexsched.model.InvalidSpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a trace pod list: {@code name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,
 * pod_phase,creation_time,deletion_time,scheduled_time}, or only its first five columns (the
 * {@code multigpu} files).
 */
public final class TracePods {
  private static final List<String> COLUMNS = List.of(
      "name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec",
      "qos", "pod_phase", "creation_time", "deletion_time", "scheduled_time");
  private static final int REQUIRED = 5;
  private static final Set<Long> GPU_COUNTS = Set.of(0L, 1L, 2L, 4L, 8L);

  private TracePods() {}

  /**
   * The pods of {@code path}, in file order.
   *
   * @throws TraceFormatException naming the file, line and column of the first bad cell
   */
  public static List<TracePod> load(Path path) {
    CsvTable t = CsvTable.read(path, COLUMNS, REQUIRED);
    var pods = new ArrayList<TracePod>(t.size());
    var names = new HashSet<String>();
    for (int row = 0; row < t.size(); row++) {
      String name = t.text(row, "name");
      if (name.isEmpty()) {
        throw t.error(row, "name", "''", "must name the pod");
      }
      if (!names.add(name)) {
        throw t.error(row, "name", "'" + name + "'", "must not repeat a pod");
      }
      long cpu = t.number(row, "cpu_milli", 0, Long.MAX_VALUE);
      long memory = t.number(row, "memory_mib", 0, Long.MAX_VALUE);
      long gpus = t.number(row, "num_gpu", 0, Long.MAX_VALUE);
      if (!GPU_COUNTS.contains(gpus)) {
        throw t.error(row, "num_gpu", gpus, "must be one of 0, 1, 2, 4, 8");
      }
      int milli = (int) t.number(row, "gpu_milli", 0, 1000);
      if (gpus == 0 && milli != 0) {
        throw t.error(row, "gpu_milli", milli, "must be 0 when num_gpu is 0");
      }
      if (gpus > 0 && milli == 0) {
        throw t.error(row, "gpu_milli", milli, "must be in 1..1000 when num_gpu is " + gpus);
      }
      if (gpus > 1 && milli < 1000) {
        throw t.error(row, "gpu_milli", milli, "must be 1000 when num_gpu is " + gpus + " (shares need one GPU)");
      }
      Set<String> models = new LinkedHashSet<>();
      if (t.has("gpu_spec")) {
        String spec = t.text(row, "gpu_spec");
        if (!spec.isEmpty()) {
          for (String m : spec.split("\\|")) {
            if (m.isBlank()) {
              throw t.error(row, "gpu_spec", "'" + spec + "'", "must be model names separated by |");
            }
            models.add(m.trim());
          }
        }
        if (gpus == 0 && !models.isEmpty()) {
          throw t.error(row, "gpu_spec", "'" + spec + "'", "must be empty when num_gpu is 0");
        }
      }
      TracePod pod = new TracePod(name, cpu, memory, (int) gpus, milli, Set.copyOf(models),
          t.has("qos") ? t.text(row, "qos") : "",
          t.has("pod_phase") ? t.text(row, "pod_phase") : "",
          optionalTime(t, row, "creation_time"),
          optionalTime(t, row, "deletion_time"),
          optionalTime(t, row, "scheduled_time"));
      try {
        pod.toTask(); // a row accepted here must not fail later, where no line is known
      } catch (InvalidSpecException e) {
        boolean model = e.field().equals("models");
        throw t.error(row, model ? "gpu_spec" : "name", model ? e.value() : "'" + name + "'",
            model ? "must name models with letters, digits and ._:/+-" : "must be a name of letters, digits and ._:/+-");
      }
      pods.add(pod);
    }
    return pods;
  }

  private static long optionalTime(CsvTable t, int row, String column) {
    if (!t.has(column) || t.text(row, column).isEmpty()) {
      return -1;
    }
    return t.number(row, column, 0, Long.MAX_VALUE);
  }
}
