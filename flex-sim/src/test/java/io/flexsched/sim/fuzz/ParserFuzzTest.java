package io.flexsched.sim.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Node;
import io.flexsched.sim.plan.JsonLinesOf;
import io.flexsched.sim.plan.Scenario;
import io.flexsched.sim.plan.ScenarioException;
import io.flexsched.sim.plan.ScenarioReader;
import io.flexsched.sim.trace.TraceFormatException;
import io.flexsched.sim.trace.TraceNodes;
import io.flexsched.sim.trace.TracePod;
import io.flexsched.sim.trace.TracePods;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input for every parser: {@code flex.fuzz.inputs} (100,000) mutated inputs each for the
 * trace pod list, the trace node list and scenario files. Each must parse into a usable result or
 * raise the parser's typed exception naming a line; never another exception, never a hang (the
 * batch runs under a preemptive timeout that names the seeds in progress, and no single input may
 * take 20 s), never a changed answer for the clean inputs afterwards.
 * A failure prints the input's seed, its mutations and the input as a Java string.
 */
class ParserFuzzTest {
  private static final int INPUTS = Integer.getInteger("flex.fuzz.inputs", 100_000);
  private static final long FIRST_SEED = Long.getLong("flex.fuzz.seed", 1);
  private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("flex.fuzz.budget.seconds", 360));
  private static final int THREADS = Integer.getInteger("flex.fuzz.threads", Runtime.getRuntime().availableProcessors());

  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final List<byte[]> PODS = List.of(
      utf8("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
          + "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0\n"
          + "openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12537496,427061\n"
          + "openb-pod-0002,4000,8192,2,1000,V100M16|V100M32,BE,Succeeded,1,2,3\n"
          + "openb-pod-0003,88000,327680,8,1000,G2,Burstable,Failed,9,,\n"
          + "openb-pod-0004,1000,0,0,0,,Guaranteed,Pending,,,\n"),
      utf8("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1000,2048,8,1000\np1,1000,2048,0,0\np2,500,1024,1,250\n"),
      utf8("\uFEFFname,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\r\nq-1,8000,30000,4,1000,A10|T4\r\n\r\nq-2,0,0,1,5,\r\n"));

  static final List<byte[]> NODES = List.of(
      utf8("sn,cpu_milli,memory_mib,gpu,model\n"
          + "openb-node-0227,64000,262144,2,P100\n"
          + "openb-node-0228,96000,786432,8,G2\n"
          + "openb-node-0229,32000,131072,1,T4\n"
          + "openb-node-0230,96000,393216,0,\n"),
      utf8("sn,cpu_milli,memory_mib,gpu,model\r\nn1,128000,1048576,8,V100M32\r\nn2,8000,8192,4,A10\r\n"),
      utf8("\uFEFFsn,cpu_milli,memory_mib,gpu,model\nc1,1000,1024,0,\n\nc2,2000,2048,1,G3\n"));

  private static List<byte[]> scenarios() throws IOException {
    var out = new ArrayList<byte[]>();
    for (String name : List.of("mixed.yaml", "count.yaml", "fractional.yaml", "pending.yaml", "release-retry.yaml",
        "remove-add.yaml", "sharers.yaml", "workload.yaml", "scenario.json")) {
      try (InputStream in = ParserFuzzTest.class.getResourceAsStream("/scenarios/" + name)) {
        out.add(in.readAllBytes());
      }
    }
    return out;
  }

  /** The same scenarios as JSON Lines. */
  private static List<byte[]> jsonLinesScenarios() throws IOException {
    var out = new ArrayList<byte[]>();
    for (byte[] yaml : scenarios()) {
      JsonLinesOf.convert(new String(yaml, StandardCharsets.UTF_8)).ifPresent(lines -> out.add(utf8(lines)));
    }
    assertThat(out).as("corpus scenarios JSON can write").hasSizeGreaterThan(5);
    return out;
  }

  private static final String[] JSON_SYNTAX = {
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00", "\\ud800", "\n", "\r\n", " ", "\t", "null", "true", "false", "-",
    "0", "-0", "1e", "1.", ".5", "01", "{}", "[]", "\"\"", "\"task\": ", "\"release\": ", "{\"flush\": true}\n",
    "{\"task\": {\"id\": \"x\"}}\n", "{\"release\": \"t1\"}\n", "[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":", "\"nodes\": []"};

  private static final String[] CSV_SYNTAX = {",", ",,", "\n", "\r\n", "|", "||", " ", "\"", "-", "#", ",-1", "\n,,,,\n"};
  private static final String[] YAML_SYNTAX = {
    ":", ": ", "- ", "-", "{", "}", "[", "]", ",", "\n", "  ", "\t", "#", "&a ", "*a", "<<: *a", "!!binary ", "!!str ",
    "!!python/object:x ", "? ", "|", ">", "'", "\"", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "true", "@", "`",
    "{a: [b, {c: d}]}", "[[[[[[[[[[", "count: ", "gpus: ", "task: ", "release: ", "events:\n", "nodes:\n", "name: "};

  private static <T> void fuzz(ParserFuzzer.Target<T> target, Path dir) throws IOException {
    // Disjoint seed ranges on every core, each fuzzer with a file of its own.
    var fuzzers = new ArrayList<ParserFuzzer<T>>();
    for (int i = 0; i < THREADS; i++) {
      fuzzers.add(new ParserFuzzer<>(target, Files.createDirectory(dir.resolve("fuzzer-" + i))));
    }
    ParserFuzzer.Report r = assertTimeoutPreemptively(BUDGET, () -> {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        var parts = new ArrayList<Future<ParserFuzzer.Report>>();
        int share = (INPUTS + THREADS - 1) / THREADS;
        for (int i = 0; i < THREADS; i++) {
          long first = FIRST_SEED + (long) i * share;
          int count = Math.min(share, INPUTS - i * share);
          ParserFuzzer<T> f = fuzzers.get(i);
          parts.add(pool.submit(() -> f.run(first, count)));
        }
        ParserFuzzer.Report total = parts.get(0).get();
        for (int i = 1; i < parts.size(); i++) {
          total = total.plus(parts.get(i).get());
        }
        return total;
      } finally {
        pool.shutdownNow();
      }
    }, () -> {
      var at = new ArrayList<Long>();
      fuzzers.forEach(f -> at.add(f.current()));
      return target.name() + ": " + INPUTS + " inputs did not finish in " + BUDGET + "; a hang? The fuzzers were at seeds " + at;
    });
    System.out.printf(Locale.ROOT, "fuzz %s: %,d inputs (seeds %d..%d, %d threads) in %.1f s (%.1f s of CPU): %,d parsed, "
            + "%,d rejected with a line, %d unexpected; slowest input %.1f ms%n",
        target.name(), r.inputs(), FIRST_SEED, FIRST_SEED + INPUTS - 1, THREADS, r.nanos() / 1e9, r.cpuNanos() / 1e9, r.parsed(), r.rejected(),
        r.inputs() - r.parsed() - r.rejected(), r.slowestNanos() / 1e6);
    r.unexpected().forEach(System.out::println);
    assertThat(r.unexpected()).as("unexpected outcomes (seed and input printed above)").isEmpty();
    // Not a speed claim: a generous bound that a quadratic blow-up (as seed 15,912 was) breaks.
    assertThat(r.slowestNanos()).as("the slowest single input, in ns").isLessThan(Duration.ofSeconds(20).toNanos());
    // Fuzzing that never gets past the header, or never breaks anything, proves nothing.
    assertThat(r.parsed()).as("inputs that parsed").isGreaterThan(r.inputs() / 100);
    assertThat(r.rejected()).as("inputs rejected").isGreaterThan(r.inputs() / 10);
  }

  private static int traceLine(RuntimeException e) {
    return ((TraceFormatException) e).line();
  }

  @Test
  void tracePodLists() throws IOException {
    fuzz(new ParserFuzzer.Target<>("TracePods", "pods.csv", PODS, TracePods::load, TraceFormatException.class,
        ParserFuzzTest::traceLine, ParserFuzzTest::usablePods, pods -> pods, CSV_SYNTAX), dir);
  }

  @Test
  void traceNodeLists() throws IOException {
    fuzz(new ParserFuzzer.Target<>("TraceNodes", "nodes.csv", NODES, TraceNodes::load, TraceFormatException.class,
        ParserFuzzTest::traceLine, nodes -> null, nodes -> nodes, CSV_SYNTAX), dir);
  }

  @Test
  void scenarioFiles() throws IOException {
    fuzz(new ParserFuzzer.Target<>("ScenarioReader", "scenario.yaml", scenarios(), ScenarioReader::read, ScenarioException.class,
        e -> ((ScenarioException) e).line(), ParserFuzzTest::usableScenario,
        s -> List.of(s.policy(), s.seed(), s.nodes(), s.events()), YAML_SYNTAX), dir);
  }

  @Test
  void scenarioJsonLines() throws IOException {
    fuzz(new ParserFuzzer.Target<>("ScenarioReader (JSON Lines)", "scenario.jsonl", jsonLinesScenarios(), ScenarioReader::read,
        ScenarioException.class, e -> ((ScenarioException) e).line(), ParserFuzzTest::usableScenario,
        s -> List.of(s.policy(), s.seed(), s.nodes(), s.events()), JSON_SYNTAX), dir);
  }

  /** Every pod must become a task: a row the loader accepts must not fail later, without a line. */
  private static String usablePods(List<TracePod> pods) {
    for (TracePod p : pods) {
      try {
        p.toTask();
      } catch (InvalidSpecException e) {
        return "pod " + p.name() + " parsed but is no valid task: " + e.getMessage();
      }
    }
    return null;
  }

  /** Every node of a scenario must be in its catalogue; names must be unique. */
  private static String usableScenario(Scenario s) {
    var names = new java.util.HashSet<String>();
    for (Node n : s.nodes()) {
      if (!names.add(n.name())) {
        return "node " + n.name() + " twice";
      }
    }
    return null;
  }
}
