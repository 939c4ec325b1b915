package dev.basalt.load;

import dev.basalt.meta.catalog.Catalog;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background chores of loads, on one daemon thread: every second it aborts pre-committed
 * two-phase loads past their deadline ({@link TableWriter#abortExpiredPrecommitted}) and removes
 * labels older than {@code label_keep_max_second} ({@link Catalog#removeExpiredLabels}), so that
 * the catalog does not grow forever; and, at most once a minute, it deletes the Stream Loads' error
 * logs (rejected rows, served at their {@code ErrorURL}) older than {@code label_keep_max_second},
 * as long as SHOW LOAD lists their loads. A failing chore is logged and retried on the next tick.
 *
 * <p>Call order: construct (starts the thread), {@link #close()} once when the server stops. Thread
 * safe.
 */
public final class LoadHousekeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadHousekeeper.class);

  /** Doris's default {@code label_keep_max_second}: three days. */
  public static final long DEFAULT_LABEL_KEEP_SECONDS = 3 * 24 * 3600;

  /** The longest time between two sweeps of the error logs. */
  private static final long ERROR_LOG_SWEEP_MILLIS = 60_000;

  private final ScheduledExecutorService thread;

  private long lastErrorLogSweep;

  /**
   * @param labelKeepSeconds how long a finished load's label, and its error log, stays (at least 1)
   * @param errorLogDirectory where Stream Loads write their error logs (it may not exist yet)
   */
  public LoadHousekeeper(
      Catalog catalog, TableWriter writer, long labelKeepSeconds, Path errorLogDirectory) {
    if (labelKeepSeconds < 1) {
      throw new IllegalArgumentException("label_keep_max_second must be positive");
    }
    long keepMillis = TimeUnit.SECONDS.toMillis(labelKeepSeconds);
    long sweepMillis = Math.min(ERROR_LOG_SWEEP_MILLIS, keepMillis);
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
            long now = System.currentTimeMillis();
            if (now - lastErrorLogSweep >= sweepMillis) {
              lastErrorLogSweep = now;
              removeExpiredErrorLogs(errorLogDirectory, now - keepMillis);
            }
          } catch (RuntimeException | IOException e) {
            LOG.warn("load housekeeping failed; retrying in a second", e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  /**
   * Deletes the files of {@code directory} last modified before {@code olderThanMillis}; returns
   * how many. A missing directory (no load has rejected a row yet) has none.
   */
  static int removeExpiredErrorLogs(Path directory, long olderThanMillis) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        try {
          if (Files.getLastModifiedTime(file).toMillis() < olderThanMillis) {
            Files.delete(file);
            removed++;
          }
        } catch (NoSuchFileException alreadyGone) {
          // Nothing else deletes error logs, but a missing file needs no deleting.
        }
      }
    } catch (NoSuchFileException noDirectory) {
      return 0;
    }
    return removed;
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
