package dev.basalt.storage.segment;

import java.util.concurrent.atomic.LongAdder;

/**
 * What segment scans did: segments, rows and pages skipped by zone maps, pages decoded, rows read
 * and returned. Shared by the streams of one table scan (possibly on several threads); thread safe.
 */
public final class ScanCounters {
  private final LongAdder segmentsSkipped = new LongAdder();
  private final LongAdder rowsSkippedByZoneMaps = new LongAdder();
  private final LongAdder pagesSkippedByZoneMaps = new LongAdder();
  private final LongAdder pagesDecoded = new LongAdder();
  private final LongAdder rowsScanned = new LongAdder();
  private final LongAdder rowsReturned = new LongAdder();
  private final LongAdder rowsFilteredByRuntimeFilters = new LongAdder();

  public void segmentSkipped() {
    segmentsSkipped.increment();
  }

  void rowsSkippedByZoneMaps(long rows) {
    rowsSkippedByZoneMaps.add(rows);
  }

  void pagesSkippedByZoneMaps(long pages) {
    pagesSkippedByZoneMaps.add(pages);
  }

  void pageDecoded() {
    pagesDecoded.increment();
  }

  void rowsScanned(long rows) {
    rowsScanned.add(rows);
  }

  void rowsReturned(long rows) {
    rowsReturned.add(rows);
  }

  /** Records {@code rows} that a join's runtime filter removed in the scan (added per batch). */
  public void rowsFilteredByRuntimeFilters(long rows) {
    rowsFilteredByRuntimeFilters.add(rows);
  }

  /** Rows that runtime filters' key tests removed (their min/max pruning is not counted here). */
  public long rowsFilteredByRuntimeFilters() {
    return rowsFilteredByRuntimeFilters.sum();
  }

  /** Segments left out whole because their column zone maps ruled the filter out. */
  public long segmentsSkipped() {
    return segmentsSkipped.sum();
  }

  /** Rows of read segments whose page zone maps ruled the filter out (never decoded). */
  public long rowsSkippedByZoneMaps() {
    return rowsSkippedByZoneMaps.sum();
  }

  /**
   * Column pages of read segments that were never loaded because zone maps ruled out every row of
   * them the scan covered, counted per column read (a skipped batch range of three columns skips
   * the pages of all three). Pages of segments skipped whole are not counted.
   */
  public long pagesSkippedByZoneMaps() {
    return pagesSkippedByZoneMaps.sum();
  }

  public long pagesDecoded() {
    return pagesDecoded.sum();
  }

  /** Rows of the read ranges, skipped ones included. */
  public long rowsScanned() {
    return rowsScanned.sum();
  }

  public long rowsReturned() {
    return rowsReturned.sum();
  }

  @Override
  public String toString() {
    return "segments skipped "
        + segmentsSkipped()
        + ", rows skipped by zone maps "
        + rowsSkippedByZoneMaps()
        + ", pages skipped by zone maps "
        + pagesSkippedByZoneMaps()
        + ", pages decoded "
        + pagesDecoded()
        + ", rows scanned "
        + rowsScanned()
        + ", rows returned "
        + rowsReturned()
        + ", rows filtered by runtime filters "
        + rowsFilteredByRuntimeFilters();
  }
}
