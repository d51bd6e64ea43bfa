package io.flexsched.sim.plan;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a machine-made what-if of cluster scale, the same scenario as YAML and as JSON Lines:
 * racks of identical nodes (a {@code count} per rack, several device models), then tasks arriving
 * and finishing until about {@code events} events, with the cluster kept under half full so that
 * the run measures reading and deciding, not a growing queue. Self-contained, so it runs from its
 * source without a build:
 *
 * <pre>java flex-sim/src/test/java/io/flexsched/sim/plan/WhatIfGenerator.java /tmp/whatif 100000 1000000</pre>
 *
 * writes {@code /tmp/whatif/what-if.yaml} and {@code /tmp/whatif/what-if.jsonl}; the same
 * arguments (and an optional seed, default 42) give the same files.
 */
public final class WhatIfGenerator {
  private static final int RACK = 100;
  private static final String[][] RACK_KINDS = {
    // model, devices per node, cpuMilli, memoryMiB
    {"T4", "4", "64000", "262144"},
    {"A10", "4", "64000", "262144"},
    {"V100M32", "8", "96000", "786432"},
    {"G2", "8", "96000", "786432"},
    {"A100-40GB", "8", "128000", "1048576"},
  };

  private WhatIfGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: WhatIfGenerator DIR NODES EVENTS [SEED]");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    int nodes = Integer.parseInt(args[1]);
    long events = Long.parseLong(args[2]);
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
    try (Writer yaml = writer(dir.resolve("what-if.yaml")); Writer jsonl = writer(dir.resolve("what-if.jsonl"))) {
      write(nodes, events, seed, yaml, jsonl);
    }
    System.out.println("wrote " + dir.resolve("what-if.yaml") + " and " + dir.resolve("what-if.jsonl"));
  }

  private static Writer writer(Path file) throws IOException {
    return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
  }

  /** The racks as {@code nodes:} items, one JSON object each (JSON is YAML). */
  private static List<String> racks(int nodes) {
    var out = new ArrayList<String>();
    int racks = (nodes + RACK - 1) / RACK;
    for (int r = 0; r < racks; r++) {
      String[] kind = RACK_KINDS[r % RACK_KINDS.length];
      int count = Math.min(RACK, nodes - r * RACK);
      String zone = "z" + (r % 4);
      out.add(String.format(Locale.ROOT, "{\"name\": \"r%d\", \"count\": %d, \"cpuMilli\": %s, \"memoryMiB\": %s, "
              + "\"devices\": {\"model\": \"%s\", \"count\": %s}, \"labels\": {\"zone\": \"%s\", \"rack\": \"r%d\"}, "
              + "\"topology\": [\"%s\", \"r%d\"]}",
          r, count, kind[2], kind[3], kind[0], kind[1], zone, r, zone, r));
    }
    return out;
  }

  static void write(int nodes, long events, long seed, Writer yaml, Writer jsonl) throws IOException {
    List<String> racks = racks(nodes);
    yaml.write("# A generated what-if: " + nodes + " nodes, " + events + " events (WhatIfGenerator, seed " + seed + ")\n");
    yaml.write("policy: fgd\nseed: " + seed + "\nnodes:\n");
    for (String rack : racks) {
      yaml.write("  - " + rack + "\n");
    }
    yaml.write("events:\n");
    jsonl.write("{\"policy\": \"fgd\", \"seed\": " + seed + ", \"nodes\": [" + String.join(", ", racks) + "]}\n");
    var random = new SplittableRandom(seed);
    // About a third of the GPUs busy at steady state, whatever the size.
    int target = Math.max(1, nodes);
    var open = new ArrayList<String>();
    long next = 0;
    int gangs = 0;
    for (long e = 0; e < events; e++) {
      String event;
      if (open.size() < target / 2 || (open.size() < target && random.nextBoolean())) {
        if (random.nextInt(200) == 0 && events - e > 4) {
          // A gang of four, members submitted one after another.
          gangs++;
          for (int m = 0; m < 4; m++) {
            String id = "t" + next++;
            open.add(id);
            emit(yaml, jsonl, "{\"task\": {\"id\": \"" + id + "\", \"cpuMilli\": 8000, \"memoryMiB\": 32768, \"gpus\": 2, "
                + "\"gang\": {\"name\": \"g" + gangs + "\", \"size\": 4}}}");
          }
          e += 3;
          continue;
        }
        String id = "t" + next++;
        open.add(id);
        event = "{\"task\": {" + "\"id\": \"" + id + "\", " + shape(random) + "}}";
      } else {
        // Releases pick any open task: swap it to the end, then drop it.
        int i = random.nextInt(open.size());
        String id = open.get(i);
        open.set(i, open.get(open.size() - 1));
        open.remove(open.size() - 1);
        event = "{\"release\": \"" + id + "\"}";
      }
      emit(yaml, jsonl, event);
    }
  }

  private static void emit(Writer yaml, Writer jsonl, String event) throws IOException {
    yaml.write("  - ");
    yaml.write(event);
    yaml.write('\n');
    jsonl.write(event);
    jsonl.write('\n');
  }

  /**
   * A task shape from a fixed menu of 28, as a real workload has a few dozen typical shapes: the
   * engine keeps per-shape indexes over all nodes, so thousands of one-off shapes would measure
   * those instead of reading and deciding.
   */
  private static String shape(SplittableRandom random) {
    return SHAPES.get(random.nextInt(SHAPES.size()));
  }

  private static final List<String> SHAPES = shapes();

  private static List<String> shapes() {
    String[] devices = {"", ", \"gpus\": 1, \"gpuMilli\": 100", ", \"gpus\": 1, \"gpuMilli\": 250",
        ", \"gpus\": 1, \"gpuMilli\": 500", ", \"gpus\": 1", ", \"gpus\": 2", ", \"gpus\": 4", ", \"gpus\": 8"};
    var out = new ArrayList<String>();
    for (int cpu : new int[] {2000, 4000, 8000}) {
      for (String d : devices) {
        out.add("\"cpuMilli\": " + cpu + ", \"memoryMiB\": " + cpu * 4 + d);
      }
    }
    for (String[] kind : RACK_KINDS) {
      if (!kind[0].equals("A100-40GB")) {
        out.add("\"cpuMilli\": 8000, \"memoryMiB\": 32768, \"gpus\": 1, \"models\": [\"" + kind[0] + "\"]");
      }
    }
    return List.copyOf(out);
  }
}
