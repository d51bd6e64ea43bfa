package io.flexsched.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a what-if holds what its cluster needs, not what its events need: a file several times
 * larger than the reader's heap is validated and streamed to its last event, in both forms (held
 * whole as text and a YAML node tree, it would take many times the file). The whole {@code flex
 * plan} run, whose engine keeps its own bounded caches, gives the same decisions for both forms.
 */
class BoundedMemoryTest {
  private static final int NODES = 1_000;
  private static final int EVENTS = 200_000;
  /** The whole run is compared on fewer events: it measures the engine, not the reader. */
  private static final int RUN_EVENTS = 40_000;

  @TempDir Path dir;
  private Path yaml;
  private Path jsonl;

  private void generate(int events) throws IOException {
    yaml = dir.resolve("what-if.yaml");
    jsonl = dir.resolve("what-if.jsonl");
    try (Writer y = Files.newBufferedWriter(yaml, StandardCharsets.UTF_8);
        Writer j = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
      WhatIfGenerator.write(NODES, events, 42, y, j);
    }
  }

  /** Validates the scenario in {@code args[0]} and reads its events again; prints how many. */
  public static void main(String[] args) {
    ScenarioStream s = ScenarioStream.open(Path.of(args[0]), ScenarioLimits.DEFAULT);
    long[] n = {0};
    s.events(e -> n[0]++);
    System.out.println(n[0]);
  }

  /** Runs {@code mainClass} with {@code args} in a JVM of {@code heap}; its stdout, after checking it ended well. */
  private Path java(String heap, String name, String mainClass, String... args) throws IOException, InterruptedException {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
    assertThat(Files.readString(err)).as("stderr of " + name).isEmpty();
    assertThat(p.exitValue()).as("exit code of " + name).isZero();
    return out;
  }

  @Test
  void aFileMuchLargerThanTheHeapIsReadToItsLastEvent() throws Exception {
    generate(EVENTS);
    // 32 MiB of heap for about 11 MB of YAML: as UTF-16 text and a node tree it would be over 300 MB.
    assertThat(Files.size(yaml)).as("bytes of YAML").isGreaterThan(10L << 20);
    for (Path file : List.of(yaml, jsonl)) {
      Path out = java("-Xmx32m", file.getFileName() + "-read", BoundedMemoryTest.class.getName(), file.toString());
      assertThat(Files.readString(out).strip()).as("events read from " + file.getFileName()).isEqualTo(String.valueOf(EVENTS));
    }
  }

  @Test
  void bothFormsRunToTheSameDecisions() throws Exception {
    generate(RUN_EVENTS);
    Path fromYaml = java("-Xmx256m", "yaml-plan", "io.flexsched.sim.cli.FlexCommand", "plan", yaml.toString());
    Path fromJsonl = java("-Xmx256m", "jsonl-plan", "io.flexsched.sim.cli.FlexCommand", "plan", jsonl.toString());
    long tasks;
    try (var lines = Files.lines(jsonl)) {
      tasks = lines.filter(l -> l.startsWith("{\"task\"")).count();
    }
    long decisions;
    try (var lines = Files.lines(fromYaml)) {
      decisions = lines.count();
    }
    // Every task gets at least one line (placed, pending or waiting); releases add one each.
    assertThat(decisions).isGreaterThanOrEqualTo(tasks);
    assertThat(Files.mismatch(fromYaml, fromJsonl)).as("first difference between the outputs").isEqualTo(-1L);
  }
}
