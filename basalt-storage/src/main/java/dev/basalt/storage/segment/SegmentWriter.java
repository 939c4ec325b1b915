package dev.basalt.storage.segment;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.storage.encoding.Encoding;
import dev.basalt.storage.encoding.LittleEndianOutput;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.OutputFile;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes one segment file: a columnar, checksummed, immutable file in the format of docs/format.md.
 *
 * <p>Call order: construct (the file is created, under a temporary name), {@link #append} any
 * number of batches, then {@link #finish()}, which writes the footer, makes the file durable and
 * publishes it at its path, and returns its metadata; always {@link #close()} (a writer closed
 * before {@code finish} discards the file). A batch whose values do not fit the schema (wrong
 * vector type, NULL in a non-nullable column, a DECIMAL with too many fractional digits, a FLOAT
 * that is not a float) throws {@link IllegalArgumentException} and leaves the writer unusable.
 *
 * <p>Memory: about one page per column is buffered ({@link
 * SegmentWriterOptions#targetPageBytes()}). Not thread safe: one thread drives a writer.
 */
public final class SegmentWriter implements AutoCloseable {
  /** The initial capacity of the page body buffer shared by the column writers. */
  private static final int INITIAL_BODY_BYTES = 8 * 1024;

  private final String path;
  private final List<SegmentColumn> schema;
  private final OutputFile file;
  private final SegmentWriterOptions options;
  private final List<ColumnWriter> columnWriters = new ArrayList<>();
  private final int[] primaryKeyColumns;
  private final PrimaryKeyEncoder keyEncoder;
  private final PrimaryKeyIndex.Builder keyIndex;

  /** Schema positions of the row-stored columns, or null when the segment has no row store. */
  private final int[] rowStoreColumns;

  /** Writes the row-store column, or null. */
  private final ColumnWriter rowStoreWriter;

  private PrimaryKeyIndex finishedIndex;
  private long rowCount;
  private boolean failed;
  private boolean finished;

  public SegmentWriter(FileSystem fileSystem, String path, List<SegmentColumn> schema) {
    this(fileSystem, path, schema, SegmentWriterOptions.DEFAULT);
  }

  /** Creates the file at {@code path} (published only by {@link #finish()}) for {@code schema}. */
  public SegmentWriter(
      FileSystem fileSystem,
      String path,
      List<SegmentColumn> schema,
      SegmentWriterOptions options) {
    this(fileSystem, path, schema, options, null);
  }

  /**
   * As {@link #SegmentWriter(FileSystem, String, List, SegmentWriterOptions)}, and when {@code
   * primaryKeyColumns} is not null also writes a primary-key index over those schema positions (a
   * merge-on-write UNIQUE KEY segment): the rows must then come sorted by those columns with each
   * key once, else {@link #append} throws {@link IllegalArgumentException}.
   */
  public SegmentWriter(
      FileSystem fileSystem,
      String path,
      List<SegmentColumn> schema,
      SegmentWriterOptions options,
      int[] primaryKeyColumns) {
    this(fileSystem, path, schema, options, primaryKeyColumns, null);
  }

  /**
   * As {@link #SegmentWriter(FileSystem, String, List, SegmentWriterOptions, int[])}, and when
   * {@code rowStoreColumns} is not null also writes a row-store column (docs/format.md section 14)
   * holding, per row, the values of the columns at those schema positions encoded together, which
   * {@link SegmentReader#readRow} reads back with one value decode.
   */
  public SegmentWriter(
      FileSystem fileSystem,
      String path,
      List<SegmentColumn> schema,
      SegmentWriterOptions options,
      int[] primaryKeyColumns,
      int[] rowStoreColumns) {
    this.rowStoreColumns = rowStoreColumns == null ? null : rowStoreColumns.clone();
    this.primaryKeyColumns = primaryKeyColumns == null ? null : primaryKeyColumns.clone();
    this.keyEncoder = primaryKeyColumns == null ? null : new PrimaryKeyEncoder();
    this.keyIndex = primaryKeyColumns == null ? null : new PrimaryKeyIndex.Builder();
    this.schema = List.copyOf(schema);
    Set<Integer> ids = new HashSet<>();
    for (SegmentColumn column : this.schema) {
      if (!ids.add(column.uniqueId())) {
        throw new IllegalArgumentException("duplicate column unique id " + column.uniqueId());
      }
      SegmentFormat.typeCode(column.type().kind());
    }
    if (this.rowStoreColumns != null && ids.contains(RowStoreCodec.COLUMN_ID)) {
      throw new IllegalArgumentException(
          "unique id " + RowStoreCodec.COLUMN_ID + " is reserved for the row-store column");
    }
    this.path = path;
    this.options = options;
    // A segment is published by the catalog commit that references it, never by its name.
    this.file = fileSystem.createUnpublished(path);
    // The page body buffer grows to the largest page; a small load's segment never needs 64 KiB.
    LittleEndianOutput body =
        new LittleEndianOutput(Math.min(options.targetPageBytes() + 1024, INITIAL_BODY_BYTES));
    for (SegmentColumn column : this.schema) {
      columnWriters.add(new ColumnWriter(column, options, file, body));
    }
    if (this.rowStoreColumns != null) {
      if (this.rowStoreColumns.length > 0xFFFF) {
        throw new IllegalArgumentException("too many row-store columns");
      }
      for (int position : this.rowStoreColumns) {
        Objects.checkIndex(position, this.schema.size());
      }
      SegmentWriterOptions rowOptions =
          options
              .withPageLimits(
                  Math.min(options.targetPageBytes(), RowStoreCodec.PAGE_BYTES),
                  options.maxPageRows())
              .withForcedEncoding(Encoding.PLAIN);
      rowStoreWriter = new ColumnWriter(RowStoreCodec.COLUMN, rowOptions, file, body);
    } else {
      rowStoreWriter = null;
    }
    LittleEndianOutput header = new LittleEndianOutput(SegmentFormat.HEADER_SIZE);
    header.writeBytes(SegmentFormat.MAGIC, 0, SegmentFormat.MAGIC.length);
    header.writeInt(SegmentFormat.FORMAT_VERSION);
    header.writeInt(0);
    file.write(header.array(), 0, header.size());
  }

  public String path() {
    return path;
  }

  public List<SegmentColumn> schema() {
    return schema;
  }

  /** Rows appended so far. */
  public long rowCount() {
    return rowCount;
  }

  /** Appends {@code batch}, whose vectors follow the schema in order and physical layout. */
  public void append(Batch batch) {
    checkOpen();
    if (batch.columnCount() != schema.size()) {
      throw new IllegalArgumentException(
          "batch has " + batch.columnCount() + " columns, the segment schema " + schema.size());
    }
    failed = true;
    for (int index = 0; index < schema.size(); index++) {
      columnWriters.get(index).append(batch.column(index));
    }
    if (rowStoreWriter != null) {
      rowStoreWriter.append(RowStoreCodec.encode(schema, rowStoreColumns, batch));
    }
    if (primaryKeyColumns != null) {
      ColumnVector[] keys = new ColumnVector[primaryKeyColumns.length];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = batch.column(primaryKeyColumns[i]);
      }
      for (int row = 0; row < batch.rowCount(); row++) {
        keyIndex.add(keyEncoder.encode(keys, row));
      }
    }
    rowCount += batch.rowCount();
    failed = false;
  }

  /**
   * Appends {@code vector}'s rows to the column at schema position {@code position} alone: with
   * {@link #copyPage} and {@link #completeRows}, the column-at-a-time writing of compaction's page
   * copy ({@link SegmentRangeCopier}), where each column of a row range is written on its own. Only
   * for segments without a primary-key index or row store (those need whole rows).
   */
  void appendColumn(int position, ColumnVector vector) {
    checkColumnAtATime();
    failed = true;
    columnWriters.get(position).append(vector);
    failed = false;
  }

  /**
   * Whether a stored page of another segment is full enough to be copied as it is: it holds at
   * least a quarter of this writer's page row limit, or its stored bytes reach an eighth of the
   * target page size. Smaller pages (a small load's, the partial pages at the ends of runs) are
   * decoded into this writer's pages instead, so that compaction packs short pages rather than
   * carrying them forward for good.
   */
  boolean copiesAsStored(PageEntry page) {
    return page.rowCount() >= options.maxPageRows() / 4
        || page.storedLength() >= options.targetPageBytes() / 8;
  }

  /**
   * Writes a page of another segment, stored bytes and directory entry, as the next rows of the
   * column at {@code position} (see {@link ColumnWriter#copyPage}); column-at-a-time writing as for
   * {@link #appendColumn}.
   */
  void copyPage(int position, PageEntry source, byte[] stored) {
    checkColumnAtATime();
    failed = true;
    columnWriters.get(position).copyPage(source, stored);
    failed = false;
  }

  /**
   * Ends a row range written column at a time: every column must have received {@code rows} rows
   * since the last complete range (else {@link IllegalStateException}, and the writer is unusable).
   */
  void completeRows(long rows) {
    checkColumnAtATime();
    for (int index = 0; index < columnWriters.size(); index++) {
      long written = columnWriters.get(index).rowsWritten();
      if (written != rowCount + rows) {
        failed = true;
        throw new IllegalStateException(
            "column "
                + schema.get(index).uniqueId()
                + " holds "
                + written
                + " rows, expected "
                + (rowCount + rows));
      }
    }
    rowCount += rows;
  }

  private void checkColumnAtATime() {
    checkOpen();
    if (primaryKeyColumns != null || rowStoreWriter != null) {
      throw new IllegalStateException(
          "segment '" + path + "' has a primary-key index or row store: append whole batches");
    }
  }

  /**
   * Writes the remaining pages, the footer and the trailer, commits the file (durable and visible
   * at {@link #path()} when this returns) and returns its metadata.
   */
  public SegmentMetadata finish() {
    return finish(true);
  }

  /**
   * As {@link #finish()}, but the file is only written, not forced ({@link
   * dev.basalt.storage.fs.OutputFile#commitUnsynced()}): the caller makes it durable later or keeps
   * a durable copy of its bytes.
   */
  public SegmentMetadata finishUnsynced() {
    return finish(false);
  }

  private SegmentMetadata finish(boolean durable) {
    checkOpen();
    failed = true;
    List<ColumnEntry> columns = new ArrayList<>();
    for (ColumnWriter columnWriter : columnWriters) {
      columns.add(columnWriter.finish());
    }
    List<ColumnMetadata> visibleColumns = columns.stream().map(ColumnEntry::toMetadata).toList();
    if (rowStoreWriter != null) {
      columns.add(rowStoreWriter.finish());
    }
    long indexOffset = 0;
    int indexLength = 0;
    int indexChecksum = 0;
    if (keyIndex != null) {
      finishedIndex = keyIndex.build();
      byte[] index = finishedIndex.serialize();
      CRC32C indexCrc = new CRC32C();
      indexCrc.update(index);
      indexOffset = file.position();
      indexLength = index.length;
      indexChecksum = (int) indexCrc.getValue();
      file.write(index);
    }
    byte[] footer =
        new Footer(rowCount, columns, indexOffset, indexLength, indexChecksum).serialize();
    CRC32C checksum = new CRC32C();
    checksum.update(footer);
    file.write(footer);
    LittleEndianOutput trailer = new LittleEndianOutput(SegmentFormat.TRAILER_SIZE);
    trailer.writeInt(footer.length);
    trailer.writeInt((int) checksum.getValue());
    trailer.writeInt(SegmentFormat.FORMAT_VERSION);
    trailer.writeInt(0);
    trailer.writeBytes(SegmentFormat.MAGIC, 0, SegmentFormat.MAGIC.length);
    file.write(trailer.array(), 0, trailer.size());
    long fileSize = file.position();
    if (durable) {
      file.commit();
    } else {
      file.commitUnsynced();
    }
    finished = true;
    failed = false;
    return new SegmentMetadata(
        path, SegmentFormat.FORMAT_VERSION, rowCount, fileSize, visibleColumns);
  }

  /**
   * The primary-key index written by {@link #finish()}, or {@code null} when the writer writes none
   * (or has not finished).
   */
  public PrimaryKeyIndex primaryKeyIndex() {
    return finishedIndex;
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("segment '" + path + "' is already finished");
    }
    if (failed) {
      throw new IllegalStateException(
          "segment '" + path + "' failed earlier and cannot be written further");
    }
  }

  /** Releases the file; discards it unless {@link #finish()} succeeded. */
  @Override
  public void close() {
    file.close();
  }
}
