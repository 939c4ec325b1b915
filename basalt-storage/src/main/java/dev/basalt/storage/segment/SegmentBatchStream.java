package dev.basalt.storage.segment;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.StorageType;
import dev.basalt.storage.fs.InputFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The {@link BatchStream} returned by {@link SegmentReader#read}: cuts the requested row range into
 * batches of at most {@link Batch#DEFAULT_SIZE} rows and fills each requested column from its
 * {@link ColumnSource}. Used by one thread.
 *
 * <p>With a filter, {@link #next()} decodes the filter columns, selects rows, and decodes the other
 * columns only at the selected rows (late materialization), gathering the filter columns' selected
 * rows too: a compacted batch. A filter's further {@linkplain SegmentFilter#steps() steps} decode
 * their columns only at the rows still kept once fewer than 1 in {@link #SELECTED_FROM} rows are
 * (TPC-H q06 keeps 15 % of lineitem by its first condition, on the ship date, and tests the
 * discount and quantity of those rows only), for every row otherwise. {@link #nextSelected()} (a
 * consumer that reads selections in place) does the same for a sparse selection, but when at least
 * 1 in {@link #SELECTED_FROM} rows survives it decodes every column whole (page copies rather than
 * a gather per row) and hands the batch on with its selection, so nothing is gathered at all
 * (docs/benchmarks.md, "Positions-based aggregation").
 */
final class SegmentBatchStream implements BatchStream {
  private final List<ColumnSource> sources;
  private final SegmentFilter filter;
  private final List<List<PageMetadata>> boundPages;
  private final ScanCounters counters;
  private long row;
  private final long end;
  private int[] selected = new int[0];

  /**
   * Whether the last batch with rows left the stream compacted (by a gather of its kept rows): the
   * next batch's selector columns are then decoded into {@link #scratches}.
   */
  private boolean compactedBefore;

  private Scratch[] scratches = new Scratch[0];

  /** {@link #nextSelected()} hands a selection on when it keeps at least 1 in this many rows. */
  static final int SELECTED_FROM = 2;

  /**
   * Streams rows {@code [firstRow, firstRow + rowCount)}; with a {@code filter} only the rows it
   * selects. {@code boundPages} holds, per bound of the filter, the page directory of its column
   * (or {@code null} when the segment lacks the column).
   */
  SegmentBatchStream(
      List<ColumnSource> sources,
      long firstRow,
      long rowCount,
      SegmentFilter filter,
      List<List<PageMetadata>> boundPages,
      ScanCounters counters) {
    this.sources = List.copyOf(sources);
    this.row = firstRow;
    this.end = firstRow + rowCount;
    this.filter = filter;
    this.boundPages = boundPages;
    this.counters = counters;
  }

  @Override
  public Batch next() {
    return read(false);
  }

  @Override
  public Batch nextSelected() {
    return read(true);
  }

  /** The next batch; with a selection only when {@code selections} and the selection is dense. */
  private Batch read(boolean selections) {
    while (row < end) {
      // A cancellation check belongs here, once per batch.
      int count = (int) Math.min(Batch.DEFAULT_SIZE, end - row);
      long first = row;
      row += count;
      counters.rowsScanned(count);
      if (filter == null) {
        List<ColumnVector> columns = new ArrayList<>(sources.size());
        for (ColumnSource source : sources) {
          columns.add(source.next(count));
        }
        counters.rowsReturned(count);
        return new Batch(columns, count);
      }
      if (!zoneMapsMayMatch(first, count)) {
        sources.forEach(source -> source.skipRuledOut(count));
        counters.rowsSkippedByZoneMaps(count);
        continue;
      }
      int[] filterColumns = filter.filterColumns();
      List<ColumnVector> decoded = new ArrayList<>(filterColumns.length);
      // While batches come out compacted, the selector's columns are decoded into reused arrays.
      boolean scratched = compactedBefore;
      if (scratched && scratches.length < filterColumns.length) {
        scratches = new Scratch[filterColumns.length];
        for (int i = 0; i < scratches.length; i++) {
          scratches[i] = new Scratch();
        }
      }
      for (int i = 0; i < filterColumns.length; i++) {
        ColumnSource source = sources.get(filterColumns[i]);
        decoded.add(scratched ? source.next(count, scratches[i]) : source.next(count));
      }
      if (selected.length < count) {
        selected = new int[count];
      }
      int kept = filter.selector().select(new Batch(decoded, count), first, selected);
      // The columns of every row of the batch (the selector's, and the steps' while many rows are
      // kept), and the steps' columns decoded at some rows only: stepRows[c] are the offsets of
      // stepVectors[c]'s rows.
      ColumnVector[] whole = new ColumnVector[sources.size()];
      for (int i = 0; i < filterColumns.length; i++) {
        whole[filterColumns[i]] = decoded.get(i);
      }
      ColumnVector[] stepVectors = null;
      int[][] stepRows = null;
      if (!filter.steps().isEmpty()) {
        boolean wholeSteps = kept == count || (long) kept * SELECTED_FROM >= count;
        if (!wholeSteps) {
          stepVectors = new ColumnVector[sources.size()];
          stepRows = new int[sources.size()][];
        }
        for (SegmentFilter.Step step : filter.steps()) {
          if (kept == 0) {
            break;
          }
          kept =
              wholeSteps
                  ? wholeStep(step, count, kept, whole)
                  : sparseStep(step, count, kept, stepVectors, stepRows);
        }
      }
      counters.rowsReturned(kept);
      if (kept == 0) {
        for (int column = 0; column < sources.size(); column++) {
          if (whole[column] == null && (stepVectors == null || stepVectors[column] == null)) {
            sources.get(column).skip(count);
          }
        }
        continue;
      }
      boolean handedOn =
          kept == count
              || (selections && stepVectors == null && (long) kept * SELECTED_FROM >= count);
      compactedBefore = !handedOn;
      if (handedOn && scratched) {
        // The guess was wrong: the selector's vectors leave the stream, so they get arrays of
        // their own.
        int[] every = new int[count];
        for (int row = 0; row < count; row++) {
          every[row] = row;
        }
        for (int i = 0; i < filterColumns.length; i++) {
          whole[filterColumns[i]] = ColumnVectors.take(decoded.get(i), every, count);
        }
      }
      if (selections
          && stepVectors == null
          && kept < count
          && (long) kept * SELECTED_FROM >= count) {
        ColumnVector[] columns = new ColumnVector[sources.size()];
        for (int column = 0; column < sources.size(); column++) {
          columns[column] = whole[column] != null ? whole[column] : sources.get(column).next(count);
        }
        return Batch.selected(Arrays.asList(columns), count, Arrays.copyOf(selected, kept), kept);
      }
      // Late materialization: the other columns are decoded only where a row survived.
      ColumnVector[] columns = new ColumnVector[sources.size()];
      for (int column = 0; column < sources.size(); column++) {
        if (whole[column] != null) {
          columns[column] =
              kept == count ? whole[column] : ColumnVectors.take(whole[column], selected, kept);
        } else if (stepVectors != null && stepVectors[column] != null) {
          columns[column] = keptOf(stepVectors[column], stepRows[column], kept);
        } else {
          ColumnSource source = sources.get(column);
          columns[column] = kept == count ? source.next(count) : source.take(count, selected, kept);
        }
      }
      return new Batch(Arrays.asList(columns), kept);
    }
    return null;
  }

  /**
   * Runs {@code step} over its columns decoded for all {@code count} rows of the batch (noted in
   * {@code whole}); narrows {@link #selected}.
   */
  private int wholeStep(SegmentFilter.Step step, int count, int kept, ColumnVector[] whole) {
    List<ColumnVector> columns = new ArrayList<>(step.columns().length);
    for (int column : step.columns()) {
      whole[column] = sources.get(column).next(count);
      columns.add(whole[column]);
    }
    return step.refiner().refine(new Batch(columns, count), selected, kept);
  }

  /**
   * Runs {@code step} over its columns decoded only at the {@code kept} rows of {@link #selected}
   * (noted in {@code stepVectors} with those rows in {@code stepRows}); narrows {@link #selected}.
   */
  private int sparseStep(
      SegmentFilter.Step step, int count, int kept, ColumnVector[] stepVectors, int[][] stepRows) {
    int[] rows = Arrays.copyOf(selected, kept);
    List<ColumnVector> columns = new ArrayList<>(step.columns().length);
    for (int column : step.columns()) {
      stepVectors[column] = sources.get(column).take(count, rows, kept);
      stepRows[column] = rows;
      columns.add(stepVectors[column]);
    }
    int[] local = new int[kept];
    for (int i = 0; i < kept; i++) {
      local[i] = i;
    }
    int stillKept = step.refiner().refine(new Batch(columns, kept), local, kept);
    for (int i = 0; i < stillKept; i++) {
      selected[i] = rows[local[i]];
    }
    return stillKept;
  }

  /**
   * The rows {@code selected[0 .. kept)} of {@code vector}, whose rows are those at the offsets
   * {@code rows} (a superset, ascending, as are the selected offsets).
   */
  private ColumnVector keptOf(ColumnVector vector, int[] rows, int kept) {
    if (rows.length == kept) {
      return vector;
    }
    int[] indexes = new int[kept];
    int index = 0;
    for (int i = 0; i < kept; i++) {
      while (rows[index] != selected[i]) {
        index++;
      }
      indexes[i] = index;
    }
    return ColumnVectors.take(vector, indexes, kept);
  }

  /** Whether every bound may hold in rows {@code [first, first + count)}, by page zone maps. */
  private boolean zoneMapsMayMatch(long first, int count) {
    List<ColumnBound> bounds = filter.bounds();
    for (int b = 0; b < bounds.size(); b++) {
      List<PageMetadata> pages = boundPages.get(b);
      if (pages == null) {
        continue;
      }
      ColumnBound bound = bounds.get(b);
      boolean any = false;
      for (int index = firstPageAtOrAfter(pages, first);
          index < pages.size() && pages.get(index).firstRow() < first + count && !any;
          index++) {
        any = bound.mayMatch(pages.get(index).zoneMap());
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  /** The index of the page holding {@code row} (pages tile the segment in row order). */
  private static int firstPageAtOrAfter(List<PageMetadata> pages, long row) {
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

  @Override
  public void close() {
    row = end;
  }

  /** Produces consecutive rows of one output column. */
  interface ColumnSource {
    /** The next {@code count} rows. */
    ColumnVector next(int count);

    /**
     * As {@link #next}, but the vector may hold {@code scratch}'s array instead of a new one (when
     * its values fit one; nulls are never in it): the caller uses the vector only until it passes
     * the same scratch again, and copies it before handing it on.
     */
    default ColumnVector next(int count, Scratch scratch) {
      return next(count);
    }

    /** Moves past the next {@code count} rows without decoding them. */
    void skip(int count);

    /**
     * Moves past the next {@code count} rows, which zone maps ruled out, without decoding them;
     * counts the pages this leaves unread (see {@link ScanCounters#pagesSkippedByZoneMaps}).
     */
    default void skipRuledOut(int count) {
      skip(count);
    }

    /**
     * Rows {@code positions[0 .. selected)} (ascending offsets) of the next {@code count} rows,
     * then moves past all {@code count}; pages without a selected row are not decoded.
     */
    ColumnVector take(int count, int[] positions, int selected);
  }

  /**
   * Arrays a stream reuses from batch to batch for a filter column's values when the batch is
   * expected to be compacted (its vector then lives only until the gather of the kept rows):
   * allocating and zeroing a fresh array per column and batch was a quarter of TPC-H q06's samples.
   */
  static final class Scratch {
    private long[] longs = new long[0];
    private double[] doubles = new double[0];

    long[] longs(int count) {
      if (longs.length < count) {
        longs = new long[Math.max(count, Batch.DEFAULT_SIZE)];
      }
      return longs;
    }

    double[] doubles(int count) {
      if (doubles.length < count) {
        doubles = new double[Math.max(count, Batch.DEFAULT_SIZE)];
      }
      return doubles;
    }
  }

  /**
   * A stored column read as a wider type of the same layout ({@link ColumnVector#withType}): the
   * segment was written before a MODIFY COLUMN.
   */
  static final class RelabeledSource implements ColumnSource {
    private final ColumnSource stored;
    private final DataType type;

    RelabeledSource(ColumnSource stored, DataType type) {
      this.stored = stored;
      this.type = type;
    }

    @Override
    public ColumnVector next(int count) {
      return stored.next(count).withType(type);
    }

    @Override
    public void skip(int count) {
      stored.skip(count);
    }

    @Override
    public void skipRuledOut(int count) {
      stored.skipRuledOut(count);
    }

    @Override
    public ColumnVector take(int count, int[] positions, int selected) {
      return stored.take(count, positions, selected).withType(type);
    }
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

    @Override
    public void skip(int count) {}

    @Override
    public ColumnVector take(int count, int[] positions, int selected) {
      return next(selected);
    }
  }

  /** A stored column: walks its pages in order, decoding (and checksumming) each once. */
  static final class PageCursor implements ColumnSource {
    private final InputFile file;
    private final ScanCounters counters;
    private final ColumnEntry column;
    private final DataType type;
    private final StorageType storageType;
    private long row;
    private int pageIndex = -1;
    private PageEntry entry;
    private DecodedPage page;

    /** The read's rows: {@code [readStart, readEnd)}. */
    private final long readStart;

    private final long readEnd;

    /**
     * The current run of rows that zone maps ruled out, {@code [ruledOutStart, ruledOutEnd)}: a run
     * goes on while each skip starts where the last one ended (nothing was read in between).
     */
    private long ruledOutStart = -1;

    private long ruledOutEnd = -1;

    /** Where decoded pages are kept between reads, or null to decode each page for this read. */
    private final PageCache cache;

    /** This column's pages in {@link #cache}, looked up at the first page read. */
    private PageCache.ColumnPages cachedPages;

    /** Reads rows {@code [firstRow, endRow)} of {@code column}. */
    PageCursor(
        InputFile file,
        ColumnEntry column,
        long firstRow,
        long endRow,
        ScanCounters counters,
        PageCache cache) {
      this.file = file;
      this.counters = counters;
      this.cache = cache;
      this.column = column;
      this.type = column.column().type();
      this.storageType = StorageType.of(type);
      this.row = firstRow;
      this.readStart = firstRow;
      this.readEnd = endRow;
    }

    @Override
    public ColumnVector next(int count) {
      return next(count, null);
    }

    @Override
    public ColumnVector next(int count, Scratch scratch) {
      boolean[] nulls = null;
      switch (storageType) {
        case INT64 -> {
          long[] values = scratch == null ? new long[count] : scratch.longs(count);
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
          double[] values = scratch == null ? new double[count] : scratch.doubles(count);
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
          if (type.kind() == TypeKind.DECIMAL) {
            ColumnVector scaled = nextScaledDecimals(count, scratch);
            if (scaled != null) {
              return scaled;
            }
          }
          long[] highs = new long[count];
          long[] lows = new long[count];
          for (int filled = 0; filled < count; ) {
            int inPage = positionPage();
            int take = Math.min(count - filled, page.rowCount - inPage);
            System.arraycopy(page.low, inPage, lows, filled, take);
            if (page.high != null) {
              System.arraycopy(page.high, inPage, highs, filled, take);
            } else {
              for (int i = filled; i < filled + take; i++) {
                highs[i] = lows[i] >> 63;
              }
            }
            nulls = copyNulls(nulls, inPage, filled, take, count);
            filled += take;
            row += take;
          }
          return int128Vector(highs, lows, nulls, count);
        }
        case BINARY -> {
          int[] offsets = new int[count + 1];
          byte[] bytes = new byte[0];
          int byteCount = 0;
          BatchDictionary dictionary = new BatchDictionary();
          for (int filled = 0; filled < count; ) {
            int inPage = positionPage();
            int take = Math.min(count - filled, page.rowCount - inPage);
            dictionary.addRange(page, inPage, filled, take);
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
          return dictionary.attach(new BytesVector(type, bytes, offsets, nulls, count));
        }
      }
      throw new IllegalStateException();
    }

    /**
     * The next {@code count} DECIMAL values as scaled longs straight from the pages' low words, or
     * {@code null} (with the cursor where it was) when one of them needs more than 64 bits.
     */
    private ColumnVector nextScaledDecimals(int count, Scratch scratch) {
      long first = row;
      long[] values = scratch == null ? new long[count] : scratch.longs(count);
      boolean[] nulls = null;
      for (int filled = 0; filled < count; ) {
        int inPage = positionPage();
        int take = Math.min(count - filled, page.rowCount - inPage);
        if (page.high != null) {
          for (int i = 0; i < take; i++) {
            if (!page.int128FitsLong(inPage + i)) {
              row = first;
              if (first < entry.firstRow()) {
                entry = null; // the next read looks the page up again
              }
              return null;
            }
          }
        }
        System.arraycopy(page.low, inPage, values, filled, take);
        nulls = copyNulls(nulls, inPage, filled, take, count);
        filled += take;
        row += take;
      }
      return new DecimalVector(type, values, nulls, count);
    }

    @Override
    public void skip(int count) {
      row += count;
    }

    /**
     * Counts a page as skipped when every row of it that the read covers lies in one run of
     * ruled-out rows: such a page is never loaded. Counted once, by the skip that passes its last
     * row; a page partly read or partly skipped for another reason (no row of a batch survived the
     * filter) is not counted.
     */
    @Override
    public void skipRuledOut(int count) {
      if (count <= 0) {
        return;
      }
      if (ruledOutEnd != row) {
        ruledOutStart = row;
      }
      long end = row + count;
      List<PageEntry> pages = column.pages();
      int skipped = 0;
      for (int index = findPage(pages, row); index < pages.size(); index++) {
        PageEntry candidate = pages.get(index);
        if (candidate.firstRow() >= end) {
          break;
        }
        long coveredStart = Math.max(candidate.firstRow(), readStart);
        long coveredEnd = Math.min(candidate.firstRow() + candidate.rowCount(), readEnd);
        if (coveredStart >= ruledOutStart && coveredEnd > row && coveredEnd <= end) {
          skipped++;
        }
      }
      if (skipped > 0) {
        counters.pagesSkippedByZoneMaps(skipped);
      }
      row = end;
      ruledOutEnd = end;
    }

    @Override
    public ColumnVector take(int count, int[] positions, int selected) {
      long first = row;
      boolean[] nulls = null;
      long[] longs = null;
      long[] highs = null;
      double[] doubles = null;
      int[] offsets = null;
      byte[] bytes = null;
      int byteCount = 0;
      BatchDictionary dictionary = null;
      boolean scaledDecimals = storageType == StorageType.INT128 && type.kind() == TypeKind.DECIMAL;
      switch (storageType) {
        case INT64 -> longs = new long[selected];
        case FLOAT32, FLOAT64 -> doubles = new double[selected];
        case INT128 -> {
          longs = new long[selected];
          if (!scaledDecimals) {
            highs = new long[selected];
          }
        }
        case BINARY -> {
          offsets = new int[selected + 1];
          bytes = new byte[0];
          dictionary = new BatchDictionary();
        }
      }
      // Page by page: the positions that fall in one page are gathered in one tight loop.
      for (int i = 0; i < selected; ) {
        row = first + positions[i];
        positionPage();
        int base = (int) (entry.firstRow() - first);
        long pageEnd = entry.firstRow() + entry.rowCount() - first;
        int end = i;
        while (end < selected && positions[end] < pageEnd) {
          end++;
        }
        if (page.nulls != null) {
          for (int k = i; k < end; k++) {
            if (page.nulls[positions[k] - base]) {
              nulls = nulls != null ? nulls : new boolean[selected];
              nulls[k] = true;
            }
          }
        }
        switch (storageType) {
          case INT64 -> {
            long[] source = page.longs;
            for (int k = i; k < end; k++) {
              longs[k] = source[positions[k] - base];
            }
          }
          case FLOAT32, FLOAT64 -> {
            double[] source = page.doubles;
            for (int k = i; k < end; k++) {
              doubles[k] = source[positions[k] - base];
            }
          }
          case INT128 -> {
            long[] pageLows = page.low;
            long[] pageHighs = page.high;
            for (int k = i; k < end; k++) {
              int inPage = positions[k] - base;
              long low = pageLows[inPage];
              longs[k] = low;
              long high = pageHighs == null ? low >> 63 : pageHighs[inPage];
              if (highs != null) {
                highs[k] = high;
              } else if (high != (low >> 63)) {
                // A DECIMAL beyond 64 bits: the rows taken so far move to the 128-bit layout.
                scaledDecimals = false;
                highs = new long[selected];
                for (int taken = 0; taken < k; taken++) {
                  highs[taken] = longs[taken] >> 63;
                }
                highs[k] = high;
              }
            }
          }
          case BINARY -> {
            dictionary.addPositions(page, positions, i, end, base);
            int[] pageOffsets = page.offsets;
            for (int k = i; k < end; k++) {
              int inPage = positions[k] - base;
              int start = pageOffsets[inPage];
              int length = pageOffsets[inPage + 1] - start;
              if (bytes.length - byteCount < length) {
                bytes =
                    Arrays.copyOf(
                        bytes, Math.max(byteCount + length, bytes.length + (bytes.length >> 1)));
              }
              System.arraycopy(page.bytes, start, bytes, byteCount, length);
              byteCount += length;
              offsets[k + 1] = byteCount;
            }
          }
        }
        i = end;
      }
      row = first + count;
      return switch (storageType) {
        case INT64 -> new LongVector(type, longs, nulls, selected);
        case FLOAT32, FLOAT64 -> new DoubleVector(type, doubles, nulls, selected);
        case INT128 ->
            scaledDecimals
                ? new DecimalVector(type, longs, nulls, selected)
                : int128Vector(highs, longs, nulls, selected);
        case BINARY -> dictionary.attach(new BytesVector(type, bytes, offsets, nulls, selected));
      };
    }

    /** A 128-bit DECIMAL or LARGEINT vector over the halves; takes ownership of the arrays. */
    private ColumnVector int128Vector(long[] highs, long[] lows, boolean[] nulls, int count) {
      return type.kind() == TypeKind.DECIMAL
          ? new DecimalVector(type, highs, lows, nulls, count)
          : new LargeIntVector(type, highs, lows, nulls, count);
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
        // Usually the next page; after skipped rows, wherever the row lies.
        List<PageEntry> pages = column.pages();
        int index = pageIndex + 1;
        if (entry == null
            || index >= pages.size()
            || row >= pages.get(index).firstRow() + pages.get(index).rowCount()) {
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
      if (cache == null) {
        page = decode(index, next);
      } else {
        if (cachedPages == null) {
          cachedPages =
              cache.column(file.path(), column.column().uniqueId(), column.pages().size());
        }
        page = cachedPages.get(index, () -> decode(index, next));
      }
      pageIndex = index;
      entry = next;
    }

    private DecodedPage decode(int index, PageEntry next) {
      counters.pageDecoded();
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

  /**
   * The dictionary codes of one batch of a string column, noted while its bytes are copied: when
   * every row comes from a dictionary-encoded page, the batch carries codes into the pages'
   * dictionaries laid one after the other (a batch usually spans one or two pages). One row from a
   * page without codes (plain: too many distinct values; or a dictionary of more than {@link
   * DecodedPage#MAX_CODED_DICTIONARY} entries) and the batch has none. The codes themselves are
   * copied out of the pages only when a consumer asks for them ({@link
   * BytesVector#dictionaryCodes}): a scan whose filters and aggregations never use them pays a
   * small record per page run, not a pass over the rows. Used by one thread, for one batch.
   */
  static final class BatchDictionary {
    private final List<Run> runs = new ArrayList<>(2);
    private final List<BytesVector> parts = new ArrayList<>(2);
    private DecodedPage lastPage;
    private int lastBase;
    private int entries;
    private boolean usable = true;

    /**
     * Rows {@code [firstRow, firstRow + count)} of the batch hold codes {@code pageCodes[inPage +
     * i] + base}, or, when {@code positions} is set, {@code pageCodes[positions[i] - inPage] +
     * base}. Holds only page codes (immutable) and its own copy of positions.
     */
    private record Run(
        byte[] pageCodes, int base, int firstRow, int inPage, int[] positions, int count) {
      void fill(int[] codes) {
        if (positions == null) {
          for (int i = 0; i < count; i++) {
            codes[firstRow + i] = (pageCodes[inPage + i] & 0xFF) + base;
          }
        } else {
          for (int i = 0; i < count; i++) {
            codes[firstRow + i] = (pageCodes[positions[i] - inPage] & 0xFF) + base;
          }
        }
      }
    }

    /** Rows {@code [inPage, inPage + take)} of {@code page} become rows from {@code filled}. */
    void addRange(DecodedPage page, int inPage, int filled, int take) {
      int base = baseOf(page);
      if (base >= 0) {
        runs.add(new Run(page.codes, base, filled, inPage, null, take));
      }
    }

    /**
     * Rows {@code positions[from .. end) - pageStart} of {@code page} become rows {@code from ..
     * end}.
     */
    void addPositions(DecodedPage page, int[] positions, int from, int end, int pageStart) {
      int base = baseOf(page);
      if (base >= 0) {
        int[] copied = Arrays.copyOfRange(positions, from, end);
        runs.add(new Run(page.codes, base, from, pageStart, copied, end - from));
      }
    }

    /** Where {@code page}'s entries start in the batch's dictionary, or -1 when it has none. */
    private int baseOf(DecodedPage page) {
      if (!usable || page.codes == null) {
        usable = false;
        return -1;
      }
      if (page != lastPage) {
        lastPage = page;
        lastBase = entries;
        parts.add(page.dictionary);
        entries += page.dictionary.size();
      }
      return lastBase;
    }

    /** {@code vector} with the batch's codes, or as it is when a row had none. */
    BytesVector attach(BytesVector vector) {
      if (!usable || parts.isEmpty()) {
        return vector;
      }
      Run[] batchRuns = runs.toArray(Run[]::new);
      BytesVector.CodeSource codes =
          (into, rows) -> {
            for (Run run : batchRuns) {
              run.fill(into);
            }
          };
      return vector.withDictionary(codes, parts.size() == 1 ? parts.get(0) : concatenate(parts));
    }

    private static BytesVector concatenate(List<BytesVector> parts) {
      int total = 0;
      int count = 0;
      for (BytesVector part : parts) {
        total += part.rawBytes().length;
        count += part.size();
      }
      byte[] bytes = new byte[total];
      int[] offsets = new int[count + 1];
      int written = 0;
      int entry = 0;
      for (BytesVector part : parts) {
        byte[] raw = part.rawBytes();
        System.arraycopy(raw, 0, bytes, written, raw.length);
        for (int i = 0; i < part.size(); i++) {
          offsets[++entry] = written + part.offset(i) + part.byteLength(i);
        }
        written += raw.length;
      }
      return new BytesVector(parts.get(0).type(), bytes, offsets, null, count);
    }
  }
}
