package dev.basalt.meta.store;

import dev.basalt.common.fault.FaultPoints;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately broken {@link MetaStore} for the crash harness's vacuity test, used only with
 * {@code -Dbasalt.fault.acknowledge-before-durable=true} ({@link FaultPoints}): {@link #commit}
 * returns at once and the batch reaches the real store two seconds later on a background thread, so
 * the server acknowledges a write before its commit record is written and fsynced. {@code kill -9}
 * cannot lose bytes a process has already written (the kernel keeps them), so merely skipping an
 * fsync would go unnoticed by a kill -9 harness; moving the acknowledgement ahead of the whole
 * durable commit is what a skipped fsync amounts to after a power loss, and a correct harness must
 * report the acknowledged writes it loses.
 *
 * <p>Batches reach the real store in commit order. A batch the real store refuses is reported on
 * standard error (this module has no logger) and dropped. Reads go to the real store. Thread safe.
 */
public final class EarlyAcknowledgingMetaStore implements MetaStore {
  /** Long enough that a crash harness's kill lands inside it even on a slow machine. */
  private static final long DELAY_MILLIS = 2_000;

  private final MetaStore store;
  private final ScheduledExecutorService committer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("basalt-early-acknowledging-commits").factory());

  private EarlyAcknowledgingMetaStore(MetaStore store) {
    this.store = store;
  }

  /** {@code store} itself, or wrapped when the vacuity switch is on. */
  public static MetaStore wrapIfRequested(MetaStore store) {
    if (!FaultPoints.acknowledgeBeforeDurable()) {
      return store;
    }
    System.err.println(
        "basalt.fault.acknowledge-before-durable is on: writes are acknowledged before they are"
            + " durable (crash-harness vacuity test only)");
    return new EarlyAcknowledgingMetaStore(store);
  }

  @Override
  public Optional<byte[]> get(String key) {
    return store.get(key);
  }

  @Override
  public List<KeyValue> scan(String prefix) {
    return store.scan(prefix);
  }

  @Override
  public List<List<KeyValue>> scanConsistently(List<String> prefixes) {
    return store.scanConsistently(prefixes);
  }

  @Override
  public <T> T exclusively(java.util.function.Supplier<T> action) {
    return store.exclusively(action);
  }

  @Override
  public void commit(WriteBatch batch) {
    // One thread and equal delays: batches reach the store in the order they were committed.
    committer.schedule(
        () -> {
          try {
            store.commit(batch);
          } catch (RuntimeException e) {
            System.err.println("late metadata commit failed: " + e);
          }
        },
        DELAY_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean isShared() {
    return store.isShared();
  }

  @Override
  public long lastChangeSequence() {
    return store.lastChangeSequence();
  }

  @Override
  public Optional<List<StoreChange>> changesSince(long sequence) {
    return store.changesSince(sequence);
  }

  @Override
  public void close() {
    committer.shutdownNow();
    store.close();
  }
}
