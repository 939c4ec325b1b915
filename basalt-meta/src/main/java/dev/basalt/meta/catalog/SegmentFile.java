package dev.basalt.meta.catalog;

import java.util.Objects;

/**
 * One segment file of a rowset, as the storage layer wrote it.
 *
 * @param path the file's path relative to the data root (the storage layer's naming)
 * @param rowCount rows in the file
 * @param byteSize the file's size in bytes
 */
public record SegmentFile(String path, long rowCount, long byteSize) {
  public SegmentFile {
    Objects.requireNonNull(path, "path");
  }
}
