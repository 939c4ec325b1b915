package dev.basalt.storage.segment;

import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.storage.encoding.BytesPageCodec;
import dev.basalt.storage.encoding.Compression;
import dev.basalt.storage.encoding.DoublePageCodec;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.encoding.Int128PageCodec;
import dev.basalt.storage.encoding.LittleEndianOutput;
import dev.basalt.storage.encoding.LongPageCodec;
import dev.basalt.storage.encoding.StorageType;
import dev.basalt.storage.fs.OutputFile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.zip.CRC32C;

/**
 * Buffers one column's values until a page is full, then encodes, compresses, checksums and writes
 * the page and records its directory entry. Values are kept densely (non-null values only) in
 * primitive arrays plus a null flag per row, which is exactly what the encoders consume. Used by
 * the one thread that drives its {@link SegmentWriter}.
 */
final class ColumnWriter {
  private final SegmentColumn column;
  private final StorageType storageType;
  private final SegmentWriterOptions options;
  private final OutputFile file;
  private final LittleEndianOutput body;
  private final int maxRows;

  /**
   * A null flag per buffered row; allocated at the first NULL (most columns of a load have none).
   */
  private boolean[] nulls;

  private int rows;
  private int nonNull;
  private boolean anyNull;
  private long bufferedBodyBytes;
  private long[] longs;
  private long[] highs;
  private double[] doubles;
  private byte[] bytes;
  private int[] offsets;

  /**
   * A page whose compression saves less than 1/{@value} of its body is a sign that the column's
   * pages do not compress.
   */
  private static final int MIN_COMPRESSION_GAIN = 16;

  /** After such a page, this many of the column's pages are stored without trying to compress. */
  static final int PAGES_WITHOUT_COMPRESSION = 15;

  private int pagesBeforeCompressionRetry;

  private final List<PageEntry> pages = new ArrayList<>();
  private long firstRowOfPage;
  private long nullCount;
  private Object min;
  private Object max;
  private boolean maxUnbounded;

  ColumnWriter(
      SegmentColumn column,
      SegmentWriterOptions options,
      OutputFile file,
      LittleEndianOutput body) {
    this.column = column;
    this.storageType = StorageType.of(column.type());
    this.options = options;
    this.file = file;
    this.body = body;
    this.maxRows = options.maxPageRows();
    int capacity = Math.min(maxRows, 1024);
    switch (storageType) {
      case INT64 -> longs = new long[capacity];
      case FLOAT32, FLOAT64 -> doubles = new double[capacity];
      case INT128 -> {
        longs = new long[capacity];
        highs = new long[capacity];
      }
      case BINARY -> {
        bytes = new byte[4096];
        offsets = new int[capacity + 1];
      }
    }
  }

