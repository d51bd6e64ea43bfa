package io.flexsched.property;

import java.util.List;

/**
 * A failing seed, shrunk, told so that a developer can paste it into a regression test: the
 * seed, the invariant, and the shrunk operations as a JUnit test method.
 *
 * @param run the failing seed's run
 * @param shrunk its shrunk operations and their violation
 */
public record Counterexample(SeedRun run, Shrinker.Result shrunk) {
  /** How many candidates a failure's shrinking may replay. */
  public static final int MAX_REPLAYS = 5_000;

  /** Shrinks a failed run. */
  public static Counterexample of(SeedRun failed) {
    if (failed.violation() == null) {
      throw new IllegalArgumentException("seed " + failed.seed() + " did not fail");
    }
    return new Counterexample(failed, Shrinker.shrink(failed.config(), failed.operations(), failed.violation(), MAX_REPLAYS));
  }

  /** The shrunk sequence as a test method that fails until the bug is fixed. */
  public String testMethod() {
    ModelRun.Config c = run.config();
    var b = new StringBuilder();
    b.append("  @Test\n  void seed").append(Long.toString(run.seed()).replace('-', '_')).append("() {\n");
    b.append("    ModelRun.replay(new ModelRun.Config(").append(JavaSource.string(c.policy())).append(", ").append(c.seed())
        .append("L, TieBreak.").append(c.tieBreak().name()).append(", null, EnumSet.allOf(ModelRun.Check.class), ")
        .append(JavaSource.string(c.preemption())).append(", ").append(c.queues()).append(", ").append(c.faults()).append(")");
    List<Operation> ops = shrunk.operations();
    for (Operation op : ops) {
      b.append(",\n        ").append(op.java());
    }
    return b.append(");\n  }\n").toString();
  }

  /** The whole report: what failed, where, and the test to paste. */
  public String report() {
    Violation v = run.violation();
    ModelRun.Config c = run.config();
    var b = new StringBuilder();
    b.append("Invariant violated: ").append(v.message()).append('\n');
    b.append("  seed ").append(run.seed()).append(" (policy ").append(c.policy()).append(", tie-break ").append(c.tieBreak())
        .append(", preemption ").append(c.preemption()).append(c.queues() ? ", queues" : "")
        .append(c.faults() > 0 ? ", faults " + c.faults() : "")
        .append(", engine assert ").append(c.engineAssert() == null ? "from flex.assert" : c.engineAssert())
        .append("), at step ").append(v.step()).append(" of ").append(run.operations().size()).append('\n');
    b.append("  shrunk to ").append(shrunk.operations().size()).append(" operations in ").append(shrunk.replays())
        .append(" replays; they fail with: ").append(shrunk.violation().message()).append('\n');
    b.append("Regression test (imports:");
    for (String i : JavaSource.IMPORTS) {
      b.append(' ').append(i);
    }
    b.append("):\n\n").append(testMethod());
    return b.toString();
  }
}
