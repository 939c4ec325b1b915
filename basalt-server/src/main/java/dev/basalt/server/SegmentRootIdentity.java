package dev.basalt.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.store.MetaStore;
import dev.basalt.meta.store.MetaStoreConflictException;
import dev.basalt.meta.store.WriteBatch;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Ties a shared catalog to the directory holding its segment files, so that a front end started on
 * the wrong directory (a second front end without {@code --shared-storage}, or one pointing at
 * another warehouse's files) refuses to start instead of serving rowsets whose files it cannot
 * read. The catalog keeps an id under {@link #KEY}; the segment root keeps the same id in the file
 * {@link #FILE}. The first start writes both. Only for a shared (PostgreSQL) catalog: an SQLite
 * catalog lives in the data directory with its segments.
 */
final class SegmentRootIdentity {
  static final String KEY = "storage/segment_root_id";
  static final String FILE = "segment_root_id";

  private SegmentRootIdentity() {}

  /**
   * Checks (or, on a first start, records) that {@code segmentRoot} is the catalog's.
   *
   * @throws BasaltException IO_ERROR naming both ids when the directory is another one
   */
  static void check(MetaStore store, Path segmentRoot, String catalogName) {
    if (!store.isShared()) {
      return;
    }
    Path marker = segmentRoot.resolve(FILE);
    try {
      String local = Files.exists(marker) ? Files.readString(marker, UTF_8).trim() : null;
      Optional<String> recorded = store.get(KEY).map(bytes -> new String(bytes, UTF_8));
      if (recorded.isEmpty()) {
        String id = local != null ? local : UUID.randomUUID().toString();
        if (local == null) {
          write(marker, id);
        }
        try {
          store.commit(new WriteBatch().requireAbsent(KEY).put(KEY, id.getBytes(UTF_8)));
          return;
        } catch (MetaStoreConflictException raced) {
          // Another front end recorded its directory first: compare with it below.
          recorded = store.get(KEY).map(bytes -> new String(bytes, UTF_8));
          local = id;
        }
      }
      if (!recorded.get().equals(local)) {
        throw new BasaltException(
            ErrorCode.IO_ERROR,
            "the catalog "
                + catalogName
                + " keeps its segment files in another directory (segment root id "
                + recorded.get()
                + ") than "
                + segmentRoot
                + (local == null ? " (which has none)" : " (id " + local + ")")
                + ": start every front end of this catalog with --shared-storage naming that"
                + " directory");
      }
    } catch (IOException e) {
      throw new BasaltException(
          e, ErrorCode.IO_ERROR, "cannot read or write " + marker + ": " + e.getMessage());
    }
  }

  /** Writes {@code id} to {@code marker} durably (temporary file, force, atomic rename). */
  private static void write(Path marker, String id) throws IOException {
    Files.createDirectories(marker.getParent());
    Path temporary = marker.resolveSibling(FILE + ".writing");
    Files.writeString(temporary, id + "\n", UTF_8);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(temporary, marker, StandardCopyOption.ATOMIC_MOVE);
  }
}
