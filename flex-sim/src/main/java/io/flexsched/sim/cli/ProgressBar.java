package io.flexsched.sim.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar with an ETA on stderr, drawn only once a job has run for more than a second
 * (short jobs print nothing), redrawn at most five times a second.
 */
final class ProgressBar {
  private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final int total;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  ProgressBar(PrintWriter err, int total, boolean enabled) {
    this.err = err;
    this.total = total;
    this.enabled = enabled;
  }

  /** Reports {@code done} of the total finished; thread-safe. */
  synchronized void update(int done) {
    long now = System.nanoTime();
    if (!enabled || now - start < SHOW_AFTER_NANOS || (now - lastDraw < REDRAW_NANOS && done < total)) {
      return;
    }
    lastDraw = now;
    drawn = true;
    double elapsed = (now - start) / 1e9;
    double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
    int filled = (int) ((long) WIDTH * done / total);
    err.printf(Locale.ROOT, "\r[%s%s] %d/%d runs, %.0f s elapsed, ETA %s ",
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, elapsed,
        Double.isNaN(eta) ? "?" : String.format(Locale.ROOT, "%.0f s", eta));
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