  /** Appends all rows of {@code vector}, cutting pages as they fill. */
  void append(ColumnVector vector) {
    int size = vector.size();
    switch (storageType) {
      case INT64 -> {
        LongVector longVector = expect(vector, LongVector.class);
        if (!longVector.mayHaveNulls()) {
          // Runs up to the next page cut: no per-row capacity or cut checks.
          for (int row = 0; row < size; ) {
            int run = Math.min(size - row, rowsBeforeCut(8));
            reserveValues(nonNull + run);
            for (int i = 0; i < run; i++) {
              longs[nonNull + i] = longVector.getLong(row + i);
            }
            nonNull += run;
            rows += run;
            bufferedBodyBytes += 8L * run;
            row += run;
            cutPageIfFull();
          }
          return;
        }
        for (int row = 0; row < size; row++) {
          if (longVector.isNull(row)) {
            appendNull();
          } else {
            reserveValues(nonNull + 1);
            longs[nonNull++] = longVector.getLong(row);
            rows++;
            bufferedBodyBytes += 8;
          }
          cutPageIfFull();
        }
      }
      case FLOAT32, FLOAT64 -> {
        DoubleVector doubleVector = expect(vector, DoubleVector.class);
        int width = storageType == StorageType.FLOAT32 ? 4 : 8;
        for (int row = 0; row < size; row++) {
          if (doubleVector.isNull(row)) {
            appendNull();
          } else {
            double value = doubleVector.getDouble(row);
            if (width == 4 && (float) value != value && !Double.isNaN(value)) {
              throw new IllegalArgumentException(
                  "FLOAT value "
                      + value
                      + " of column "
                      + column.uniqueId()
                      + " is not exactly a float");
            }
            reserveValues(nonNull + 1);
            doubles[nonNull++] = value;
            rows++;
            bufferedBodyBytes += width;
          }
          cutPageIfFull();
        }
      }
      case INT128 -> {
        boolean decimal = column.type().kind() == TypeKind.DECIMAL;
        DecimalVector decimalVector = decimal ? expect(vector, DecimalVector.class) : null;
        if (decimal
            && decimalVector.isUnboxed()
            && decimalVector.scale() == column.type().scale()) {
          appendHalves(decimalVector::getHigh, decimalVector::getLow, vector, size);
          return;
        }
        if (!decimal) {
          LargeIntVector largeIntVector = expect(vector, LargeIntVector.class);
          appendHalves(largeIntVector::getHigh, largeIntVector::getLow, vector, size);
          return;
        }
        for (int row = 0; row < size; row++) {
          BigInteger value = unscaled(decimalVector.getDecimal(row));
          if (value == null) {
            appendNull();
          } else {
            if (!Int128PageCodec.fits(value)) {
              throw new IllegalArgumentException(
                  "value "
                      + value
                      + " of column "
                      + column.uniqueId()
                      + " does not fit in 128 bits");
            }
            reserveValues(nonNull + 1);
            longs[nonNull] = Int128PageCodec.low(value);
            highs[nonNull] = Int128PageCodec.high(value);
            nonNull++;
            rows++;
            bufferedBodyBytes += 16;
          }
          cutPageIfFull();
        }
      }
      case BINARY -> {
        BytesVector bytesVector = expect(vector, BytesVector.class);
        for (int row = 0; row < size; row++) {
          if (bytesVector.isNull(row)) {
            appendNull();
          } else {
            int length = bytesVector.byteLength(row);
            if (nonNull == offsets.length - 1) {
              reserveValues(nonNull + 1);
            }
            int end = offsets[nonNull];
            if (bytes.length - end < length) {
              // Straight to a page's worth: a page of strings is cut near targetPageBytes.
              bytes =
                  Arrays.copyOf(
                      bytes,
                      (int)
                          Math.min(
                              Integer.MAX_VALUE - 16,
                              Math.max(
                                  Math.max(bytes.length * 2L, (long) end + length),
                                  options.targetPageBytes())));
            }
            System.arraycopy(bytesVector.rawBytes(), bytesVector.offset(row), bytes, end, length);
            offsets[++nonNull] = end + length;
            rows++;
            bufferedBodyBytes += 4 + length;
          }
          cutPageIfFull();
        }
      }
    }
  }

  /** Appends the rows of an unboxed DECIMAL or a LARGEINT vector, read as 128-bit halves. */
  private void appendHalves(
      IntToLongFunction high, IntToLongFunction low, ColumnVector vector, int size) {
    if (!vector.mayHaveNulls()) {
      for (int row = 0; row < size; ) {
        int run = Math.min(size - row, rowsBeforeCut(16));
        reserveValues(nonNull + run);
        for (int i = 0; i < run; i++) {
          longs[nonNull + i] = low.applyAsLong(row + i);
          highs[nonNull + i] = high.applyAsLong(row + i);
        }
        nonNull += run;
        rows += run;
        bufferedBodyBytes += 16L * run;
        row += run;
        cutPageIfFull();
      }
      return;
    }
    for (int row = 0; row < size; row++) {
      if (vector.isNull(row)) {
        appendNull();
      } else {
        reserveValues(nonNull + 1);
        longs[nonNull] = low.applyAsLong(row);
        highs[nonNull] = high.applyAsLong(row);
        nonNull++;
        rows++;
        bufferedBodyBytes += 16;
      }
      cutPageIfFull();
    }
  }

