package dev.basalt.storage.segment;

import dev.basalt.common.type.TypeKind;
import dev.basalt.storage.encoding.FormatException;
import java.nio.charset.StandardCharsets;

/**
 * Constants of the segment file format, version {@value #FORMAT_VERSION}; docs/format.md is the
 * full byte-level description. All integers are little-endian.
 *
 * <pre>
 * file    = header(16) page* footer trailer(24)
 * header  = magic(8) formatVersion:u32 reserved:u32(0)
 * trailer = footerLength:u32 footerCrc32c:u32 formatVersion:u32 reserved:u32(0) magic(8)
 * </pre>
 */
public final class SegmentFormat {
  /** The format version this build writes; it reads this one and every older one. */
  public static final int FORMAT_VERSION = 3;

  /** The oldest format version this build reads. */
  public static final int OLDEST_READABLE_VERSION = 1;

  /**
   * The oldest format version whose pages mean what this version's pages mean (versions 1 and 2
   * differ from 3 only in the footer and in encodings they never wrote), so that compaction can
   * copy its pages into a segment of this version as they are stored. Raise it when a page's bytes
   * change meaning.
   */
  public static final int OLDEST_PAGE_COPYABLE_VERSION = 1;

  /** {@code "BASALTSG"} in ASCII, at the start and at the very end of every segment file. */
  public static final byte[] MAGIC = "BASALTSG".getBytes(StandardCharsets.US_ASCII);

  public static final int HEADER_SIZE = 16;
  public static final int TRAILER_SIZE = 24;
  public static final int PAGE_HEADER_SIZE = 16;

  /** Longer string bounds are truncated (min) or dropped (max) in zone maps. */
  public static final int MAX_ZONE_MAP_STRING_BYTES = 256;

  /** Conventional file name extension of segment files. */
  public static final String FILE_EXTENSION = ".bsg";

  /** Bit 0 of the page header flags: the body starts with a null bitmap. */
  static final int PAGE_FLAG_HAS_NULLS = 1;

  private static final TypeKind[] TYPE_CODES = {
    null,
    TypeKind.BOOLEAN,
    TypeKind.TINYINT,
    TypeKind.SMALLINT,
    TypeKind.INT,
    TypeKind.BIGINT,
    TypeKind.LARGEINT,
    TypeKind.FLOAT,
    TypeKind.DOUBLE,
    TypeKind.DECIMAL,
    TypeKind.DATE,
    TypeKind.DATETIME,
    TypeKind.CHAR,
    TypeKind.VARCHAR,
    TypeKind.STRING,
    TypeKind.NULL,
    TypeKind.BITMAP,
    TypeKind.HLL,
    TypeKind.QUANTILE_STATE,
  };

  private SegmentFormat() {}

  /** The stable on-disk code of a type kind (never its ordinal, which may change). */
  public static int typeCode(TypeKind kind) {
    for (int code = 1; code < TYPE_CODES.length; code++) {
      if (TYPE_CODES[code] == kind) {
        return code;
      }
    }
    throw new IllegalArgumentException("no type code for " + kind);
  }

  static TypeKind typeKind(int code) {
    if (code < 1 || code >= TYPE_CODES.length) {
      throw new FormatException("unknown type code " + code);
    }
    return TYPE_CODES[code];
  }
}
