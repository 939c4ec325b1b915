package dev.basalt.load;

import dev.basalt.meta.catalog.Catalog;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background chores of loads, on one daemon thread: every second it aborts pre-committed
 * two-phase loads past their deadline ({@link TableWriter#abortExpiredPrecommitted}) and removes
 * labels older than {@code label_keep_max_second} ({@link Catalog#removeExpiredLabels}), so that
 * the catalog does not grow forever. A failing chore is logged and retried on the next tick.
 *
 * <p>Call order: construct (starts the thread), {@link #close()} once when the server stops. Thread
 * safe.
 */
public final class LoadHousekeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadHousekeeper.class);

  /** Doris's default {@code label_keep_max_second}: three days. */
  public static final long DEFAULT_LABEL_KEEP_SECONDS = 3 * 24 * 3600;

  private final ScheduledExecutorService thread;

  /**
   * @param labelKeepSeconds how long a finished load's label stays used (at least 1)
   */
  public LoadHousekeeper(Catalog catalog, TableWriter writer, long labelKeepSeconds) {
    if (labelKeepSeconds < 1) {
      throw new IllegalArgumentException("label_keep_max_second must be positive");
    }
    long keepMillis = TimeUnit.SECONDS.toMillis(labelKeepSeconds);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("basalt-load-housekeeper").factory());
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            int aborted = writer.abortExpiredPrecommitted(System.currentTimeMillis());
            if (aborted > 0) {
              LOG.info("Aborted {} pre-committed loads past their timeout", aborted);
            }
            catalog.removeExpiredLabels(keepMillis);
          } catch (RuntimeException e) {
            LOG.warn("load housekeeping failed; retrying in a second", e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
