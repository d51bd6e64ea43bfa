package io.flexsched.sim.replay;

import io.flexsched.model.AcceleratorRequest;
import io.flexsched.model.DeviceCatalogue;
import io.flexsched.model.Node;
import io.flexsched.model.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The workload {@code flex replay} runs when given no trace: a synthetic cluster with the trace's
 * node counts per model, CPU and memory, and tasks drawn with a fixed seed from the trace's
 * frequency table of task shapes (both shipped as small aggregate tables, not trace rows).
 */
public final class BuiltInWorkload {
  /** The seed the built-in tasks are drawn with. */
  public static final long WORKLOAD_SEED = 2023;
  /** How many tasks are drawn (as many as the trace's default pod list has). */
  public static final int TASKS = 8152;
  /** The workload's name in reports. */
  public static final String NAME = "built-in";

  private BuiltInWorkload() {}

  /** The built-in cluster and workload. */
  public static Workload load() {
    return new Workload(NAME, nodes(), tasks(TASKS, WORKLOAD_SEED));
  }

  /** The synthetic cluster: 1,213 nodes and 6,212 GPUs in the trace's node groups. */
  public static List<Node> nodes() {
    var nodes = new ArrayList<Node>();
    DeviceCatalogue catalogue = DeviceCatalogue.builtIn();
    for (String[] row : table("default-cluster.csv")) {
      int count = Integer.parseInt(row[0]);
      for (int i = 0; i < count; i++) {
        nodes.add(Node.of(String.format("node-%04d", nodes.size()), Long.parseLong(row[3]), Long.parseLong(row[4]),
            catalogue.require(row[1]), Integer.parseInt(row[2])));
      }
    }
    return nodes;
  }

  /** {@code count} tasks drawn independently from the trace's shape frequencies with {@code seed}. */
  public static List<Task> tasks(int count, long seed) {
    List<String[]> shapes = table("default-shapes.csv");
    long[] cumulative = new long[shapes.size()];
    long total = 0;
    for (int i = 0; i < shapes.size(); i++) {
      total += Long.parseLong(shapes.get(i)[0]);
      cumulative[i] = total;
    }
    var random = new SplittableRandom(seed);
    var tasks = new ArrayList<Task>(count);
    for (int k = 0; k < count; k++) {
      long draw = random.nextLong(total);
      int i = Arrays.binarySearch(cumulative, draw + 1);
      String[] s = shapes.get(i < 0 ? -i - 1 : i);
      int gpus = Integer.parseInt(s[3]);
      var models = new LinkedHashSet<String>();
      if (s.length > 5 && !s[5].isEmpty()) {
        models.addAll(List.of(s[5].split("\\|")));
      }
      AcceleratorRequest request = gpus == 0
          ? AcceleratorRequest.NONE
          : new AcceleratorRequest(gpus, Integer.parseInt(s[4]), 0, models, null, 0);
      tasks.add(Task.builder(String.format("task-%05d", k))
          .cpuMilli(Long.parseLong(s[1])).memoryMiB(Long.parseLong(s[2])).accelerators(request).build());
    }
    return tasks;
  }

  private static List<String[]> table(String resource) {
    try (InputStream in = BuiltInWorkload.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      var rows = new ArrayList<String[]>();
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      boolean header = true;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        rows.add(line.split(",", -1));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
