package dev.basalt.storage.encoding;

import dev.basalt.common.type.DataType;

/**
 * The on-disk value layout of a column, derived from its {@link DataType}: what one plain value
 * looks like in a page and in a zone map.
 */
public enum StorageType {
  /**
   * 8-byte two's complement: BOOLEAN (0/1), TINYINT..BIGINT, DATE (epoch days), DATETIME (epoch
   * micros).
   */
  INT64,
  /** 4-byte IEEE 754 bits: FLOAT. */
  FLOAT32,
  /** 8-byte IEEE 754 bits: DOUBLE. */
  FLOAT64,
  /** 16-byte two's complement (low 8 bytes first): LARGEINT, and DECIMAL's unscaled value. */
  INT128,
  /**
   * Bytes of any length: UTF-8 for CHAR, VARCHAR, STRING; the serialized sketch for BITMAP, HLL and
   * QUANTILE_STATE (docs/format.md, "Sketch values").
   */
  BINARY;

  public static StorageType of(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, DATE, DATETIME, NULL -> INT64;
      case FLOAT -> FLOAT32;
      case DOUBLE -> FLOAT64;
      case LARGEINT, DECIMAL -> INT128;
      case CHAR, VARCHAR, STRING, BITMAP, HLL, QUANTILE_STATE -> BINARY;
    };
  }
}
