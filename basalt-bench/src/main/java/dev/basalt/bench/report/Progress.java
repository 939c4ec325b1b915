package dev.basalt.bench.report;

import java.io.PrintStream;

/**
 * Progress lines on stderr for long steps (generation, loading): a line when a step starts, at most
 * one update every two seconds, and a line when it ends. Thread safe.
 */
public final class Progress {
  private static final long UPDATE_INTERVAL_NANOS = 2_000_000_000L;

  private final PrintStream out;
  private long lastUpdateNanos;

  /**
   * @param out where the lines go, normally {@link System#err}
   */
  public Progress(PrintStream out) {
    this.out = out;
  }

  /** Prints one line now. */
  public synchronized void line(String message) {
    out.println("basalt bench: " + message);
    out.flush();
    lastUpdateNanos = System.nanoTime();
  }

  /** Prints {@code message} if the last line is more than two seconds old. */
  public synchronized void update(String message) {
    long now = System.nanoTime();
    if (now - lastUpdateNanos >= UPDATE_INTERVAL_NANOS) {
      line(message);
    }
  }
}
