package dev.basalt.storage.segment;

import java.util.List;

/**
 * A column of a segment: its schema entry, its zone map over all rows and its page directory.
 * Immutable.
 */
public record ColumnMetadata(SegmentColumn column, ZoneMap zoneMap, List<PageMetadata> pages) {
  public ColumnMetadata {
    pages = List.copyOf(pages);
  }

  public int uniqueId() {
    return column.uniqueId();
  }
}
