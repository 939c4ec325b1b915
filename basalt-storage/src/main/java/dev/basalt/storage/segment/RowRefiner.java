package dev.basalt.storage.segment;

import dev.basalt.common.vector.Batch;

/**
 * Narrows the rows a filtered segment scan keeps by a condition on more columns (a {@link
 * SegmentFilter.Step}), after the {@link RowSelector}. Called once per batch that still has rows,
 * by the one thread that drives the stream.
 */
@FunctionalInterface
public interface RowRefiner {

  /**
   * Keeps, in place and in order, those of the rows {@code positions[0 .. count)} of {@code
   * columns} that satisfy the condition; returns how many.
   *
   * @param columns the step's columns in {@link SegmentFilter.Step#columns()} order: either every
   *     row of the batch (then {@code positions} are the offsets still kept) or only the rows still
   *     kept, one after the other (then {@code positions} are {@code 0 .. count - 1})
   */
  int refine(Batch columns, int[] positions, int count);
}
