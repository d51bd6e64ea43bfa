package io.flexsched.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress where a person watches, and in logs and pipes. */
class ProgressBarTest {
  private static final long SECOND = 1_000_000_000L;

  /** Runs {@code total} steps, one every {@code step} ns, and returns what the bar wrote. */
  private static String run(int total, long step, boolean terminal) {
    var err = new StringWriter();
    long[] now = {0};
    var bar = new ProgressBar(new PrintWriter(err), total, true, terminal, () -> now[0]);
    for (int done = 1; done <= total; done++) {
      now[0] += step;
      bar.update(done);
    }
    bar.finish();
    return err.toString();
  }

  @Test
  void inALogItIsAPlainLineAtEachTenthAtMost() {
    String log = run(1000, SECOND / 100, false);
    assertThat(log).doesNotContain("\r");
    // The first second shows nothing; after it, one line per tenth reached.
    assertThat(log.lines()).hasSize(10).allMatch(l -> l.matches("\\d+% done: \\d+/1000 runs, \\d+ s elapsed, ETA .*"));
    assertThat(log.lines().toList().get(9)).startsWith("100% done: 1000/1000 runs");
    assertThat(log.lines().map(l -> l.substring(0, l.indexOf('%'))).distinct().count()).isEqualTo(10);
  }

  @Test
  void aFewStepsInALogGiveAtMostOneLineEach() {
    String log = run(3, 2 * SECOND, false);
    assertThat(log.lines()).containsExactly(
        "33% done: 1/3 runs, 2 s elapsed, ETA 4 s", "66% done: 2/3 runs, 4 s elapsed, ETA 2 s", "100% done: 3/3 runs, 6 s elapsed, ETA 0 s");
  }

  @Test
  void atATerminalItIsOneBarRedrawnInPlace() {
    String bar = run(1000, SECOND / 100, true);
    assertThat(bar.chars().filter(c -> c == '\n').count()).as("line ends").isEqualTo(1);
    assertThat(bar).startsWith("\r[").contains("\r[##############################] 1000/1000 runs").endsWith("\n");
    // Redrawn at most five times a second over ten seconds, and for the last step.
    assertThat(bar.chars().filter(c -> c == '\r').count()).isBetween(2L, 47L);
  }

  @Test
  void aShortJobPrintsNothingEitherWay() {
    assertThat(run(100, SECOND / 1000, false)).isEmpty();
    assertThat(run(100, SECOND / 1000, true)).isEmpty();
  }

  @Test
  void threadsAreAtLeastOneOrAuto() {
    assertThat(OptionChecks.threads("--threads", "auto")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(OptionChecks.threads("--threads", "3")).isEqualTo(3);
    for (String bad : new String[] {"0", "-1", "1.5", "x", "", "99999999999"}) {
      var e = org.assertj.core.api.Assertions.catchThrowable(() -> OptionChecks.threads("--threads", bad));
      assertThat(e).as(bad).hasMessage("--threads must be a whole number of at least 1, or auto, was '" + bad + "'");
    }
  }
}
