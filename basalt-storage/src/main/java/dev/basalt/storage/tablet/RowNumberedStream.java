package dev.basalt.storage.tablet;

import dev.basalt.common.result.BatchStream;

/**
 * A {@link BatchStream} whose rows know their number in their source (a segment's row, counted from
 * 0, rows left out of the stream included), so that a {@link SortedMerge} can record where each
 * input row went (compaction's row maps, which carry delete marks over to the output). Used by the
 * one thread that drives the stream.
 */
public interface RowNumberedStream extends BatchStream {

  /**
   * The number in the source of row {@code row} of the batch {@link #next()} returned last; valid
   * until the following call to {@code next}.
   */
  int sourceRow(int row);
}
