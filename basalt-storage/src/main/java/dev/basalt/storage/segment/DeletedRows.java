package dev.basalt.storage.segment;

import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Leaves the rows a segment's delete bitmap marks out of a scan's selection (merge-on-write UNIQUE
 * KEY tables, and DELETE on the other models). Each call walks the marks of one batch's row range
 * once, in step with the ascending row numbers, instead of searching the bitmap for every row.
 * Stateless; the bitmap is only read.
 */
public final class DeletedRows {
  private DeletedRows() {}

  /**
   * Writes the offsets of the rows of {@code [firstRow, firstRow + count)} that {@code deleted}
   * does not mark into {@code selected} (ascending) and returns how many there are.
   */
  public static int selectLive(RoaringBitmap deleted, long firstRow, int count, int[] selected) {
    PeekableIntIterator marks = marksFrom(deleted, firstRow);
    long nextMark = marks.hasNext() ? Integer.toUnsignedLong(marks.peekNext()) : Long.MAX_VALUE;
    int kept = 0;
    for (int offset = 0; offset < count; offset++) {
      if (firstRow + offset == nextMark) {
        marks.next();
        nextMark = marks.hasNext() ? Integer.toUnsignedLong(marks.peekNext()) : Long.MAX_VALUE;
      } else {
        selected[kept++] = offset;
      }
    }
    return kept;
  }

  /**
   * Keeps, of the first {@code kept} offsets in {@code selected} (ascending, relative to {@code
   * firstRow}), those {@code deleted} does not mark, in order; returns how many are left.
   */
  public static int retainLive(RoaringBitmap deleted, long firstRow, int[] selected, int kept) {
    if (kept == 0) {
      return 0;
    }
    PeekableIntIterator marks = marksFrom(deleted, firstRow + selected[0]);
    int live = 0;
    for (int i = 0; i < kept; i++) {
      int offset = selected[i];
      long row = firstRow + offset;
      marks.advanceIfNeeded((int) row);
      if (!marks.hasNext() || Integer.toUnsignedLong(marks.peekNext()) != row) {
        selected[live++] = offset;
      }
    }
    return live;
  }

  private static PeekableIntIterator marksFrom(RoaringBitmap deleted, long firstRow) {
    PeekableIntIterator marks = deleted.getIntIterator();
    marks.advanceIfNeeded((int) firstRow);
    return marks;
  }
}
