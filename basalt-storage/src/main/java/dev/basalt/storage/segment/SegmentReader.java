package dev.basalt.storage.segment;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.StoredTypeChange;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.InputFile;
import dev.basalt.storage.index.PrimaryKeyIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a segment file written by {@link SegmentWriter}.
 *
 * <p>{@link #open} reads and validates the trailer, header and footer (magic, format version,
 * footer checksum, that the page directory tiles the file and adds up to the row count); {@link
 * #read} then decodes pages lazily, verifying each page's CRC32C as it is read. Every inconsistency
 * is a {@code BasaltException} with {@link ErrorCode#STORAGE_CORRUPTION} naming the file and what
 * is wrong; I/O failures are {@link ErrorCode#IO_ERROR}.
 *
 * <p>Thread safety: after {@code open} a reader is immutable and may serve several {@link
 * BatchStream}s on different threads; each stream is used by one thread. The caller owns the reader
 * and closes it after its streams are done.
 */
public final class SegmentReader implements AutoCloseable {
  private final InputFile file;
  private final Footer footer;
  private final SegmentMetadata metadata;
  private final Map<Integer, Integer> columnIndexById;

  private SegmentReader(InputFile file, SegmentFooterCache.Entry parsed) {
    this.file = file;
    this.footer = parsed.footer();
    this.metadata = parsed.metadata();
    this.columnIndexById = parsed.columnIndexById();
  }

  private SegmentReader(InputFile file, Footer footer, int formatVersion) {
    this.file = file;
    this.footer = footer;
    this.columnIndexById = new HashMap<>();
    for (int index = 0; index < footer.columns().size(); index++) {
      columnIndexById.put(footer.columns().get(index).column().uniqueId(), index);
    }
    this.metadata =
        new SegmentMetadata(
            file.path(),
            formatVersion,
            footer.rowCount(),
            file.length(),
            footer.columns().stream()
                .filter(column -> column.column().uniqueId() != RowStoreCodec.COLUMN_ID)
                .map(ColumnEntry::toMetadata)
                .toList());
  }

  /** Opens and validates the segment at {@code path}. */
  public static SegmentReader open(FileSystem fileSystem, String path) {
    InputFile file = fileSystem.open(path);
    try {
      return openValidated(file);
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * As {@link #open(FileSystem, String)}, with the footer from {@code footers} when it was read
   * before (then the file is opened only if a page must be read from it, see {@link
   * SegmentFooterCache}); a footer read now is left there.
   */
  public static SegmentReader open(FileSystem fileSystem, String path, SegmentFooterCache footers) {
    SegmentFooterCache.Entry parsed = footers.get(fileSystem, path);
    if (parsed != null) {
      return new SegmentReader(
          new SegmentFooterCache.LazyInputFile(fileSystem, path, parsed.metadata().fileSize()),
          parsed);
    }
    SegmentReader reader = open(fileSystem, path);
    footers.put(
        fileSystem,
        path,
        new SegmentFooterCache.Entry(
            reader.footer, reader.metadata, Map.copyOf(reader.columnIndexById)));
    return reader;
  }

  private static SegmentReader openValidated(InputFile file) {
    String path = file.path();
    long length = file.length();
    long minimum = SegmentFormat.HEADER_SIZE + SegmentFormat.TRAILER_SIZE;
    if (length < minimum) {
      throw corruption(
          path,
          "file of "
              + length
              + " bytes is shorter than the smallest segment ("
              + minimum
              + " bytes); truncated?");
    }
    LittleEndianInput trailer =
        new LittleEndianInput(
            file.read(length - SegmentFormat.TRAILER_SIZE, SegmentFormat.TRAILER_SIZE));
    long footerLength = Integer.toUnsignedLong(trailer.readInt());
    int footerChecksum = trailer.readInt();
    int version = trailer.readInt();
    int reserved = trailer.readInt();
    byte[] magic = trailer.readBytes(SegmentFormat.MAGIC.length);
    if (!Arrays.equals(magic, SegmentFormat.MAGIC)) {
      throw corruption(
          path, "bad magic at the end of the file (not a Basalt segment, or truncated)");
    }
    if (version < SegmentFormat.OLDEST_READABLE_VERSION || version > SegmentFormat.FORMAT_VERSION) {
      throw corruption(
          path,
          "unsupported segment format version "
              + version
              + " (this build reads versions "
              + SegmentFormat.OLDEST_READABLE_VERSION
              + " to "
              + SegmentFormat.FORMAT_VERSION
              + ")");
    }
    if (reserved != 0) {
      throw corruption(path, "nonzero reserved field in the trailer");
    }
    long footerStart = length - SegmentFormat.TRAILER_SIZE - footerLength;
    if (footerStart < SegmentFormat.HEADER_SIZE) {
      throw corruption(
          path,
          "footer length " + footerLength + " is impossible in a file of " + length + " bytes");
    }
    LittleEndianInput header = new LittleEndianInput(file.read(0, SegmentFormat.HEADER_SIZE));
    if (!Arrays.equals(header.readBytes(SegmentFormat.MAGIC.length), SegmentFormat.MAGIC)) {
      throw corruption(path, "bad magic at the start of the file");
    }
    int headerVersion = header.readInt();
    if (headerVersion != version || header.readInt() != 0) {
      throw corruption(
          path,
          "file header (version "
              + headerVersion
              + ") does not match the trailer (version "
              + version
              + ")");
    }
    byte[] footerBytes = file.read(footerStart, (int) footerLength);
    CRC32C checksum = new CRC32C();
    checksum.update(footerBytes);
    if ((int) checksum.getValue() != footerChecksum) {
      throw corruption(path, "footer checksum mismatch");
    }
    Footer footer;
    try {
      footer = Footer.parse(footerBytes, version);
    } catch (FormatException e) {
      throw corruption(path, "malformed footer: " + e.getMessage());
    }
    validate(path, footer, footerStart);
    return new SegmentReader(file, footer, version);
  }

  /** Checks the directory against itself and the file, so that reads can trust it. */
  private static void validate(String path, Footer footer, long footerStart) {
    long rowCount = footer.rowCount();
    if (rowCount < 0) {
      throw corruption(path, "negative row count " + rowCount);
    }
    List<long[]> extents = new ArrayList<>();
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    for (ColumnEntry column : footer.columns()) {
      int id = column.column().uniqueId();
      if (!ids.add(id)) {
        throw corruption(path, "column unique id " + id + " appears twice");
      }
      long nextRow = 0;
      long nulls = 0;
      for (int index = 0; index < column.pages().size(); index++) {
        PageEntry page = column.pages().get(index);
        String where = "page " + index + " of column " + id;
        if (page.firstRow() != nextRow || page.rowCount() <= 0) {
          throw corruption(
              path,
              where
                  + " covers rows "
                  + page.firstRow()
                  + "+"
                  + page.rowCount()
                  + ", expected to start at row "
                  + nextRow);
        }
        if (page.nullCount() < 0 || page.nullCount() > page.rowCount()) {
          throw corruption(
              path,
              where + " claims " + page.nullCount() + " nulls in " + page.rowCount() + " rows");
        }
        if (page.storedLength() < SegmentFormat.PAGE_HEADER_SIZE
            || page.offset() < SegmentFormat.HEADER_SIZE
            || page.offset() > footerStart - page.storedLength()) {
          throw corruption(
              path,
              where
                  + " at offset "
                  + page.offset()
                  + " with "
                  + page.storedLength()
                  + " bytes lies outside the data region");
        }
        nextRow += page.rowCount();
        nulls += page.nullCount();
        extents.add(new long[] {page.offset(), page.storedLength()});
      }
      if (nextRow != rowCount) {
        throw corruption(
            path,
            "pages of column " + id + " cover " + nextRow + " rows, the segment has " + rowCount);
      }
      if (nulls != column.nullCount() || (!column.column().nullable() && nulls != 0)) {
        throw corruption(
            path,
            "column "
                + id
                + " null count "
                + column.nullCount()
                + " disagrees with its pages ("
                + nulls
                + ")");
      }
    }
    if (footer.hasPrimaryKeyIndex()) {
      if (footer.indexOffset() < SegmentFormat.HEADER_SIZE
          || footer.indexOffset() > footerStart - footer.indexLength()) {
        throw corruption(
            path,
            "primary key index at offset "
                + footer.indexOffset()
                + " with "
                + footer.indexLength()
                + " bytes lies outside the data region");
      }
      extents.add(new long[] {footer.indexOffset(), footer.indexLength()});
    }
    extents.sort((left, right) -> Long.compare(left[0], right[0]));
    long expected = SegmentFormat.HEADER_SIZE;
    for (long[] extent : extents) {
      if (extent[0] != expected) {
        throw corruption(
            path,
            "pages do not tile the data region: a page starts at "
                + extent[0]
                + ", expected "
                + expected);
      }
      expected += extent[1];
    }
    if (expected != footerStart) {
      throw corruption(
          path, "pages end at offset " + expected + " but the footer starts at " + footerStart);
    }
  }

  static BasaltException corruption(String path, String what) {
    return new BasaltException(ErrorCode.STORAGE_CORRUPTION, path, what);
  }

  public String path() {
    return file.path();
  }

  public long rowCount() {
    return footer.rowCount();
  }

  public SegmentMetadata metadata() {
    return metadata;
  }

  /** The segment's columns in stored order. */
  public List<SegmentColumn> schema() {
    return metadata.columns().stream().map(ColumnMetadata::column).toList();
  }

  /** The column with {@code uniqueId} (zone maps, page directory), or {@code null} if absent. */
  public ColumnMetadata column(int uniqueId) {
    Integer index = columnIndexById.get(uniqueId);
    return index == null || uniqueId == RowStoreCodec.COLUMN_ID
        ? null
        : metadata.columns().get(index);
  }

  public boolean hasColumn(int uniqueId) {
    return uniqueId != RowStoreCodec.COLUMN_ID && columnIndexById.containsKey(uniqueId);
  }

  /** Whether the segment has a row-store column (docs/format.md section 14). */
  public boolean hasRowStore() {
    return columnIndexById.containsKey(RowStoreCodec.COLUMN_ID);
  }

  /**
   * Row {@code row} of the requested columns as one single-row batch decoded from the segment's
   * row-store column (one value instead of one page per column; its page comes from {@code cache}
   * when that is not {@code null}), or {@code null} when that cannot answer: the segment has no row
   * store, or a requested column the segment holds is not in it (then read the columns with {@link
   * #read(List, long, long, PageCache)}). Absent columns read as their request's default, as in
   * {@code read}.
   */
  public Batch readRow(List<ColumnRequest> columns, long row, PageCache cache) {
    Integer rowStoreIndex = columnIndexById.get(RowStoreCodec.COLUMN_ID);
    if (rowStoreIndex == null) {
      return null;
    }
    if (row < 0 || row >= rowCount()) {
      throw new IllegalArgumentException(
          "row " + row + " outside a segment of " + rowCount() + " rows");
    }
    int[] ids = new int[columns.size()];
    ColumnVector[] vectors = new ColumnVector[columns.size()];
    for (int i = 0; i < ids.length; i++) {
      ColumnRequest request = columns.get(i);
      ids[i] = request.uniqueId();
      if (!hasColumn(request.uniqueId())) {
        if (request.type() == null) {
          throw new IllegalArgumentException(
              "column "
                  + request.uniqueId()
                  + " is not in segment '"
                  + path()
                  + "' and the request gives no type for a default");
        }
        vectors[i] = ColumnVectorBuilder.constant(request.type(), request.defaultIfAbsent(), 1);
      }
    }
    BytesVector encoded =
        (BytesVector)
            new SegmentBatchStream.PageCursor(
                    file,
                    footer.columns().get(rowStoreIndex),
                    row,
                    row + 1,
                    new ScanCounters(),
                    cache)
                .next(1);
    try {
      RowStoreCodec.decode(
          encoded.rawBytes(),
          encoded.offset(0),
          encoded.byteLength(0),
          this::storedType,
          ids,
          vectors);
    } catch (FormatException e) {
      throw corruption(path(), "malformed row-store row " + row + ": " + e.getMessage());
    }
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i] == null) {
        return null;
      }
      ColumnRequest request = columns.get(i);
      if (request.type() != null && !request.type().equals(vectors[i].type())) {
        vectors[i] = vectors[i].withType(checkedRelabel(vectors[i].type(), request));
      }
    }
    return new Batch(Arrays.asList(vectors), 1);
  }

  /**
   * The request's type, checked to read this segment's stored values unchanged (a MODIFY COLUMN
   * allows only such changes, so anything else is a caller error).
   */
  private DataType checkedRelabel(DataType stored, ColumnRequest request) {
    if (!StoredTypeChange.readsUnchanged(stored, request.type())) {
      throw new IllegalArgumentException(
          "column "
              + request.uniqueId()
              + " is stored as "
              + stored
              + " in segment '"
              + path()
              + "', which does not read as "
              + request.type());
    }
    return request.type();
  }

  private DataType storedType(int uniqueId) {
    ColumnMetadata column = column(uniqueId);
    return column == null ? null : column.column().type();
  }

  /**
   * Streams all rows of the given columns, which must all be in the segment, in the given order, in
   * batches of at most {@code Batch.DEFAULT_SIZE} rows. The caller closes the stream.
   */
  public BatchStream read(List<Integer> columnUniqueIds) {
    return read(columnUniqueIds.stream().map(ColumnRequest::of).toList(), 0, rowCount());
  }

  /**
   * Streams rows {@code [firstRow, firstRow + rowCount)} of the requested columns in the requested
   * order, in batches of at most {@code Batch.DEFAULT_SIZE} rows; absent columns read as their
   * request's default. Only pages overlapping the range are read. An id that is absent and has no
   * {@link ColumnRequest#type()}, a default of the wrong Java type, or a range outside the segment
   * is an {@link IllegalArgumentException}. The caller closes the stream.
   */
  public BatchStream read(List<ColumnRequest> columns, long firstRow, long rowCount) {
    return read(columns, firstRow, rowCount, null, new ScanCounters(), null);
  }

  /**
   * As {@link #read(List, long, long)}, taking decoded pages from {@code cache} and leaving the
   * ones it decodes there (point reads: a few rows, read again and again).
   */
  public BatchStream read(
      List<ColumnRequest> columns, long firstRow, long rowCount, PageCache cache) {
    return read(columns, firstRow, rowCount, null, new ScanCounters(), cache);
  }

  /**
   * Whether some row of the segment may satisfy every bound (indexes into {@code columns}), by the
   * columns' zone maps over the whole segment. Columns the segment lacks are not checked.
   */
  public boolean mayMatch(List<ColumnRequest> columns, List<ColumnBound> bounds) {
    for (ColumnBound bound : bounds) {
      ColumnMetadata column = column(columns.get(bound.column()).uniqueId());
      if (column != null && !bound.mayMatch(column.zoneMap())) {
        return false;
      }
    }
    return true;
  }

  /**
   * As {@link #read(List, long, long)}, returning only the rows {@code filter} keeps (all rows when
   * it is {@code null}); what was skipped and decoded is added to {@code counters}.
   */
  public BatchStream read(
      List<ColumnRequest> columns,
      long firstRow,
      long rowCount,
      SegmentFilter filter,
      ScanCounters counters) {
    return read(columns, firstRow, rowCount, filter, counters, null);
  }

  /**
   * The general read: rows {@code filter} keeps (all when {@code null}), pages from {@code cache}
   * when it is not {@code null} (else decoded for this read only; a scan of hot tables passes the
   * server's scan page cache), counts into {@code counters}.
   */
  public BatchStream read(
      List<ColumnRequest> columns,
      long firstRow,
      long rowCount,
      SegmentFilter filter,
      ScanCounters counters,
      PageCache cache) {
    if (firstRow < 0 || rowCount < 0 || firstRow > rowCount() - rowCount) {
      throw new IllegalArgumentException(
          "rows " + firstRow + "+" + rowCount + " outside a segment of " + rowCount() + " rows");
    }
    List<SegmentBatchStream.ColumnSource> sources = new ArrayList<>();
    for (ColumnRequest request : columns) {
      sources.add(columnSource(request, firstRow, firstRow + rowCount, counters, cache));
    }
    List<List<PageMetadata>> boundPages = new ArrayList<>();
    if (filter != null) {
      for (ColumnBound bound : filter.bounds()) {
        ColumnMetadata column = column(columns.get(bound.column()).uniqueId());
        boundPages.add(column == null ? null : column.pages());
      }
    }
    return new SegmentBatchStream(sources, firstRow, rowCount, filter, boundPages, counters);
  }

  /**
   * Rows {@code [firstRow, endRow)} of one requested column, as {@link #read(List, long, long,
   * SegmentFilter, ScanCounters, PageCache)} reads it (stored, relabeled to the requested type, or
   * the request's default where the segment lacks the column).
   */
  SegmentBatchStream.ColumnSource columnSource(
      ColumnRequest request, long firstRow, long endRow, ScanCounters counters, PageCache cache) {
    Integer index = columnIndexById.get(request.uniqueId());
    if (index != null) {
      ColumnEntry column = footer.columns().get(index);
      SegmentBatchStream.ColumnSource pages =
          new SegmentBatchStream.PageCursor(file, column, firstRow, endRow, counters, cache);
      DataType stored = column.column().type();
      return request.type() == null || request.type().equals(stored)
          ? pages
          : new SegmentBatchStream.RelabeledSource(pages, checkedRelabel(stored, request));
    } else if (request.type() != null) {
      try {
        ColumnVectorBuilder.constant(request.type(), request.defaultIfAbsent(), 1);
      } catch (ClassCastException e) {
        throw new IllegalArgumentException(
            "default "
                + request.defaultIfAbsent()
                + " does not fit type "
                + request.type()
                + " of column "
                + request.uniqueId(),
            e);
      }
      return new SegmentBatchStream.ConstantSource(request.type(), request.defaultIfAbsent());
    } else {
      throw new IllegalArgumentException(
          "column "
              + request.uniqueId()
              + " is not in segment '"
              + path()
              + "' and the request gives no type for a default");
    }
  }

  /**
   * The directory entry of the stored column {@code uniqueId}, or null when the segment lacks it.
   */
  ColumnEntry columnEntry(int uniqueId) {
    Integer index = columnIndexById.get(uniqueId);
    return index == null ? null : footer.columns().get(index);
  }

  /**
   * The stored bytes (header and body, as written) of page {@code pageIndex} of {@code column},
   * checked against the page's CRC32C so that a damaged page is never copied on.
   */
  byte[] readStoredPage(ColumnEntry column, int pageIndex) {
    PageEntry page = column.pages().get(pageIndex);
    byte[] stored = file.read(page.offset(), page.storedLength());
    CRC32C checksum = new CRC32C();
    checksum.update(stored);
    if ((int) checksum.getValue() != page.checksum()) {
      throw corruption(
          path(),
          "checksum mismatch in page " + pageIndex + " of column " + column.column().uniqueId());
    }
    return stored;
  }

  /** Whether the segment carries a primary-key index (merge-on-write UNIQUE KEY, version 2). */
  public boolean hasPrimaryKeyIndex() {
    return footer.hasPrimaryKeyIndex();
  }

  /**
   * Reads, checks (CRC32C, structure) and parses the segment's primary-key index, or returns {@code
   * null} when it has none. Each call reads the file; callers cache ({@code PrimaryKeyIndexCache}).
   */
  public PrimaryKeyIndex readPrimaryKeyIndex() {
    if (!footer.hasPrimaryKeyIndex()) {
      return null;
    }
    byte[] bytes = file.read(footer.indexOffset(), footer.indexLength());
    CRC32C checksum = new CRC32C();
    checksum.update(bytes);
    if ((int) checksum.getValue() != footer.indexChecksum()) {
      throw corruption(path(), "primary key index checksum mismatch");
    }
    PrimaryKeyIndex index;
    try {
      index = PrimaryKeyIndex.parse(bytes);
    } catch (FormatException e) {
      throw corruption(path(), "malformed primary key index: " + e.getMessage());
    }
    if (index.keyCount() != footer.rowCount()) {
      throw corruption(
          path(),
          "primary key index has "
              + index.keyCount()
              + " keys, the segment "
              + footer.rowCount()
              + " rows");
    }
    return index;
  }

  /** Reads and checks every page of every column (a scrub); throws on the first corruption. */
  public void verify() {
    List<Integer> ids =
        footer.columns().stream().map(column -> column.column().uniqueId()).toList();
    try (BatchStream stream = read(ids)) {
      while (stream.next() != null) {
        // Decoding is the check.
      }
    }
  }

  @Override
  public void close() {
    file.close();
  }
}
