package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.fault.FaultPoint;
import dev.basalt.common.fault.FaultPoints;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes the segments of small loads durable after their acknowledgement: one round of device
 * flushes on a load's path instead of two (docs/architecture.md, Writes).
 *
 * <p>A small load ({@link #admits}) writes its last segments without forcing them and commits their
 * bytes as copies in the same catalog commit as its rowsets ({@link Catalog#commitLoad(long,
 * String, Map, long, dev.basalt.meta.catalog.DeleteMarker, dev.basalt.meta.catalog.LoadInfo,
 * Map)}); that commit is the load's only device flush, and a crash after it loses nothing: the next
 * start {@link #restore restores} any file the crash tore from its copy before anything reads it.
 * After the commit the load hands its files to {@link #submit}; one background thread forces them
 * (all that gathered, at once) and tells the catalog, whose next commit (or {@link
 * Catalog#forgetDurableSegmentCopies} when loads stop) deletes the copies. Copies not yet deleted
 * are bounded by {@link #MAX_BACKLOG_BYTES}: past it loads force their files themselves.
 *
 * <p>Thread safe. The thread starts with the first submission and ends once idle; a server that
 * stops calls {@link #finish} before it closes the catalog, so that a clean stop leaves no copies.
 * Copies a crash leaves are restored (or found intact and forced) at the next start.
 */
public final class SegmentSyncer {
  /** A load whose last segments are at most this big (in buffered bytes) commits them as copies. */
  public static final long SMALL_LOAD_BYTES = 1L << 20;

  /** Bytes of copies waiting for their files to be forced, beyond which loads force their own. */
  static final long MAX_BACKLOG_BYTES = 64L << 20;

  /** How long the thread waits for more files before it deletes the copies of the forced ones. */
  private static final long IDLE_MILLIS = 200;

  private final Catalog catalog;
  private final FileSystem fileSystem;

  /** Whether a thread forces submitted files; when not, they wait for {@link #syncPending}. */
  private final boolean background;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition submitted = lock.newCondition();
  private final Condition stopped = lock.newCondition();

  // Guarded by lock.
  private List<String> pending = new ArrayList<>();
  private long backlogBytes;
  private long pendingBytes;
  private boolean running;

  public SegmentSyncer(Catalog catalog, FileSystem fileSystem) {
    this(catalog, fileSystem, true);
  }

  /** For tests: {@code background = false} leaves submitted files unforced until told. */
  SegmentSyncer(Catalog catalog, FileSystem fileSystem, boolean background) {
    this.catalog = catalog;
    this.fileSystem = fileSystem;
    this.background = background;
  }

  /** Whether a load whose last segments hold about {@code bytes} may commit them as copies. */
  public boolean admits(long bytes) {
    if (bytes > SMALL_LOAD_BYTES) {
      return false;
    }
    lock.lock();
    try {
      return backlogBytes + bytes <= MAX_BACKLOG_BYTES;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Hands over files a committed load wrote unforced (their copies committed with it), to be forced
   * in the background.
   *
   * @param bytes the size of their copies
   */
  public void submit(List<String> paths, long bytes) {
    if (paths.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      pending.addAll(paths);
      pendingBytes += bytes;
      backlogBytes += bytes;
      if (!background) {
        return;
      }
      if (!running) {
        running = true;
        Thread.ofPlatform().daemon().name("basalt-segment-sync").start(this::run);
      } else {
        submitted.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    boolean forgotten = true;
    while (true) {
      List<String> paths;
      long bytes;
      lock.lock();
      try {
        if (pending.isEmpty()) {
          try {
            submitted.await(IDLE_MILLIS, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (pending.isEmpty()) {
          if (forgotten) {
            running = false;
            stopped.signalAll();
            return;
          }
          paths = List.of();
          bytes = 0;
        } else {
          paths = pending;
          bytes = pendingBytes;
          pending = new ArrayList<>();
          pendingBytes = 0;
        }
      } finally {
        lock.unlock();
      }
      if (paths.isEmpty()) {
        // Idle: no load commit takes the copies along, so delete them on their own.
        forgotten = forget();
        continue;
      }
      if (round(paths, bytes)) {
        forgotten = false;
      }
    }
  }

  /** Forces {@code paths} and tells the catalog; returns whether that succeeded. */
  private boolean round(List<String> paths, long bytes) {
    boolean synced = false;
    try {
      sync(paths);
      catalog.segmentsDurable(paths);
      synced = true;
    } catch (RuntimeException failed) {
      // The copies stay in the catalog: the next start restores or forces the files.
      System.err.println(
          "basalt: cannot force " + paths.size() + " segment files: " + failed.getMessage());
    }
    lock.lock();
    try {
      backlogBytes -= bytes;
    } finally {
      lock.unlock();
    }
    return synced;
  }

  /**
   * Forces every submitted file and deletes all copies, on the caller's thread, after the
   * background thread (if running) has finished: a stopping server calls it once no load can start
   * any more and before it closes the catalog.
   */
  public void finish() {
    lock.lock();
    try {
      while (running) {
        submitted.signal();
        if (!stopped.await(10, TimeUnit.SECONDS)) {
          return; // a stuck force: the copies stay, the next start restores from them
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      lock.unlock();
    }
    syncPending();
    forget();
  }

  /** For tests without the background thread: forces what was submitted, on the caller's thread. */
  void syncPending() {
    List<String> paths;
    long bytes;
    lock.lock();
    try {
      paths = pending;
      bytes = pendingBytes;
      pending = new ArrayList<>();
      pendingBytes = 0;
    } finally {
      lock.unlock();
    }
    if (!paths.isEmpty()) {
      round(paths, bytes);
    }
  }

  private boolean forget() {
    try {
      catalog.forgetDurableSegmentCopies();
      return true;
    } catch (RuntimeException failed) {
      System.err.println("basalt: cannot delete segment copies: " + failed.getMessage());
      return true;
    }
  }

  /** Forces the files that still exist (compaction and the collector may have removed some). */
  private void sync(List<String> paths) {
    List<String> present = new ArrayList<>(paths.size());
    for (String path : paths) {
      if (fileSystem.exists(path)) {
        present.add(path);
      }
    }
    hit(FaultPoint.SEGMENT_SYNC_BEFORE);
    try {
      fileSystem.sync(present);
    } catch (BasaltException failed) {
      // A file collected between the check and the force fails the whole round: force the others
      // one by one, so that only a real I/O error leaves their copies behind.
      for (String path : present) {
        if (fileSystem.exists(path)) {
          fileSystem.sync(List.of(path));
        }
      }
    }
    hit(FaultPoint.SEGMENT_SYNC_AFTER);
  }

  private static void hit(FaultPoint point) {
    try {
      FaultPoints.hit(point);
    } catch (IOException injected) {
      throw new BasaltException(injected, ErrorCode.IO_ERROR, injected.getMessage());
    }
  }

  /**
   * At start, before anything reads a segment: every file with a copy in the catalog that a
   * committed rowset references is restored from its copy when a crash tore it (missing, or other
   * bytes) and forced either way; then every copy is deleted.
   *
   * @return how many files were restored
   */
  public static int restore(Catalog catalog, FileSystem fileSystem) {
    Map<String, byte[]> copies = catalog.segmentCopies();
    if (copies.isEmpty()) {
      return 0;
    }
    Set<String> referenced = catalog.referencedSegmentPaths();
    List<String> intact = new ArrayList<>();
    int restored = 0;
    for (Map.Entry<String, byte[]> copy : copies.entrySet()) {
      String path = copy.getKey();
      if (!referenced.contains(path)) {
        continue;
      }
      if (sameBytes(fileSystem, path, copy.getValue())) {
        intact.add(path);
        continue;
      }
      try (OutputFile file = fileSystem.create(path)) {
        file.write(copy.getValue());
        file.commit();
      }
      restored++;
    }
    hit(FaultPoint.SEGMENT_SYNC_BEFORE);
    fileSystem.sync(intact);
    hit(FaultPoint.SEGMENT_SYNC_AFTER);
    // In a shared catalog an unreferenced copy may be another front end's, committed after this
    // one loaded the catalog and not yet forced: that front end forgets it.
    catalog.forgetSegmentCopies(
        catalog.isShared()
            ? copies.keySet().stream().filter(referenced::contains).toList()
            : copies.keySet());
    return restored;
  }

  private static boolean sameBytes(FileSystem fileSystem, String path, byte[] expected) {
    if (!fileSystem.exists(path)) {
      return false;
    }
    try (var file = fileSystem.open(path)) {
      return file.length() == expected.length
          && java.util.Arrays.equals(file.read(0, expected.length), expected);
    } catch (UncheckedIOException | BasaltException unreadable) {
      return false;
    }
  }

  /** Whether the background thread has nothing left to force or forget (it has ended). */
  boolean idle() {
    lock.lock();
    try {
      return !running && pending.isEmpty();
    } finally {
      lock.unlock();
    }
  }
}
