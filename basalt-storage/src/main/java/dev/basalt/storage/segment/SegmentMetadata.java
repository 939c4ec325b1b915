package dev.basalt.storage.segment;

import java.util.List;

/**
 * What a segment file holds, as {@link SegmentWriter#finish()} reports it and {@link
 * SegmentReader#metadata()} reads it back from the footer. Immutable.
 *
 * @param path the file's path in its {@code FileSystem}
 * @param formatVersion the format version the file was written with
 * @param rowCount rows in the segment
 * @param fileSize the file's size in bytes
 * @param columns the columns in schema order
 */
public record SegmentMetadata(
    String path, int formatVersion, long rowCount, long fileSize, List<ColumnMetadata> columns) {
  public SegmentMetadata {
    columns = List.copyOf(columns);
  }

  /** The column with {@code uniqueId}, or {@code null} when the segment does not contain it. */
  public ColumnMetadata column(int uniqueId) {
    for (ColumnMetadata column : columns) {
      if (column.uniqueId() == uniqueId) {
        return column;
      }
    }
    return null;
  }

  public int pageCount() {
    int pages = 0;
    for (ColumnMetadata column : columns) {
      pages += column.pages().size();
    }
    return pages;
  }
}
