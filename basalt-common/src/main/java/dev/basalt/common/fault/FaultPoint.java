package dev.basalt.common.fault;

/**
 * A place on a durability path where a crash test may stop the process: before and after each
 * fsync, atomic rename and metadata commit, halting or failing there (see {@link FaultPoints}). The
 * names are what {@code -Dbasalt.fault.points} lists and what the process prints when it halts.
 */
public enum FaultPoint {
  /** Before a new file's contents are forced to disk (the file is still a temporary). */
  FILE_FSYNC_BEFORE("file-fsync-before"),
  /** After a new file's contents were forced, before it is renamed onto its name. */
  FILE_FSYNC_AFTER("file-fsync-after"),
  /** Before a directory is forced (a rename, create or delete in it not yet durable). */
  DIRECTORY_FSYNC_BEFORE("directory-fsync-before"),
  /** After a directory was forced. */
  DIRECTORY_FSYNC_AFTER("directory-fsync-after"),
  /** Before a file is atomically renamed onto its final name. */
  RENAME_BEFORE("rename-before"),
  /** After the atomic rename, before its directory is forced. */
  RENAME_AFTER("rename-after"),
  /** Before a group-commit write-ahead log is forced (its loads not yet acknowledged). */
  WAL_FSYNC_BEFORE("wal-fsync-before"),
  /** After a group-commit write-ahead log was forced, before its async loads are acknowledged. */
  WAL_FSYNC_AFTER("wal-fsync-after"),
  /** Before the metadata store commits a batch (nothing of it durable yet). */
  METADATA_COMMIT_BEFORE("metadata-commit-before"),
  /** After the metadata store committed a batch, before the caller learns of it. */
  METADATA_COMMIT_AFTER("metadata-commit-after"),
  /**
   * Before the segments of committed small loads are forced (their bytes are only in the catalog's
   * copies and the page cache; {@code load.SegmentSyncer}).
   */
  SEGMENT_SYNC_BEFORE("segment-sync-before"),
  /** After those segments were forced, before their catalog copies are dropped. */
  SEGMENT_SYNC_AFTER("segment-sync-after");

  private final String propertyName;

  FaultPoint(String propertyName) {
    this.propertyName = propertyName;
  }

  /** The point's name in {@code -Dbasalt.fault.points} and in the halt message. */
  public String propertyName() {
    return propertyName;
  }

  /** The point named {@code name}, as {@link #propertyName()} spells it. */
  public static FaultPoint named(String name) {
    for (FaultPoint point : values()) {
      if (point.propertyName.equals(name)) {
        return point;
      }
    }
    throw new IllegalArgumentException("unknown fault point '" + name + "'");
  }
}
