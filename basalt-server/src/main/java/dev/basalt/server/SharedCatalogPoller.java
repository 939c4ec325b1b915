package dev.basalt.server;

import dev.basalt.meta.catalog.Catalog;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a front end's catalog within {@link #INTERVAL_MILLIS} of the commits other front ends make
 * to a shared catalog, by calling {@link Catalog#refresh()} on a daemon thread. Statements and
 * Stream Loads also refresh before they start, so a client that committed on one front end sees its
 * commit on the other at once; this poller bounds how stale an idle front end's background work
 * (compaction, garbage collection, SHOW output cached nowhere else) can be.
 *
 * <p>Life cycle: {@link #start} returns a running poller (or one that does nothing for a catalog
 * that is not shared); {@link #close} stops it. Thread safe.
 */
final class SharedCatalogPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedCatalogPoller.class);

  /** How often the shared catalog's change log is read. */
  static final long INTERVAL_MILLIS = 1_000;

  private final ScheduledExecutorService thread;

  private SharedCatalogPoller(ScheduledExecutorService thread) {
    this.thread = thread;
  }

  static SharedCatalogPoller start(Catalog catalog) {
    if (!catalog.isShared()) {
      return new SharedCatalogPoller(null);
    }
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("basalt-shared-catalog-poller").factory());
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            catalog.refresh();
          } catch (RuntimeException e) {
            LOG.warn("could not read the shared catalog's changes; retrying", e);
          }
        },
        INTERVAL_MILLIS,
        INTERVAL_MILLIS,
        TimeUnit.MILLISECONDS);
    return new SharedCatalogPoller(thread);
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
      try {
        thread.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
