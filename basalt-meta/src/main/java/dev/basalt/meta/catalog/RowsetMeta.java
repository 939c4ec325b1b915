package dev.basalt.meta.catalog;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;

/**
 * The immutable data of one tablet for a range of partition versions: the output of one committed
 * load ({@code startVersion == endVersion}) or of a compaction that merged the rowsets of versions
 * {@code [startVersion, endVersion]} into one. A tablet's rowsets cover disjoint, increasing
 * version ranges.
 *
 * @param id the rowset id
 * @param tabletId the tablet it belongs to
 * @param startVersion the first partition version whose data it holds
 * @param endVersion the last partition version whose data it holds (the version that made a load's
 *     rowset visible); rowsets written before version ranges existed stored it as {@code version}
 * @param transactionId the load transaction that created it (0 for a compaction's output)
 * @param segments its segment files in write order
 * @param rowCount rows over all segments
 * @param byteSize bytes over all segments
 */
public record RowsetMeta(
    long id,
    long tabletId,
    long startVersion,
    @JsonAlias("version") long endVersion,
    long transactionId,
    List<SegmentFile> segments,
    long rowCount,
    long byteSize) {
  public RowsetMeta {
    segments = List.copyOf(segments);
    if (startVersion <= 0) {
      // Stored before version ranges: a load's rowset covers its one version.
      startVersion = endVersion;
    }
    if (startVersion > endVersion) {
      throw new IllegalArgumentException(
          "rowset " + id + " has version range [" + startVersion + ", " + endVersion + "]");
    }
  }

  /** A load's rowset: visible from {@code version} on, holding that version's data only. */
  public static RowsetMeta ofLoad(
      long id, long tabletId, long version, long transactionId, List<SegmentFile> segments) {
    return new RowsetMeta(
        id,
        tabletId,
        version,
        version,
        transactionId,
        segments,
        segments.stream().mapToLong(SegmentFile::rowCount).sum(),
        segments.stream().mapToLong(SegmentFile::byteSize).sum());
  }

  /** The version range as Doris prints it, e.g. {@code [2-7]}. */
  public String versionRange() {
    return "[" + startVersion + "-" + endVersion + "]";
  }
}
