package dev.basalt.storage.segment;

/**
 * Where one page of one column lives in the segment file and what it holds; the page directory in
 * the footer has one entry per page. Pages of a column are in row order and together cover rows
 * {@code [0, rowCount)} of the segment; this is the sparse row index used to seek.
 *
 * @param firstRow the segment row number of the page's first row
 * @param rowCount rows in the page, at least 1
 * @param offset the file offset of the page header
 * @param storedLength bytes of header plus stored (possibly compressed) body
 * @param checksum CRC32C of those {@code storedLength} bytes
 * @param zoneMap bounds and null count of the page
 */
public record PageMetadata(
    long firstRow, int rowCount, long offset, int storedLength, int checksum, ZoneMap zoneMap) {}