  private BigInteger unscaled(BigDecimal value) {
    if (value == null) {
      return null;
    }
    int scale = column.type().scale();
    if (value.scale() != scale) {
      try {
        value = value.setScale(scale, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "value "
                + value
                + " of column "
                + column.uniqueId()
                + " has more than "
                + scale
                + " fractional digits");
      }
    }
    return value.unscaledValue();
  }

  private <T extends ColumnVector> T expect(ColumnVector vector, Class<T> vectorClass) {
    if (!vectorClass.isInstance(vector)) {
      throw new IllegalArgumentException(
          "column "
              + column.uniqueId()
              + " of type "
              + column.type()
              + " needs a "
              + vectorClass.getSimpleName()
              + ", got a "
              + vector.getClass().getSimpleName());
    }
    return vectorClass.cast(vector);
  }

  private void appendNull() {
    if (!column.nullable()) {
      throw new IllegalArgumentException("NULL in non-nullable column " + column.uniqueId());
    }
    if (nulls == null) {
      nulls = new boolean[maxRows];
    }
    nulls[rows++] = true;
    anyNull = true;
    bufferedBodyBytes += 1;
  }

  /**
   * Grows the value arrays to hold {@code count} values, at most a page's worth ({@code maxRows}).
   * Past the first 1024 values straight to a page's worth of rows: a writer's arrays are copied
   * once, not at every doubling (segments of loads and compactions fill many pages).
   */
  private void reserveValues(int count) {
    int capacity =
        switch (storageType) {
          case BINARY -> offsets.length - 1;
          case FLOAT32, FLOAT64 -> doubles.length;
          case INT64, INT128 -> longs.length;
        };
    if (count <= capacity) {
      return;
    }
    int newCapacity = maxRows;
    switch (storageType) {
      case INT64 -> longs = Arrays.copyOf(longs, newCapacity);
      case FLOAT32, FLOAT64 -> doubles = Arrays.copyOf(doubles, newCapacity);
      case INT128 -> {
        longs = Arrays.copyOf(longs, newCapacity);
        highs = Arrays.copyOf(highs, newCapacity);
      }
      case BINARY -> offsets = Arrays.copyOf(offsets, newCapacity + 1);
    }
  }

  /**
   * How many rows of {@code bytesPerRow} each fit before the page is cut (the cut {@link
   * #cutPageIfFull} makes after the row that reaches {@link SegmentWriterOptions#maxPageRows} or
   * {@link SegmentWriterOptions#targetPageBytes}); at least 1, as the page is never full between
   * appends.
   */
  private int rowsBeforeCut(int bytesPerRow) {
    long byBytes = (options.targetPageBytes() - bufferedBodyBytes + bytesPerRow - 1) / bytesPerRow;
    return (int) Math.max(1, Math.min(maxRows - rows, byBytes));
  }

  private void cutPageIfFull() {
    if (rows >= maxRows || bufferedBodyBytes >= options.targetPageBytes()) {
      flushPage();
    }
  }

