package dev.basalt.storage.segment;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.storage.encoding.BytesPageCodec;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.encoding.DoublePageCodec;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.Int128PageCodec;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LongPageCodec;
import dev.basalt.storage.encoding.StorageType;

/**
 * One page decoded into row-aligned primitive arrays (null rows hold 0, empty or {@code null}):
 * exactly one of {@code longs}, {@code doubles}, {@code objects} or {@code bytes}+{@code offsets}
 * is set, by storage type. {@code nulls} is {@code null} when no row is null. Immutable once built.
 */
final class DecodedPage {
  final int rowCount;
  final boolean[] nulls;
  long[] longs;
  double[] doubles;

  /**
   * INT128 (DECIMAL's unscaled value, LARGEINT): the low and high 64 bits per row, copied into
   * scaled-long or 128-bit vectors without boxing.
   */
  long[] low;

  /** {@code null} when every row fits in 64 bits (each high word is the sign of the low word). */
  long[] high;

  byte[] bytes;

  /** {@code rowCount + 1} entries. */
  int[] offsets;

  /**
   * A dictionary-encoded BINARY page of at most {@link #MAX_CODED_DICTIONARY} entries: each row's
   * entry in {@link #dictionary} as an unsigned byte (0 for NULL rows), and the page's dictionary
   * as a vector of the column's type; otherwise both {@code null}. Scans pass them on with the
   * bytes ({@link dev.basalt.common.vector.BytesVector#hasDictionary}). One byte per row keeps the
   * page cache's cost small; larger dictionaries gain little per entry and are left out.
   */
  byte[] codes;

  static final int MAX_CODED_DICTIONARY = 256;

  BytesVector dictionary;

  /** About how many bytes of heap the page holds (for {@link PageCache}'s budget). */
  long estimatedBytes() {
    long bytes = 64L + (nulls == null ? 0 : nulls.length);
    if (longs != null) {
      bytes += 8L * longs.length;
    }
    if (doubles != null) {
      bytes += 8L * doubles.length;
    }
    if (low != null) {
      bytes += 8L * low.length + (high == null ? 0 : 8L * high.length);
    }
    if (this.bytes != null) {
      bytes += this.bytes.length + 4L * offsets.length;
    }
    if (codes != null) {
      bytes += codes.length + dictionary.rawBytes().length + 4L * (dictionary.size() + 1);
    }
    return bytes;
  }

