package dev.basalt.storage.segment;

import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.encoding.Encoding;
import java.util.Objects;

/**
 * Tuning knobs of a {@link SegmentWriter}. Immutable.
 *
 * @param compression the codec tried on every page; a page that does not shrink is stored
 *     uncompressed (its header says so)
 * @param targetPageBytes a page is cut once its uncompressed body reaches this many bytes
 * @param maxPageRows a page is cut at this many rows at the latest
 * @param forcedEncoding {@code null} to choose the smallest encoding per page (the default), or an
 *     encoding to use wherever it applies to the column's storage type (plain elsewhere); meant for
 *     tests and benchmarks
 */
public record SegmentWriterOptions(
    Compression compression, int targetPageBytes, int maxPageRows, Encoding forcedEncoding) {
  public static final int DEFAULT_TARGET_PAGE_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_PAGE_ROWS = 8192;
  public static final SegmentWriterOptions DEFAULT =
      new SegmentWriterOptions(
          Compression.LZ4, DEFAULT_TARGET_PAGE_BYTES, DEFAULT_MAX_PAGE_ROWS, null);

  public SegmentWriterOptions {
    Objects.requireNonNull(compression, "compression");
    if (targetPageBytes < 1 || maxPageRows < 1 || maxPageRows > 1 << 20) {
      throw new IllegalArgumentException(
          "page limits must be positive (and at most 2^20 rows): "
              + targetPageBytes
              + ", "
              + maxPageRows);
    }
  }

  public SegmentWriterOptions withCompression(Compression newCompression) {
    return new SegmentWriterOptions(newCompression, targetPageBytes, maxPageRows, forcedEncoding);
  }

  public SegmentWriterOptions withPageLimits(int newTargetPageBytes, int newMaxPageRows) {
    return new SegmentWriterOptions(
        compression, newTargetPageBytes, newMaxPageRows, forcedEncoding);
  }

  public SegmentWriterOptions withForcedEncoding(Encoding newForcedEncoding) {
    return new SegmentWriterOptions(compression, targetPageBytes, maxPageRows, newForcedEncoding);
  }
}
