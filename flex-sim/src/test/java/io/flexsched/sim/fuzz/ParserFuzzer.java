package io.flexsched.sim.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Feeds one parser mutated inputs, each written to a file and read through the parser's public
 * entry point, and sorts what happens: it parsed (and the result passed the target's own check),
 * or it raised the parser's typed exception naming a line, or anything else, which is a bug. Every
 * so often the clean corpus is parsed again and must give the same results: a failed parse leaves
 * nothing behind.
 *
 * @param <T> what the parser returns
 */
public final class ParserFuzzer<T> {
  /** How many unexpected outcomes are kept for the report. */
  private static final int KEPT = 5;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /**
   * What to fuzz.
   *
   * @param name the parser, for reports
   * @param fileName the name the input files get (parsers name the file in their messages)
   * @param corpus well-formed inputs to mutate
   * @param parser the parser's entry point
   * @param typed the parser's typed exception
   * @param line the line number a typed exception names (must be at least 1)
   * @param valid null when a parsed result is usable, else what is wrong with it
   * @param digest the parts of a result that must be equal when the same input is parsed again
   * @param syntax the format's own characters and tokens, for the mutator
   */
  public record Target<T>(String name, String fileName, List<byte[]> corpus, Function<Path, T> parser,
      Class<? extends RuntimeException> typed, ToIntFunction<RuntimeException> line, Function<T, String> valid, Function<T, Object> digest,
      String[] syntax) {}

  /**
   * What a batch found.
   *
   * @param inputs inputs fed
   * @param parsed inputs that parsed
   * @param rejected inputs rejected with the typed exception and a line
   * @param unexpected reports of the others: seed, mutations, input, what happened
   * @param nanos time taken
   * @param cpuNanos CPU time of the fuzzing thread (less than {@code nanos} on a busy machine)
   * @param slowestNanos the slowest single input
   */
  public record Report(long inputs, long parsed, long rejected, List<String> unexpected, long nanos, long cpuNanos,
      long slowestNanos) {
    /** Two batches run side by side: counts and CPU add up, the wall time is the longer one. */
    public Report plus(Report o) {
      var all = new ArrayList<>(unexpected);
      all.addAll(o.unexpected);
      return new Report(inputs + o.inputs, parsed + o.parsed, rejected + o.rejected, List.copyOf(all),
          Math.max(nanos, o.nanos), cpuNanos + o.cpuNanos, Math.max(slowestNanos, o.slowestNanos));
    }
  }

  private final Target<T> target;
  private final Path file;
  private final List<Object> cleanResults = new ArrayList<>();
  /** The seed being parsed now, for the report of a hang. */
  private volatile long current = -1;

  /** A fuzzer writing its inputs to {@code dir}, which no other fuzzer may share. */
  public ParserFuzzer(Target<T> target, Path dir) {
    this.target = target;
    this.file = dir.resolve(target.fileName());
    for (byte[] clean : target.corpus()) {
      cleanResults.add(outcome(clean));
    }
  }

  /** The input of one seed: a corpus entry, mutated. */
  public byte[] input(long seed) {
    Mutator m = new Mutator(seed, target.syntax());
    return m.mutate(target.corpus().get((int) Math.floorMod(seed, (long) target.corpus().size())), target.corpus());
  }

  /** Runs inputs of seeds {@code firstSeed .. firstSeed + count - 1}. */
  public Report run(long firstSeed, int count) {
    long start = System.nanoTime();
    long cpuStart = CPU.getCurrentThreadCpuTime();
    long parsed = 0;
    long rejected = 0;
    long slowest = 0;
    var unexpected = new ArrayList<String>();
    long failures = 0;
    for (int i = 0; i < count; i++) {
      long seed = firstSeed + i;
      current = seed;
      byte[] input = input(seed);
      long t0 = System.nanoTime();
      Object result = outcome(input);
      slowest = Math.max(slowest, System.nanoTime() - t0);
      String problem = null;
      if (result instanceof Parsed p) {
        parsed++;
        problem = p.problem();
      } else if (result instanceof Rejected r) {
        rejected++;
        problem = r.problem();
      } else {
        problem = "threw " + stackTop((Throwable) result);
      }
      if (problem != null) {
        failures++;
        if (unexpected.size() < KEPT) {
          unexpected.add(describe(seed, input, problem));
        }
      }
      if (i % 5_000 == 4_999) {
        for (int c = 0; c < target.corpus().size(); c++) {
          Object again = outcome(target.corpus().get(c));
          if (!again.equals(cleanResults.get(c))) {
            unexpected.add(target.name() + ": after seed " + seed + ", clean input " + c + " parses to " + again + ", first " + cleanResults.get(c));
          }
        }
      }
    }
    if (failures > unexpected.size()) {
      unexpected.add("... and " + (failures - unexpected.size()) + " more");
    }
    return new Report(count, parsed, rejected, List.copyOf(unexpected), System.nanoTime() - start,
        CPU.getCurrentThreadCpuTime() - cpuStart, slowest);
  }

  /** A parse that succeeded: its result's digest, and what is wrong with it (null when nothing). */
  private record Parsed(Object digest, String problem) {}

  /** A typed rejection: its message, and what is wrong with it (null when nothing). */
  private record Rejected(String message, String problem) {}

  private Object outcome(byte[] input) {
    try {
      Files.write(file, input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    T result;
    try {
      result = target.parser().apply(file);
    } catch (RuntimeException e) {
      if (!target.typed().isInstance(e)) {
        return e;
      }
      int line = target.line().applyAsInt(e);
      String message = String.valueOf(e.getMessage());
      String problem = null;
      if (line < 1) {
        problem = "a " + e.getClass().getSimpleName() + " without a line: " + message;
      } else if (!message.contains(":" + line + ":")) {
        problem = "a " + e.getClass().getSimpleName() + " whose message does not name line " + line + ": " + message;
      } else if (message.contains("\n") || message.contains("\r")) {
        problem = "a message of more than one line: " + message;
      }
      return new Rejected(message, problem);
    } catch (StackOverflowError e) {
      return e;
    }
    String problem;
    try {
      problem = target.valid().apply(result);
    } catch (RuntimeException e) {
      problem = "parsed into something unusable: " + stackTop(e);
    }
    return new Parsed(target.digest().apply(result), problem);
  }

  private static String stackTop(Throwable e) {
    var b = new StringBuilder(e.toString());
    StackTraceElement[] trace = e.getStackTrace();
    for (int i = 0; i < Math.min(6, trace.length); i++) {
      b.append("\n      at ").append(trace[i]);
    }
    return b.toString();
  }

  private String describe(long seed, byte[] input, String problem) {
    Mutator m = new Mutator(seed, target.syntax());
    m.mutate(target.corpus().get((int) Math.floorMod(seed, (long) target.corpus().size())), target.corpus());
    String text = new String(input, StandardCharsets.UTF_8);
    String shown = text.length() > 400 ? text.substring(0, 400) + "... (" + input.length + " bytes)" : text;
    return target.name() + " seed " + seed + " (mutations " + m.applied() + "): " + problem
        + "\n    input (new ParserFuzzer(...).input(" + seed + "L)): " + javaString(shown);
  }

  private static String javaString(String s) {
    var b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** The seed being parsed now (-1 before the first). */
  public long current() {
    return current;
  }

  @Override
  public String toString() {
    return "ParserFuzzer[" + Objects.toString(target.name()) + "]";
  }
}