  /** Writes the buffered rows as one page, if there are any. */
  void flushPage() {
    if (rows == 0) {
      return;
    }
    body.reset();
    int flags = 0;
    if (anyNull) {
      flags |= SegmentFormat.PAGE_FLAG_HAS_NULLS;
      writeNullBitmap();
    }
    Encoding encoding;
    // The page's zone map bounds, when encoding found them on the way.
    Object[] bounds = null;
    if (storageType == StorageType.BINARY && options.forcedEncoding() == null) {
      // Choosing builds the page's dictionary; encoding with the choice reuses it, and the bounds
      // come from its distinct values only.
      BytesPageCodec.Chosen chosen =
          BytesPageCodec.encodeChosenWithExtremes(bytes, offsets, nonNull, body);
      encoding = chosen.encoding();
      if (nonNull > 0) {
        bounds = binaryBounds(chosen.minIndex(), chosen.maxIndex());
      }
    } else if (storageType == StorageType.INT64 && options.forcedEncoding() == null) {
      // The bounds are the frame of reference: found once for both.
      if (nonNull > 0) {
        bounds = bounds();
        encoding =
            LongPageCodec.encodeChosen(longs, nonNull, (Long) bounds[0], (Long) bounds[1], body);
      } else {
        encoding = LongPageCodec.encodeChosen(longs, 0, 0, 0, body);
      }
    } else if (storageType == StorageType.INT128) {
      // The bounds tell whether every value fits in 64 bits (a frame of reference): found once for
      // the encoding and the zone map.
      BigInteger smallest = null;
      BigInteger largest = null;
      if (nonNull > 0) {
        bounds = bounds();
        smallest = (BigInteger) bounds[0];
        largest = (BigInteger) bounds[1];
      }
      encoding =
          Int128PageCodec.encode(chooseEncoding(), longs, highs, nonNull, smallest, largest, body);
    } else {
      encoding = chooseEncoding();
      switch (storageType) {
        case INT64 -> LongPageCodec.encode(encoding, longs, nonNull, body);
        case FLOAT32, FLOAT64 -> DoublePageCodec.encode(storageType, doubles, nonNull, body);
        case BINARY -> BytesPageCodec.encode(encoding, bytes, offsets, nonNull, body);
      }
    }
    int uncompressedLength = body.size();
    Compression compression = options.compression();
    byte[] compressed = null;
    if (compression == Compression.NONE) {
      // Stored as is.
    } else if (pagesBeforeCompressionRetry > 0) {
      pagesBeforeCompressionRetry--;
    } else {
      compressed = compression.compress(body.array(), 0, uncompressedLength);
      if ((compressed == null
              || compressed.length > uncompressedLength - uncompressedLength / MIN_COMPRESSION_GAIN)
          && (rows >= options.maxPageRows() / 4
              || uncompressedLength >= options.targetPageBytes() / 4)) {
        // Bit-packed pages (frames of reference, dictionary codes) rarely compress: the column's
        // next pages are stored as they are without trying. A short page (a fragment cut before a
        // copied page, a small load's) says too little about the next ones to decide that.
        pagesBeforeCompressionRetry = PAGES_WITHOUT_COMPRESSION;
      }
    }
    byte[] storedBody = compressed != null ? compressed : body.array();
    int storedBodyLength = compressed != null ? compressed.length : uncompressedLength;
    if (compressed == null) {
      compression = Compression.NONE;
    }

    LittleEndianOutput header = new LittleEndianOutput(SegmentFormat.PAGE_HEADER_SIZE);
    header.writeByte(encoding.id());
    header.writeByte(compression.id());
    header.writeByte(flags);
    header.writeByte(0);
    header.writeInt(rows);
    header.writeInt(uncompressedLength);
    header.writeInt(storedBodyLength);
    CRC32C checksum = new CRC32C();
    checksum.update(header.array(), 0, SegmentFormat.PAGE_HEADER_SIZE);
    checksum.update(storedBody, 0, storedBodyLength);

    long offset = file.position();
    file.write(header.array(), 0, SegmentFormat.PAGE_HEADER_SIZE);
    file.write(storedBody, 0, storedBodyLength);

    int pageNulls = rows - nonNull;
    Object pageMin = null;
    Object pageMax = null;
    if (nonNull > 0) {
      if (bounds == null) {
        bounds = bounds();
      }
      pageMin = bounds[0];
      pageMax = bounds[1];
      min = ZoneValues.min(storageType, min, pageMin);
      if (pageMax == null) {
        maxUnbounded = true;
      } else {
        max = ZoneValues.max(storageType, max, pageMax);
      }
    }
    pages.add(
        new PageEntry(
            offset,
            SegmentFormat.PAGE_HEADER_SIZE + storedBodyLength,
            rows,
            firstRowOfPage,
            (int) checksum.getValue(),
            pageNulls,
            pageMin,
            pageMax));
    firstRowOfPage += rows;
    nullCount += pageNulls;

    if (anyNull) {
      Arrays.fill(nulls, 0, rows, false);
    }
    rows = 0;
    nonNull = 0;
    anyNull = false;
    bufferedBodyBytes = 0;
  }

  private Encoding chooseEncoding() {
    Encoding forced = options.forcedEncoding();
    if (forced != null) {
      return forced.supports(storageType) ? forced : Encoding.PLAIN;
    }
    // INT64 and BINARY pages choose their encoding as they are encoded (flushPage); an INT128
    // page takes a frame of reference where every value fits in 64 bits, as Int128PageCodec
    // decides.
    return storageType == StorageType.INT128 ? Encoding.FRAME_OF_REFERENCE : Encoding.PLAIN;
  }

