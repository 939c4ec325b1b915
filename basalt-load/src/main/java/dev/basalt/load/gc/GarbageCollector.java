package dev.basalt.load.gc;

import dev.basalt.load.FilesInFlight;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.fs.FileEntry;
import dev.basalt.storage.fs.FileSystem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes segment files that no committed version references, and the empty directories of dropped
 * databases, tables and tablets, under {@code data/}.
 *
 * <p>A file qualifies when (1) the catalog references it no more, (2) no load or compaction has it
 * in flight ({@link FilesInFlight}), (3) no reader that could hold a snapshot referencing it is
 * still registered ({@link ReaderRegistry}: every reader registered before the file was seen
 * unreferenced has finished), and (4) it has been unreferenced for the grace period. Files become
 * known as unreferenced in two ways: {@link #retire} (compaction, DROP, TRUNCATE hand over the
 * files they just unreferenced) and the sweep of {@link #collect}, which lists {@code data/} and
 * finds orphans left by crashes and by failed commits. The sweep lists the files first, then reads
 * the files in flight, then the catalog, so a load that commits at any point of the sweep is seen
 * as in flight or as referenced.
 *
 * <p>Thread safe; {@link #collect} runs one pass at a time.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private static final String DATA_ROOT = "data";

  /**
   * The least grace period in storage shared by several front ends by default
   * (docs/architecture.md, "Several front ends"; {@code --shared-storage-gc-grace-seconds}): the
   * files another front end is writing but has not committed yet, and the files its running queries
   * read, are known only to it, so a file is deleted only once it has been unreferenced for this
   * long. A load or query running longer than this on another front end may lose its files: the
   * query, or later queries of such a load's rows, then fail with an I/O error naming the file.
   */
  public static final long SHARED_STORAGE_GRACE_MILLIS = 60 * 60_000L;

  private final Catalog catalog;
  private final FileSystem fileSystem;
  private final FilesInFlight filesInFlight;
  private final ReaderRegistry readers;
  private final long graceMillis;
  private final LongSupplier clock;

  /** Unreferenced files waiting to be deleted: path → when and at which stamp it was seen so. */
  private final Map<String, Candidate> candidates = new HashMap<>();

  private record Candidate(long stamp, long sinceMillis) {}

  /**
   * In a shared catalog: directories of databases, tables and tablets this front end does not know
   * (yet), and since when; replaced each pass by the ones still unknown. Another front end may just
   * have created the table, so such a directory is deleted only after the grace period.
   */
  private Map<String, Long> unknownDirectoriesSince = new HashMap<>();

  /**
   * In a shared catalog: temporary files of unfinished writes under {@code data/}, and since when
   * they have been seen; replaced each pass by the ones still there. Start-up cannot delete them
   * (another front end may be writing them), so the files a crashed front end left go once they
   * have been there for the grace period.
   */
  private Map<String, Long> temporaryFilesSince = new HashMap<>();

  /** What one {@link #collect} pass did. */
  public record Report(int filesDeleted, int directoriesDeleted, int filesWaiting) {}

  /**
   * @param graceMillis how long a file stays after it became unreferenced (0: as soon as no reader
   *     can use it)
   */
  public GarbageCollector(
      Catalog catalog,
      FileSystem fileSystem,
      FilesInFlight filesInFlight,
      ReaderRegistry readers,
      long graceMillis,
      LongSupplier clock) {
    if (graceMillis < 0) {
      throw new IllegalArgumentException("grace period must not be negative: " + graceMillis);
    }
    this.catalog = catalog;
    this.fileSystem = fileSystem;
    this.filesInFlight = filesInFlight;
    this.readers = readers;
    this.graceMillis = graceMillis;
    this.clock = clock;
  }

  public ReaderRegistry readers() {
    return readers;
  }

  /** Told the path of every file this collector deletes, after the deletion (caches of files). */
  private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

  /**
   * Calls {@code listener} with the path of each file deleted from now on, on the collecting
   * thread, after the file is gone (so that a cache dropping its entries cannot race a reader that
   * would fill them again from the file).
   */
  public void onDelete(Consumer<String> listener) {
    deletionListeners.add(listener);
  }

  /** Takes files that a commit has just unreferenced (call after the catalog commit returned). */
  public synchronized void retire(List<String> paths) {
    long stamp = readers.stamp();
    long now = clock.getAsLong();
    for (String path : paths) {
      candidates.putIfAbsent(path, new Candidate(stamp, now));
    }
  }

  /**
   * One pass: finds orphans under {@code data/}, deletes every candidate that qualifies, then the
   * empty directories of databases, tables and tablets that no longer exist.
   */
  public synchronized Report collect() {
    // The order matters: list, then the files in flight, then the catalog. A listed file was
    // registered in flight before it was created and leaves that registry only after the commit
    // that references it (or after it was deleted), so each listed file is in one of the two
    // sets read after the listing unless it is a true orphan. Listing last let a load that
    // created and committed its file during the sweep look unreferenced, and with no grace
    // period its new segment was deleted under the next query.
    List<FileEntry> listed = fileSystem.list(DATA_ROOT);
    Set<String> inFlight = filesInFlight.snapshot();
    Set<String> referenced = catalog.referencedSegmentPaths();
    long stamp = readers.stamp();
    long now = clock.getAsLong();
    for (FileEntry file : listed) {
      String path = file.path();
      if (!referenced.contains(path) && !inFlight.contains(path)) {
        candidates.putIfAbsent(path, new Candidate(stamp, now));
      }
    }
    long oldestReader = readers.oldestOpenTicket();
    int deleted = 0;
    var iterator = candidates.entrySet().iterator();
    while (iterator.hasNext()) {
      var entry = iterator.next();
      String path = entry.getKey();
      Candidate candidate = entry.getValue();
      if (referenced.contains(path) || filesInFlight.contains(path)) {
        // Referenced again (a failed commit's file that a later restart found committed cannot
        // happen in one process, but a candidate must never win over the catalog).
        iterator.remove();
        continue;
      }
      if (oldestReader <= candidate.stamp() || now - candidate.sinceMillis() < graceMillis) {
        continue;
      }
      try {
        fileSystem.delete(path);
        deleted++;
        deletionListeners.forEach(listener -> listener.accept(path));
        iterator.remove();
      } catch (RuntimeException e) {
        LOG.warn("could not delete unreferenced file {}", path, e);
      }
    }
    if (catalog.isShared()) {
      deleted += deleteAbandonedTemporaryFiles(now);
    }
    int directories = 0;
    Map<String, Long> stillUnknown = new HashMap<>();
    try {
      directories =
          fileSystem.deleteEmptyDirectories(
              DATA_ROOT, path -> mayDeleteDirectory(path, now, stillUnknown));
    } catch (RuntimeException e) {
      LOG.warn("could not delete empty directories", e);
    }
    unknownDirectoriesSince = stillUnknown;
    if (deleted > 0 || directories > 0) {
      LOG.info(
          "garbage collection deleted {} files and {} empty directories", deleted, directories);
    }
    return new Report(deleted, directories, candidates.size());
  }

  /**
   * Deletes the temporary files under {@code data/} that have been there for the grace period
   * (their writer, on some front end, died); returns how many.
   */
  private int deleteAbandonedTemporaryFiles(long now) {
    Map<String, Long> stillThere = new HashMap<>();
    int deleted = 0;
    try {
      deleted =
          fileSystem.deleteTemporaryFiles(
              DATA_ROOT,
              path -> {
                long since = temporaryFilesSince.getOrDefault(path, now);
                if (now - since >= graceMillis) {
                  return true;
                }
                stillThere.put(path, since);
                return false;
              });
    } catch (RuntimeException e) {
      LOG.warn("could not delete abandoned temporary files", e);
      return 0;
    }
    temporaryFilesSince = stillThere;
    return deleted;
  }

  /**
   * Whether an empty directory under {@code data/} may go: it is dead ({@link #isDeadDirectory}),
   * and in a shared catalog has been for the grace period (records it in {@code stillUnknown}).
   */
  private boolean mayDeleteDirectory(String path, long now, Map<String, Long> stillUnknown) {
    if (!isDeadDirectory(path)) {
      return false;
    }
    if (!catalog.isShared()) {
      return true;
    }
    long since = unknownDirectoriesSince.getOrDefault(path, now);
    stillUnknown.put(path, since);
    return now - since >= graceMillis;
  }

  /**
   * Whether a directory under {@code data/} belongs to a database, table or tablet that no longer
   * exists ({@code data/<database>/<table>/<tablet>}, and anything below); live ones are kept even
   * when empty, since a load may be about to write into them.
   */
  private boolean isDeadDirectory(String path) {
    String[] parts = path.split("/");
    if (parts.length < 2 || !parts[0].equals(DATA_ROOT)) {
      return false;
    }
    // Anything deeper belongs to its tablet directory.
    try {
      long databaseId = Long.parseLong(parts[1]);
      if (catalog.databaseById(databaseId).isEmpty()) {
        return true;
      }
      if (parts.length == 2) {
        return false;
      }
      Optional<TableMeta> table = catalog.tableById(Long.parseLong(parts[2]));
      if (table.isEmpty()) {
        return true;
      }
      if (parts.length == 3) {
        return false;
      }
      long tabletId = Long.parseLong(parts[3]);
      for (PartitionMeta partition : table.get().partitions()) {
        if (partition.tabletIds().contains(tabletId)) {
          return false;
        }
      }
      for (PartitionMeta partition : table.get().temporaryPartitions()) {
        if (partition.tabletIds().contains(tabletId)) {
          return false;
        }
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
