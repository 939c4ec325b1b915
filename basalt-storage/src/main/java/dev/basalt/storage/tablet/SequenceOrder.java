package dev.basalt.storage.tablet;

/**
 * The sequence-column rule of UNIQUE KEY tables: which of two rows of one key wins, given their
 * sequence values (read as longs; docs/sql.md, "Sequence column"). The one definition for both
 * sides: the read-time merge ({@link ReplaceMergeFunction}, also in compaction) and the load path
 * (merge-on-write marks, the flush's per-key winner, stored-value fills in basalt-load).
 *
 * <p>Stateless; safe from any thread.
 */
public final class SequenceOrder {
  private SequenceOrder() {}

  /**
   * Whether a newer row with sequence value {@code newer} replaces an older row with {@code older}
   * (each value ignored when its null flag is set): NULL is the smallest value, and on equal values
   * the newer row wins.
   */
  public static boolean newerWins(boolean newerNull, long newer, boolean olderNull, long older) {
    if (olderNull) {
      return true;
    }
    if (newerNull) {
      return false;
    }
    return newer >= older;
  }
}