  private void writeNullBitmap() {
    int byteCount = (rows + 7) / 8;
    body.ensureCapacity(byteCount);
    for (int start = 0; start < rows; start += 8) {
      int bits = 0;
      int end = Math.min(rows, start + 8);
      for (int row = start; row < end; row++) {
        if (nulls[row]) {
          bits |= 1 << (row - start);
        }
      }
      body.writeByte(bits);
    }
  }

  /** {min, max} of the buffered non-null values in stored form; max may be null (unbounded). */
  private Object[] bounds() {
    switch (storageType) {
      case INT64 -> {
        long low = longs[0];
        long high = longs[0];
        for (int i = 1; i < nonNull; i++) {
          low = Math.min(low, longs[i]);
          high = Math.max(high, longs[i]);
        }
        return new Object[] {low, high};
      }
      case FLOAT32, FLOAT64 -> {
        double low = doubles[0];
        double high = doubles[0];
        for (int i = 1; i < nonNull; i++) {
          if (Double.compare(doubles[i], low) < 0) {
            low = doubles[i];
          }
          if (Double.compare(doubles[i], high) > 0) {
            high = doubles[i];
          }
        }
        return new Object[] {low, high};
      }
      case INT128 -> {
        BigInteger[] extremes = Int128PageCodec.bounds(longs, highs, nonNull);
        return new Object[] {extremes[0], extremes[1]};
      }
      case BINARY -> {
        long extremes = BytesPageCodec.extremes(bytes, offsets, null, nonNull);
        return binaryBounds((int) (extremes >> 32), (int) extremes);
      }
    }
    throw new IllegalStateException();
  }

  /** Rows appended so far: those in written pages and those buffered. */
  long rowsWritten() {
    return firstRowOfPage + rows;
  }

  /**
   * Writes a page of another segment (of a version whose pages mean what this version's do, {@link
   * SegmentFormat#OLDEST_PAGE_COPYABLE_VERSION}) as it is stored ({@code stored}: its header and
   * body, whose CRC32C the caller checked against {@code source}), after cutting the buffered rows
   * as a page of their own: compaction's page copy. The page keeps its encoding, compression, row
   * and null counts and zone-map bounds ({@code source}'s, which must be present when the page
   * holds a non-null value); only its offset and first row change.
   */
  void copyPage(PageEntry source, byte[] stored) {
    if (stored.length != source.storedLength()) {
      throw new IllegalArgumentException(
          stored.length + " stored bytes for a page of " + source.storedLength());
    }
    boolean anyValue = source.nullCount() < source.rowCount();
    if (anyValue && source.min() == null) {
      throw new IllegalArgumentException("a copied page with values needs its lower bound");
    }
    if (source.nullCount() > 0 && !column.nullable()) {
      throw new IllegalArgumentException("NULL in non-nullable column " + column.uniqueId());
    }
    flushPage();
    long offset = file.position();
    file.write(stored, 0, stored.length);
    if (anyValue) {
      min = ZoneValues.min(storageType, min, source.min());
      if (source.max() == null) {
        maxUnbounded = true;
      } else {
        max = ZoneValues.max(storageType, max, source.max());
      }
    }
    pages.add(
        new PageEntry(
            offset,
            source.storedLength(),
            source.rowCount(),
            firstRowOfPage,
            source.checksum(),
            source.nullCount(),
            source.min(),
            source.max()));
    firstRowOfPage += source.rowCount();
    nullCount += source.nullCount();
  }

  /** {min, max} of a BINARY page from the indexes of its smallest and largest value. */
  private Object[] binaryBounds(int low, int high) {
    return new Object[] {
      ZoneValues.truncatedMin(bytes, offsets[low], offsets[low + 1]),
      ZoneValues.keptMax(bytes, offsets[high], offsets[high + 1])
    };
  }

  ColumnEntry finish() {
    flushPage();
    return new ColumnEntry(column, nullCount, min, maxUnbounded ? null : max, pages);
  }
}
