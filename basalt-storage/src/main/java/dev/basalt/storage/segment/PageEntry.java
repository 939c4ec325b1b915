package dev.basalt.storage.segment;

/**
 * One page-directory entry with zone-map bounds in stored form (see {@link ZoneValues}); {@code
 * min}/{@code max} are {@code null} when absent. Internal to the writer, footer and reader.
 */
record PageEntry(
    long offset,
    int storedLength,
    int rowCount,
    long firstRow,
    int checksum,
    long nullCount,
    Object min,
    Object max) {}
