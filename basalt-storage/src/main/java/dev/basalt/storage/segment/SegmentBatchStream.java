package dev.basalt.storage.segment;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.StorageType;
import dev.basalt.storage.fs.InputFile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The {@link BatchStream} returned by {@link SegmentReader#read}: cuts the requested row range into
 * batches of at most {@link Batch#DEFAULT_SIZE} rows and fills each requested column from its
 * {@link ColumnSource}. Used by one thread.
 */
final class SegmentBatchStream implements BatchStream {
  private final List<ColumnSource> sources;
  private long remaining;

  SegmentBatchStream(List<ColumnSource> sources, long rowCount) {
    this.sources = List.copyOf(sources);
    this.remaining = rowCount;
  }

  @Override
  public Batch next() {
    if (remaining == 0) {
      return null;
    }
    int count = (int) Math.min(Batch.DEFAULT_SIZE, remaining);
    List<ColumnVector> columns = new ArrayList<>(sources.size());
    for (ColumnSource source : sources) {
      columns.add(source.next(count));
    }
    remaining -= count;
    return new Batch(columns, count);
  }

  @Override
  public void close() {
    remaining = 0;
  }

  /** Produces consecutive rows of one output column. */
  interface ColumnSource {
    ColumnVector next(int count);
  }

  /** A column the segment lacks: every row is the request's default. */
  static final class ConstantSource implements ColumnSource {
    private final DataType type;
    private final Object value;
    private ColumnVector cached;

    ConstantSource(DataType type, Object value) {
      this.type = type;
      this.value = value;
    }

    @Override
    public ColumnVector next(int count) {
      // Vectors are immutable, so consecutive full batches share one.
      if (cached == null || cached.size() != count) {
        cached = ColumnVectorBuilder.constant(type, value, count);
      }
      return cached;
    }
  }

  /** A stored column: walks its pages in order, decoding (and checksumming) each once. */
  static final class PageCursor implements ColumnSource {
    private final InputFile file;
    private final ColumnEntry column;
    private final DataType type;
    private final StorageType storageType;
    private long row;
    private int pageIndex = -1;
    private PageEntry entry;
    private DecodedPage page;

    /** Where decoded pages are kept between reads, or null to decode each page for this read. */
    private final PageCache cache;

    PageCursor(InputFile file, ColumnEntry column, long firstRow, PageCache cache) {
      this.file = file;
      this.cache = cache;
      this.column = column;
      this.type = column.column().type();
      this.storageType = StorageType.of(type);
      this.row = firstRow;
    }

    @Override
    public ColumnVector next(int count) {
      boolean[] nulls = null;
      switch (storageType) {
        case INT64 -> {
          long[] values = new long[count];
          for (int filled = 0; filled < count; ) {
            int inPage = positionPage();
            int take = Math.min(count - filled, page.rowCount - inPage);
            System.arraycopy(page.longs, inPage, values, filled, take);
            nulls = copyNulls(nulls, inPage, filled, take, count);
            filled += take;
            row += take;
          }
          return new LongVector(type, values, nulls, count);
        }
        case FLOAT32, FLOAT64 -> {
          double[] values = new double[count];
          for (int filled = 0; filled < count; ) {
            int inPage = positionPage();
            int take = Math.min(count - filled, page.rowCount - inPage);
            System.arraycopy(page.doubles, inPage, values, filled, take);
            nulls = copyNulls(nulls, inPage, filled, take, count);
            filled += take;
            row += take;
          }
          return new DoubleVector(type, values, nulls, count);
        }
        case INT128 -> {
          boolean decimal = type.kind() == dev.basalt.common.type.TypeKind.DECIMAL;
          Object[] values = decimal ? new BigDecimal[count] : new BigInteger[count];
          for (int filled = 0; filled < count; ) {
            int inPage = positionPage();
            int take = Math.min(count - filled, page.rowCount - inPage);
            System.arraycopy(page.objects, inPage, values, filled, take);
            filled += take;
            row += take;
          }
          return decimal
              ? new DecimalVector(type, (BigDecimal[]) values, count)
              : new LargeIntVector(type, (BigInteger[]) values, count);
        }
        case BINARY -> {
          int[] offsets = new int[count + 1];
          byte[] bytes = new byte[0];
          int byteCount = 0;
          for (int filled = 0; filled < count; ) {
            int inPage = positionPage();
            int take = Math.min(count - filled, page.rowCount - inPage);
            int start = page.offsets[inPage];
            int length = page.offsets[inPage + take] - start;
            if (bytes.length - byteCount < length) {
              bytes =
                  Arrays.copyOf(
                      bytes, Math.max(byteCount + length, bytes.length + (bytes.length >> 1)));
            }
            System.arraycopy(page.bytes, start, bytes, byteCount, length);
            int shift = byteCount - start;
            for (int i = 1; i <= take; i++) {
              offsets[filled + i] = page.offsets[inPage + i] + shift;
            }
            byteCount += length;
            nulls = copyNulls(nulls, inPage, filled, take, count);
            filled += take;
            row += take;
          }
          return new BytesVector(type, bytes, offsets, nulls, count);
        }
      }
      throw new IllegalStateException();
    }

    private boolean[] copyNulls(boolean[] nulls, int inPage, int filled, int take, int count) {
      if (page.nulls == null) {
        return nulls;
      }
      boolean[] target = nulls != null ? nulls : new boolean[count];
      System.arraycopy(page.nulls, inPage, target, filled, take);
      return target;
    }

    /** Makes {@link #page} the page holding {@link #row}; returns the row's index in it. */
    private int positionPage() {
      if (entry == null || row >= entry.firstRow() + entry.rowCount()) {
        int index = pageIndex + 1;
        List<PageEntry> pages = column.pages();
        if (entry == null) {
          index = findPage(pages, row);
        }
        load(index);
      }
      return (int) (row - entry.firstRow());
    }

    private static int findPage(List<PageEntry> pages, long row) {
      int low = 0;
      int high = pages.size() - 1;
      while (low < high) {
        int middle = (low + high + 1) >>> 1;
        if (pages.get(middle).firstRow() <= row) {
          low = middle;
        } else {
          high = middle - 1;
        }
      }
      return low;
    }

    private void load(int index) {
      PageEntry next = column.pages().get(index);
      page =
          cache == null
              ? decode(index, next)
              : cache.get(
                  file.path(), column.column().uniqueId(), index, () -> decode(index, next));
      pageIndex = index;
      entry = next;
    }

    private DecodedPage decode(int index, PageEntry next) {
      String where = "page " + index + " of column " + column.column().uniqueId();
      byte[] stored = file.read(next.offset(), next.storedLength());
      CRC32C checksum = new CRC32C();
      checksum.update(stored);
      if ((int) checksum.getValue() != next.checksum()) {
        throw SegmentReader.corruption(file.path(), "checksum mismatch in " + where);
      }
      try {
        return DecodedPage.decode(stored, type, next.rowCount(), next.nullCount());
      } catch (FormatException | IndexOutOfBoundsException | NegativeArraySizeException e) {
        // The checksum matched, so this is a file written wrongly (or forged), still corruption.
        throw SegmentReader.corruption(file.path(), "malformed " + where + ": " + e.getMessage());
      }
    }
  }
}
