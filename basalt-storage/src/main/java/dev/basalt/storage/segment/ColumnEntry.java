package dev.basalt.storage.segment;

import java.util.List;

/** One column-directory entry of the footer, with zone-map bounds in stored form. Internal. */
record ColumnEntry(
    SegmentColumn column, long nullCount, Object min, Object max, List<PageEntry> pages) {
  ColumnEntry {
    pages = List.copyOf(pages);
  }

  ColumnMetadata toMetadata() {
    List<PageMetadata> pageMetadata =
        pages.stream()
            .map(
                page ->
                    new PageMetadata(
                        page.firstRow(),
                        page.rowCount(),
                        page.offset(),
                        page.storedLength(),
                        page.checksum(),
                        new ZoneMap(
                            ZoneValues.toPublicMin(column.type(), page.min()),
                            ZoneValues.toPublicMax(column.type(), page.max()),
                            page.nullCount())))
            .toList();
    ZoneMap zoneMap =
        new ZoneMap(
            ZoneValues.toPublicMin(column.type(), min),
            ZoneValues.toPublicMax(column.type(), max),
            nullCount);
    return new ColumnMetadata(column, zoneMap, pageMetadata);
  }
}
