package dev.basalt.bench.server;

/**
 * The Basalt server a benchmark runs against: one the harness started itself ({@link
 * ChildProcessServer}) or one that was already running ({@link ExternalServer}).
 *
 * <p>Call order: {@link #endpoint()} any number of times, {@link #restart()} when a query hung,
 * {@link #close()} once at the end. Not thread safe.
 */
public interface BenchServer extends AutoCloseable {

  /** Where the server listens now (a restart may change the ports). */
  ServerEndpoint endpoint();

  /**
   * Restarts the server on the same data, to get rid of a query it would not cancel.
   *
   * @return whether the server was restarted; {@code false} for a server the harness does not own
   */
  boolean restart() throws Exception;

  /**
   * Waits (at most {@code limit}) until the server does no background work: a child JVM keeps
   * compiling (the JIT), collecting garbage or compacting after a query returns, which would
   * otherwise run during the peer's next timed query or Basalt's own. Returns how long it waited; a
   * server whose process the harness cannot watch returns at once.
   */
  default java.time.Duration awaitQuiescent(java.time.Duration limit) throws InterruptedException {
    return java.time.Duration.ZERO;
  }

  /**
   * The server process's CPU time so far (user plus system, all its threads), for CPU per row
   * figures that a shared machine's load does not distort; empty when the harness cannot read it (a
   * server it did not start, or no {@code /proc}).
   */
  default java.util.OptionalLong cpuNanos() {
    return java.util.OptionalLong.empty();
  }

  /** A one-line description for reports, e.g. {@code child JVM, heap 4g}. */
  String description();

  /** Stops a server the harness started and deletes its temporary data; no-op otherwise. */
  @Override
  void close();
}
