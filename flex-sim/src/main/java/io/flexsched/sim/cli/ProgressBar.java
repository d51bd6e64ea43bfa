package io.flexsched.sim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long job on stderr, shown only once the job has run for more than a second (short
 * jobs print nothing). Where a person watches (stderr is a terminal) it is a bar with an ETA,
 * redrawn in place at most five times a second; elsewhere (a log, a pipe) carriage returns would
 * pile up on one line, so it is a plain line at each tenth of the way, at most ten in all.
 */
final class ProgressBar {
  private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final int total;
  private final boolean enabled;
  private final boolean terminal;
  private final LongSupplier clock;
  private final long start;
  private long lastDraw;
  private boolean drawn;
  /** In plain mode, the last tenth a line was written for. */
  private int lastTenth;

  /**
   * @param enabled false to print nothing at all ({@code --quiet})
   * @param terminal whether stderr is a terminal: a redrawn bar there, plain lines elsewhere
   */
  ProgressBar(PrintWriter err, int total, boolean enabled, boolean terminal) {
    this(err, total, enabled, terminal, System::nanoTime);
  }

  /** @param clock nanoseconds, as {@link System#nanoTime} */
  ProgressBar(PrintWriter err, int total, boolean enabled, boolean terminal, LongSupplier clock) {
    this.clock = clock;
    this.start = clock.getAsLong();
    this.err = err;
    this.total = total;
    this.enabled = enabled;
    this.terminal = terminal;
  }

  /** Reports {@code done} of the total finished; thread-safe. */
  synchronized void update(int done) {
    long now = clock.getAsLong();
    if (!enabled || total <= 0 || now - start < SHOW_AFTER_NANOS) {
      return;
    }
    double elapsed = (now - start) / 1e9;
    double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
    String etaText = Double.isNaN(eta) ? "?" : String.format(Locale.ROOT, "%.0f s", eta);
    if (!terminal) {
      int tenth = (int) (10L * done / total);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        err.printf(Locale.ROOT, "%d%% done: %d/%d runs, %.0f s elapsed, ETA %s%n", 100L * done / total, done, total, elapsed, etaText);
        err.flush();
      }
      return;
    }
    if (now - lastDraw < REDRAW_NANOS && done < total) {
      return;
    }
    lastDraw = now;
    drawn = true;
    int filled = (int) ((long) WIDTH * done / total);
    err.printf(Locale.ROOT, "\r[%s%s] %d/%d runs, %.0f s elapsed, ETA %s ",
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, elapsed, etaText);
    err.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  synchronized void finish() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }
}