  /** Whether every row's high bits are the sign extension of its low bits. */
  private static boolean fitsInLow(long[] high, long[] low) {
    for (int row = 0; row < low.length; row++) {
      if (high[row] != (low[row] >> 63)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether INT128 row {@code row} fits in 64 bits, so that {@code low[row]} is its value (always
   * true when {@link #high} is {@code null}: DECIMAL(p &lt;= 18) columns and most others).
   */
  boolean int128FitsLong(int row) {
    return high == null || high[row] == (low[row] >> 63);
  }

  private DecodedPage(int rowCount, boolean[] nulls) {
    this.rowCount = rowCount;
    this.nulls = nulls;
  }

  /**
   * Decodes a page whose checksum has already been verified. {@code stored} holds the header and
   * stored body; {@code expectedRows} and {@code expectedNulls} come from the page directory. Any
   * inconsistency is a {@link FormatException}.
   */
  static DecodedPage decode(byte[] stored, DataType type, int expectedRows, long expectedNulls) {
    LittleEndianInput header = new LittleEndianInput(stored, 0, SegmentFormat.PAGE_HEADER_SIZE);
    Encoding encoding = Encoding.fromId(header.readUnsignedByte());
    Compression compression = Compression.fromId(header.readUnsignedByte());
    int flags = header.readUnsignedByte();
    int reserved = header.readUnsignedByte();
    int rowCount = header.readCount("page row count");
    int uncompressedLength = header.readCount("uncompressed length");
    int storedBodyLength = header.readCount("stored body length");
    if ((flags & ~SegmentFormat.PAGE_FLAG_HAS_NULLS) != 0 || reserved != 0) {
      throw new FormatException("invalid page header flags " + flags + "/" + reserved);
    }
    if (rowCount != expectedRows) {
      throw new FormatException(
          "page header says " + rowCount + " rows, the page directory " + expectedRows);
    }
    if (storedBodyLength != stored.length - SegmentFormat.PAGE_HEADER_SIZE) {
      throw new FormatException(
          "page header says a body of "
              + storedBodyLength
              + " bytes, the page directory "
              + (stored.length - SegmentFormat.PAGE_HEADER_SIZE));
    }
    StorageType storageType = StorageType.of(type);
    if (!encoding.supports(storageType)) {
      throw new FormatException(encoding + " encoding in a " + storageType + " page");
    }
    LittleEndianInput body;
    if (compression == Compression.NONE) {
      if (uncompressedLength != storedBodyLength) {
        throw new FormatException(
            "uncompressed page body of "
                + storedBodyLength
                + " bytes, header says "
                + uncompressedLength);
      }
      body = new LittleEndianInput(stored, SegmentFormat.PAGE_HEADER_SIZE, storedBodyLength);
    } else {
      body =
          new LittleEndianInput(
              compression.decompress(
                  stored, SegmentFormat.PAGE_HEADER_SIZE, storedBodyLength, uncompressedLength));
    }

    boolean[] nulls = null;
    int nullCount = 0;
    if ((flags & SegmentFormat.PAGE_FLAG_HAS_NULLS) != 0) {
      int bitmapLength = (rowCount + 7) / 8;
      int start = body.require(bitmapLength, "null bitmap");
      byte[] array = body.array();
      nulls = new boolean[rowCount];
      for (int row = 0; row < rowCount; row++) {
        if ((array[start + (row >>> 3)] & (1 << (row & 7))) != 0) {
          nulls[row] = true;
          nullCount++;
        }
      }
      if (rowCount % 8 != 0 && (array[start + bitmapLength - 1] & 0xFF) >>> (rowCount % 8) != 0) {
        throw new FormatException("null bitmap has bits set past the last row");
      }
      body.skip(bitmapLength, "null bitmap");
    }
    if (nullCount != expectedNulls) {
      throw new FormatException(
          "page has " + nullCount + " nulls, the page directory says " + expectedNulls);
    }
    int nonNull = rowCount - nullCount;
    DecodedPage page = new DecodedPage(rowCount, nulls);
    switch (storageType) {
      case INT64 -> {
        long[] values = new long[rowCount];
        LongPageCodec.decode(encoding, body, nonNull, values);
        if (nulls != null) {
          int source = nonNull - 1;
          for (int row = rowCount - 1; row >= 0; row--) {
            values[row] = nulls[row] ? 0 : values[source--];
          }
        }
        page.longs = values;
      }
      case FLOAT32, FLOAT64 -> {
        double[] values = new double[rowCount];
        DoublePageCodec.decode(storageType, encoding, body, nonNull, values);
        if (nulls != null) {
          int source = nonNull - 1;
          for (int row = rowCount - 1; row >= 0; row--) {
            values[row] = nulls[row] ? 0 : values[source--];
          }
        }
        page.doubles = values;
      }
      case INT128 -> {
        long[] low = new long[rowCount];
        // Most pages hold only values that fit in 64 bits: those decode their low halves alone.
        long[] high = null;
        if (!Int128PageCodec.decodeIfFitsInLow(encoding, body, nonNull, low)) {
          high = new long[rowCount];
          Int128PageCodec.decode(encoding, body, nonNull, low, high);
        }
        if (nulls != null) {
          int source = nonNull - 1;
          for (int row = rowCount - 1; row >= 0; row--) {
            boolean isNull = nulls[row];
            low[row] = isNull ? 0 : low[source];
            if (high != null) {
              high[row] = isNull ? 0 : high[source];
            }
            source -= isNull ? 0 : 1;
          }
        }
        page.low = low;
        page.high = high == null || fitsInLow(high, low) ? null : high;
      }
      case BINARY -> {
        BytesPageCodec.Values values = BytesPageCodec.decode(encoding, body, nonNull);
        int[] offsets = values.offsets();
        if (nulls != null) {
          int[] expanded = new int[rowCount + 1];
          int source = 0;
          for (int row = 0; row < rowCount; row++) {
            if (!nulls[row]) {
              source++;
            }
            expanded[row + 1] = offsets[source];
          }
          offsets = expanded;
        }
        page.bytes = values.bytes();
        page.offsets = offsets;
        BytesPageCodec.Values entries = values.dictionary();
        if (values.codes() != null && entries.offsets().length - 1 <= MAX_CODED_DICTIONARY) {
          int[] codes = values.codes();
          byte[] rowCodes = new byte[rowCount];
          int source = 0;
          for (int row = 0; row < rowCount; row++) {
            if (nulls == null || !nulls[row]) {
              rowCodes[row] = (byte) codes[source++];
            }
          }
          page.codes = rowCodes;
          page.dictionary =
              new BytesVector(
                  type, entries.bytes(), entries.offsets(), null, entries.offsets().length - 1);
        }
      }
    }
    body.expectEnd("the page values");
    return page;
  }
}
