package dev.basalt.load.streamload;

import com.github.luben.zstd.ZstdInputStream;
import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.Values;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.load.ColumnBuffer;
import dev.basalt.load.LoadTransaction;
import dev.basalt.load.TableWriter;
import dev.basalt.load.groupcommit.GroupCommitLoad;
import dev.basalt.load.groupcommit.GroupCommitManager;
import dev.basalt.load.groupcommit.GroupCommitMode;
import dev.basalt.load.groupcommit.GroupCommitReceipt;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.LoadInfo;
import dev.basalt.meta.catalog.LoadRecord;
import dev.basalt.meta.catalog.LoadStatus;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TwoPhaseLoad;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Stream Load: reads the body as it arrives (decompressing it), splits it into rows
 * ({@link CsvReader} / {@link JsonReader}), maps source fields to table columns (the {@code
 * columns} header, or the table's column order), converts each field straight into typed column
 * buffers ({@link FieldConverter}), sets rows aside that do not fit (counted, logged in an {@link
 * ErrorLog}), and appends batches of rows to one {@link LoadTransaction}. At the end it commits
 * when the share of rejected rows is within {@code max_filter_ratio}, and aborts otherwise: the
 * load is all or nothing.
 *
 * <p>Never throws for a bad request or bad data: every outcome is a {@link StreamLoadResult}.
 * Thread safe; each call runs on the caller's thread (which blocks on the body).
 */
public final class StreamLoader {
  private static final Logger LOG = LoggerFactory.getLogger(StreamLoader.class);

  /** The longest CSV line (or JSON string) accepted by default: 64 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

  private final Catalog catalog;
  private final TableWriter writer;
  private final Path errorLogDirectory;
  private final Function<ColumnMeta, Object> defaults;
  private final int maxLineBytes;
  private final DerivedColumns.Compiler expressions;
  private volatile GroupCommitManager groupCommit;

  /**
   * @param errorLogDirectory where rejected-row logs are written (created when needed)
   * @param defaults a column's DEFAULT as a value (representation of {@code Values}), or null
   * @param maxLineBytes the longest CSV line or JSON string accepted
   * @param expressions compiles the expressions of the {@code columns} header; null when loads
   *     cannot have them
   */
  public StreamLoader(
      Catalog catalog,
      TableWriter writer,
      Path errorLogDirectory,
      Function<ColumnMeta, Object> defaults,
      int maxLineBytes,
      DerivedColumns.Compiler expressions) {
    this.expressions = expressions;
    this.catalog = catalog;
    this.writer = writer;
    this.errorLogDirectory = errorLogDirectory;
    this.defaults = defaults;
    this.maxLineBytes = maxLineBytes;
  }

  /** Lets loads with {@code group_commit: async_mode | sync_mode} join groups of this manager. */
  public void groupCommit(GroupCommitManager manager) {
    this.groupCommit = manager;
  }

  public Path errorLogDirectory() {
    return errorLogDirectory;
  }

  /** The label's earlier load, if the label was used in the table's database. */
  public Optional<LoadRecord> existingLabel(TableMeta table, String label) {
    return label == null ? Optional.empty() : catalog.label(table.databaseId(), label);
  }

  /** The answer to a request whose label was used before: nothing is loaded. */
  public static StreamLoadResult labelAlreadyExists(
      LoadRecord existing, StreamLoadOptions options) {
    return new StreamLoadResult(
        StreamLoadResult.LABEL_ALREADY_EXISTS,
        ErrorCode.LABEL_ALREADY_EXISTS
            .format(existing.label(), existing.transactionId())
            .replace("errCode = 2, detailMessage = ", ""),
        existing.transactionId(),
        existing.label(),
        options.comment(),
        options.twoPhaseCommit(),
        existing.status() == LoadStatus.PRECOMMITTED ? "PRECOMMITTED" : "FINISHED",
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        null,
        false);
  }

  /** A failure before the load began (bad header, unknown table): nothing is loaded. */
  public static StreamLoadResult failure(String label, String message) {
    return new StreamLoadResult(
        StreamLoadResult.FAIL,
        message,
        -1,
        label == null ? "" : label,
        "",
        false,
        null,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        null,
        false);
  }

  /**
   * Loads {@code body} into {@code table}; see the class comment.
   *
   * @param user who loads (recorded with the label for SHOW LOAD)
   */
  public StreamLoadResult load(
      TableMeta table, StreamLoadOptions options, InputStream body, String user) {
    return load(table, options, body, -1, user);
  }

  /**
   * Loads {@code body} into {@code table}; see the class comment.
   *
   * @param bodyBytes the body's length as the request announced it, or -1 when unknown: a small
   *     body is then read into a buffer of its size
   * @param user who loads (recorded with the label for SHOW LOAD)
   */
  public StreamLoadResult load(
      TableMeta table, StreamLoadOptions options, InputStream body, long bodyBytes, String user) {
    Run run = new Run(table, options, user);
    run.bodyBytes = bodyBytes;
    return run.execute(body);
  }

  /** The state of one load. */
  private final class Run {
    private final TableMeta table;
    private final StreamLoadOptions options;
    private final String user;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;

    /** When the load times out; a pre-committed load is aborted then. */
    private final long deadlineMillis;

    private final List<ColumnMeta> columns;
    private final FieldConverter[] converters;
    private final int[] sourceOfColumn;
    private final List<String> sourceNames;

    /**
     * The source field named {@code __DORIS_DELETE_SIGN__}, or -1: rows where it is set delete
     * their key (as with {@code merge_type: MERGE}); its values ride as an extra last buffer.
     */
    private final int deleteSignSource;

    /** The position of a stored hidden sequence column in {@code columns}, or -1. */
    private final int hiddenSequence;

    private final Object[] defaultValues;
    private final byte[][] defaultBytes;
    private final int[] derivedOfColumn;
    private DerivedColumns derived;

    /** The {@code where} filter over the table's columns, or null. */
    private DerivedColumns filter;

    /** The {@code delete} condition of merge type MERGE over the table's columns, or null. */
    private DerivedColumns deleteCondition;

    private long unselectedRows;
    private ColumnBuffer[] sourceBuffers;
    private long[] batchLines;
    private ColumnBuffer[] buffers;
    private int batchRows;

    /** Set once the body is read, before its last batch is submitted. */
    private boolean lastBatch;

    private long totalRows;
    private long filteredRows;
    private long readNanos;
    private long writeNanos;
    private long beginNanos;
    private long commitNanos;
    private long transactionId;
    private long bodyBytes = -1;
    private ErrorLog errors;
    private CountingInputStream counted;

    Run(TableMeta table, StreamLoadOptions options, String user) {
      this.table = table;
      this.options = options;
      this.user = user == null ? "" : user;
      this.deadlineNanos = startNanos + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
      this.deadlineMillis =
          System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(options.timeoutSeconds());
      this.columns = table.columns();
      this.converters = new FieldConverter[columns.size()];
      for (int i = 0; i < converters.length; i++) {
        ColumnMeta column = columns.get(i);
        if (onlyKeysMatter(column) || column.autoIncrement()) {
          // A DELETE load needs only the key: a missing NOT NULL value is no reason to reject; a
          // missing AUTO_INCREMENT value is generated (appendBatch).
          column =
              new ColumnMeta(
                  column.uniqueId(),
                  column.name(),
                  column.type(),
                  true,
                  column.key(),
                  column.aggregation(),
                  column.defaultValue(),
                  column.comment(),
                  column.autoIncrement());
        }
        converters[i] = new FieldConverter(column, options.strictMode());
      }
      this.sourceNames = new ArrayList<>();
      if (options.columns() != null) {
        sourceNames.addAll(options.columns());
      } else {
        // By position: the visible columns (a hidden sequence column is filled only by name).
        HiddenColumns.visible(table).forEach(column -> sourceNames.add(column.name()));
        // The Flink connector's `hidden_columns: __DORIS_DELETE_SIGN__`: fields after the columns.
        sourceNames.addAll(options.hiddenColumns());
      }
      int sign = -1;
      for (int s = 0; s < sourceNames.size(); s++) {
        if (sourceNames.get(s).equalsIgnoreCase(HiddenColumns.DELETE_SIGN)) {
          sign = s;
        }
      }
      this.deleteSignSource = sign;
      this.hiddenSequence =
          HiddenColumns.storesSequence(table) ? UniqueKeyOptions.sequenceColumn(table) : -1;
      this.sourceOfColumn = new int[columns.size()];
      this.derivedOfColumn = new int[columns.size()];
      this.defaultValues = new Object[columns.size()];
      this.defaultBytes = new byte[columns.size()][];
    }

    StreamLoadResult execute(InputStream body) {
      GroupCommitManager groups = groupCommit;
      // Partial updates and delete signs commit on their own, as the partitions and merge types
      // StreamLoadOptions already takes out of group commit.
      if (options.groupCommit() != GroupCommitMode.OFF_MODE
          && groups != null
          && !options.partialColumns()
          && deleteSignSource < 0) {
        return executeInGroup(body, groups);
      }
      long beginStart = System.nanoTime();
      String label = options.label();
      LoadTransaction load;
      try {
        transactionId = catalog.allocateId();
        mapColumns();
        load = writer.begin(table, label);
        if (options.partialColumns()) {
          try {
            load.updateColumns(givenColumns());
          } catch (BasaltException refused) {
            load.abort();
            throw refused;
          }
        }
        if (options.partitions() != null) {
          try {
            if (options.temporaryPartitions()) {
              load.restrictToTemporaryPartitions(options.partitions());
            } else {
              load.restrictToPartitions(options.partitions());
            }
          } catch (BasaltException unknown) {
            load.abort();
            throw unknown;
          }
        }
      } catch (BasaltException e) {
        if (e.code() == ErrorCode.LABEL_ALREADY_EXISTS) {
          Optional<LoadRecord> existing = existingLabel(table, label);
          if (existing.isPresent()) {
            return labelAlreadyExists(existing.get(), options);
          }
        }
        return finish(StreamLoadResult.FAIL, e.getMessage(), label, 0, null);
      }
      beginNanos = System.nanoTime() - beginStart;
      errors = new ErrorLog(errorLogDirectory, "error_log_" + transactionId);
      try (load;
          ErrorLog log = errors) {
        readAll(body, load);
        if (counted.count() == 0) {
          throw new BasaltException(ErrorCode.LOAD_EMPTY_BODY);
        }
        if (filteredRows > options.maxFilterRatio() * (totalRows - unselectedRows)) {
          return failAfterAbort(
              load,
              ErrorCode.LOAD_TOO_MANY_FILTERED_ROWS.format(
                  filteredRows,
                  totalRows,
                  formatRatio(options.maxFilterRatio()),
                  errors.firstReason()),
              label);
        }
        long commitStart = System.nanoTime();
        String committedLabel;
        load.describe(info());
        if (options.twoPhaseCommit()) {
          TwoPhaseLoad precommitted = load.precommit(deadlineMillis);
          transactionId = precommitted.transactionId();
          committedLabel = precommitted.label();
        } else {
          CommitResult commit = load.commit();
          transactionId = commit.transactionId();
          committedLabel = commit.label();
        }
        commitNanos = System.nanoTime() - commitStart;
        return finish(StreamLoadResult.SUCCESS, "OK", committedLabel, load.rowCount(), load);
      } catch (BasaltException e) {
        if (e.code() == ErrorCode.LABEL_ALREADY_EXISTS) {
          // A concurrent load with this label committed first; this one was aborted.
          Optional<LoadRecord> existing = existingLabel(table, label);
          if (existing.isPresent()) {
            return labelAlreadyExists(existing.get(), options);
          }
        }
        return finish(StreamLoadResult.FAIL, e.getMessage(), label, 0, null);
      } catch (IOException e) {
        String message =
            counted != null
                    && !counted.failed()
                    && options.compression() != StreamLoadOptions.Compression.NONE
                ? "the body is not valid "
                    + options.compression().name().toLowerCase(java.util.Locale.ROOT)
                    + " data: "
                    + describe(e)
                : ErrorCode.LOAD_BODY_FAILED.format(
                    counted == null ? 0 : counted.count(), describe(e));
        return finish(StreamLoadResult.FAIL, message, label, 0, null);
      } catch (RuntimeException e) {
        LOG.error("stream load into {} failed", table.name(), e);
        return finish(
            StreamLoadResult.FAIL,
            ErrorCode.INTERNAL_ERROR.format("load " + transactionId, describe(e)),
            label,
            0,
            null);
      }
    }

    /** This load's id, allocated at the first call for a group-commit load. */
    private synchronized long ownTransactionId() {
      if (transactionId == 0) {
        transactionId = catalog.allocateId();
      }
      return transactionId;
    }

    /** What the label's record keeps of this load for SHOW LOAD. */
    private LoadInfo info() {
      String errorFile = errors == null ? null : errors.fileName();
      return new LoadInfo(
          LoadInfo.STREAM_LOAD,
          user,
          startMillis,
          filteredRows,
          unselectedRows,
          counted == null ? 0 : counted.count(),
          errorFile == null ? "" : errorFile,
          options.comment() == null ? "" : options.comment());
    }

    private StreamLoadResult failAfterAbort(LoadTransaction load, String message, String label) {
      load.abort();
      return finish(StreamLoadResult.FAIL, message, label, 0, null);
    }

    private StreamLoadResult finish(
        String status, String message, String label, long loadedRows, LoadTransaction load) {
      return finish(status, message, label, loadedRows, false);
    }

    private StreamLoadResult finish(
        String status, String message, String label, long loadedRows, boolean groupCommitted) {
      long totalNanos = System.nanoTime() - startNanos;
      if (!StreamLoadResult.SUCCESS.equals(status)) {
        ownTransactionId();
      }
      String errorFile = errors == null ? null : errors.fileName();
      return new StreamLoadResult(
          status,
          message,
          transactionId,
          label == null ? "" : label,
          options.comment(),
          options.twoPhaseCommit(),
          null,
          totalRows,
          loadedRows,
          filteredRows,
          unselectedRows,
          counted == null ? 0 : counted.count(),
          TimeUnit.NANOSECONDS.toMillis(totalNanos),
          TimeUnit.NANOSECONDS.toMillis(beginNanos),
          0,
          TimeUnit.NANOSECONDS.toMillis(readNanos),
          TimeUnit.NANOSECONDS.toMillis(writeNanos),
          TimeUnit.NANOSECONDS.toMillis(commitNanos),
          errorFile,
          groupCommitted);
    }

    /** Source field of each table column; defaults for the rest (or the load fails). */
    private void mapColumns() {
      List<String> targets = new ArrayList<>(options.derivedColumns().keySet());
      for (String target : targets) {
        if (table.column(target).isEmpty()) {
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER,
              "columns",
              "'" + target + "' is not a column of table " + table.name());
        }
      }
      if (!targets.isEmpty()) {
        if (expressions == null) {
          throw new BasaltException(
              ErrorCode.LOAD_UNSUPPORTED_HEADER, "columns", "expressions are not available here");
        }
        derived =
            expressions.compile(
                databaseName(),
                sourceNames,
                java.util.Collections.nCopies(sourceNames.size(), DataType.STRING),
                List.copyOf(options.derivedColumns().values()),
                options.timezone());
      }
      checkMergeType();
      checkSequenceColumn();
      checkDeleteSign();
      if (options.where() != null) {
        filter = compileCondition("where", options.where());
      }
      if (options.deleteCondition() != null) {
        deleteCondition = compileCondition("delete", options.deleteCondition());
      }
      for (int c = 0; c < columns.size(); c++) {
        ColumnMeta column = columns.get(c);
        sourceOfColumn[c] = -1;
        derivedOfColumn[c] = -1;
        for (int d = 0; d < targets.size(); d++) {
          if (targets.get(d).equalsIgnoreCase(column.name())) {
            derivedOfColumn[c] = d;
          }
        }
        for (int s = 0; s < sourceNames.size() && derivedOfColumn[c] < 0; s++) {
          if (sourceNames.get(s).equalsIgnoreCase(column.name())) {
            sourceOfColumn[c] = s;
            break;
          }
        }
        if (c == hiddenSequence && options.sequenceColumn() != null) {
          mapHiddenSequence(c, targets);
        }
        Object value = defaults.apply(column);
        defaultValues[c] = value;
        if (value instanceof String text) {
          defaultBytes[c] = text.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof byte[] sketch) {
          defaultBytes[c] = sketch;
        }
        if (sourceOfColumn[c] < 0
            && derivedOfColumn[c] < 0
            && value == null
            && !column.nullable()
            && !column.autoIncrement()
            && !onlyKeysMatter(column)) {
          throw new BasaltException(ErrorCode.LOAD_NO_DEFAULT, column.name());
        }
      }
    }

    /**
     * Whether a column may lack a value here: a value column of a DELETE load, or of a partial
     * update (existing keys keep the stored value; a new key without one fails at the flush).
     */
    private boolean onlyKeysMatter(ColumnMeta column) {
      return (options.mergeType() == StreamLoadOptions.MergeType.DELETE || options.partialColumns())
          && !column.key();
    }

    /** Per table column, whether the load gives it (a source field or a derived column). */
    private boolean[] givenColumns() {
      boolean[] given = new boolean[columns.size()];
      for (int c = 0; c < given.length; c++) {
        given[c] = sourceOfColumn[c] >= 0 || derivedOfColumn[c] >= 0;
      }
      return given;
    }

    /**
     * Fills the stored hidden sequence column (position {@code column}) from what the {@code
     * function_column.sequence_col} header names: a source field, else a column the {@code columns}
     * header derives (Doris maps {@code __DORIS_SEQUENCE_COL__} to it the same way).
     */
    private void mapHiddenSequence(int column, List<String> targets) {
      String named = options.sequenceColumn();
      sourceOfColumn[column] = -1;
      derivedOfColumn[column] = -1;
      for (int d = 0; d < targets.size(); d++) {
        if (targets.get(d).equalsIgnoreCase(named)) {
          derivedOfColumn[column] = d;
          return;
        }
      }
      for (int s = 0; s < sourceNames.size(); s++) {
        if (sourceNames.get(s).equalsIgnoreCase(named)) {
          sourceOfColumn[column] = s;
          return;
        }
      }
      throw new BasaltException(
          ErrorCode.LOAD_BAD_HEADER,
          "function_column.sequence_col",
          "'"
              + named
              + "' is not a field of the load (fields: "
              + String.join(", ", sourceNames)
              + ")");
    }

    /** A delete-sign field needs a merge-on-write table and merge type APPEND. */
    private void checkDeleteSign() {
      if (deleteSignSource < 0) {
        return;
      }
      if (!table.mergeOnWrite()) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER,
            "columns",
            HiddenColumns.DELETE_SIGN
                + " needs a UNIQUE KEY table with merge-on-write; "
                + table.name()
                + " is not one");
      }
      if (options.mergeType() != StreamLoadOptions.MergeType.APPEND) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER,
            "merge_type",
            "a load with a "
                + HiddenColumns.DELETE_SIGN
                + " field decides per row; leave merge_type at APPEND");
      }
    }

    /**
     * The {@code function_column.sequence_col} header: with a named sequence column (an ordinary
     * value column, mapped like any other) it must name that column; with a hidden one it names the
     * source field that fills {@code __DORIS_SEQUENCE_COL__} and is required, as in Doris, unless
     * the load is a partial update or its {@code columns} header names the hidden column itself.
     */
    private void checkSequenceColumn() {
      String named = options.sequenceColumn();
      if (hiddenSequence >= 0) {
        if (named == null
            && !options.partialColumns()
            && sourceNames.stream().noneMatch(HiddenColumns.SEQUENCE::equalsIgnoreCase)
            && options.derivedColumns().keySet().stream()
                .noneMatch(HiddenColumns.SEQUENCE::equalsIgnoreCase)) {
          throw new BasaltException(
              ErrorCode.ANALYSIS_ERROR,
              "Table "
                  + table.name()
                  + " has sequence column, need to specify the sequence column (header"
                  + " 'function_column.sequence_col: <source field>')");
        }
        return;
      }
      if (named == null) {
        return;
      }
      int sequence = UniqueKeyOptions.sequenceColumn(table);
      if (sequence < 0) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER,
            "function_column.sequence_col",
            "table "
                + table.name()
                + " has no sequence column; create it with \"function_column.sequence_col\" ="
                + " \"<column>\"");
      }
      String column = columns.get(sequence).name();
      if (!column.equalsIgnoreCase(named)) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER,
            "function_column.sequence_col",
            "the sequence column of table "
                + table.name()
                + " is "
                + column
                + ", not "
                + named
                + "; map the source field to "
                + column
                + " in 'columns'");
      }
    }

    /** A condition over the table's columns after mapping ({@code where}, {@code delete}). */
    private DerivedColumns compileCondition(String header, String condition) {
      if (expressions == null) {
        throw new BasaltException(
            ErrorCode.LOAD_UNSUPPORTED_HEADER, header, "expressions are not available here");
      }
      return expressions.compile(
          databaseName(),
          columns.stream().map(ColumnMeta::name).toList(),
          columns.stream().map(ColumnMeta::type).toList(),
          List.of(condition),
          options.timezone());
    }

    /** DELETE and MERGE need a merge-on-write UNIQUE KEY table. */
    private void checkMergeType() {
      if (options.mergeType() == StreamLoadOptions.MergeType.APPEND) {
        return;
      }
      if (!table.mergeOnWrite()) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER,
            "merge_type",
            "merge_type "
                + options.mergeType()
                + " needs a UNIQUE KEY table with merge-on-write; "
                + table.name()
                + " is a "
                + table.keysType().sqlName()
                + " KEY table"
                + (table.keysType() == KeysType.UNIQUE_KEYS ? " with merge-on-read" : ""));
      }
    }

    private String databaseName() {
      return catalog
          .databaseById(table.databaseId())
          .map(meta -> meta.name())
          .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_TABLE, table.name()));
    }

    private void readAll(InputStream body, LoadTransaction load) throws IOException {
      readAll(body, (RowSink) new TransactionSink(load));
    }

    private void readAll(InputStream body, RowSink load) throws IOException {
      // A group-commit load only collects its rows: a writer thread would cost more than it saves.
      try (BatchWriter batches = new BatchWriter(load, load instanceof GroupSink)) {
        readAll(body, batches);
        batches.finish();
      }
    }

    private void readAll(InputStream body, BatchWriter load) throws IOException {
      counted = new CountingInputStream(body);
      InputStream input = decompress(counted);
      RecordReader reader;
      if (options.format() == StreamLoadOptions.Format.JSON) {
        reader = new JsonReader(input, options, sourceNames, maxLineBytes);
      } else {
        CsvReader csv =
            new CsvReader(
                input,
                options,
                maxLineBytes,
                options.compression() == StreamLoadOptions.Compression.NONE ? bodyBytes : -1);
        int skip =
            switch (options.format()) {
              case CSV_WITH_NAMES -> 1;
              case CSV_WITH_NAMES_AND_TYPES -> 2;
              default -> options.skipLines();
            };
        csv.skipLines(skip);
        reader = csv;
      }
      boolean csvFormat = options.format() != StreamLoadOptions.Format.JSON;
      newBuffers();
      SourceRecord record = new SourceRecord();
      long readStart = System.nanoTime();
      while (reader.next(record)) {
        totalRows++;
        if (csvFormat && record.fieldCount != sourceNames.size()) {
          reject(
              record,
              "actual column number in csv file is "
                  + (record.fieldCount < sourceNames.size() ? "less" : "more")
                  + " than schema column number. actual number: "
                  + record.fieldCount
                  + ", schema column number: "
                  + sourceNames.size());
          continue;
        }
        if (derived != null) {
          // Expressions need whole batches of source fields: convert after evaluating them.
          appendSource(record);
          if (batchRows == Batch.DEFAULT_SIZE) {
            appendDerivedBatch(load);
          }
          continue;
        }
        String reason = convert(record);
        if (reason != null) {
          for (ColumnBuffer buffer : buffers) {
            buffer.truncate(batchRows);
          }
          reject(record, reason);
          continue;
        }
        batchRows++;
        if (batchRows == Batch.DEFAULT_SIZE) {
          appendBatch(load);
        }
      }
      lastBatch = true;
      if (derived != null) {
        appendDerivedBatch(load);
      } else {
        appendBatch(load);
      }
      readNanos += System.nanoTime() - readStart;
    }

    /** Converts one record into the batch buffers; the reason when the row does not fit. */
    private String convert(SourceRecord record) {
      for (int c = 0; c < converters.length; c++) {
        int source = sourceOfColumn[c];
        String reason;
        if (source < 0 || record.kinds[source] == SourceRecord.ABSENT) {
          reason = appendDefault(c);
        } else if (record.kinds[source] == SourceRecord.NULL) {
          reason = converters[c].appendNull(buffers[c]);
        } else {
          reason =
              converters[c].append(
                  record.data[source], record.starts[source], record.ends[source], buffers[c]);
        }
        if (reason != null) {
          return reason;
        }
      }
      if (deleteSignSource >= 0) {
        boolean present =
            deleteSignSource < record.fieldCount
                && record.kinds[deleteSignSource] == SourceRecord.VALUE;
        return appendSign(
            present ? record.data[deleteSignSource] : null,
            present ? record.starts[deleteSignSource] : 0,
            present ? record.ends[deleteSignSource] : 0);
      }
      return null;
    }

    /**
     * Appends a delete sign (0 or 1) read from {@code bytes[start .. end)}, null meaning 0; the
     * reason when it is not a number or boolean.
     */
    private String appendSign(byte[] bytes, int start, int end) {
      long sign = 0;
      if (bytes != null) {
        String text = new String(bytes, start, end - start, StandardCharsets.UTF_8).strip();
        if (text.equalsIgnoreCase("true")) {
          sign = 1;
        } else if (!text.isEmpty() && !text.equalsIgnoreCase("false")) {
          try {
            sign = Long.parseLong(text) != 0 ? 1 : 0;
          } catch (NumberFormatException e) {
            return HiddenColumns.DELETE_SIGN + " is '" + text + "', not 0 or 1";
          }
        }
      }
      buffers[columns.size()].appendLong(sign);
      return null;
    }

    private String appendDefault(int column) {
      Object value = defaultValues[column];
      ColumnBuffer buffer = buffers[column];
      if (value == null) {
        if (options.partialColumns()) {
          // A placeholder: the partial update takes the stored value (a new key fails there).
          buffer.appendNull();
          return null;
        }
        return converters[column].appendNull(buffer);
      }
      DataType type = columns.get(column).type();
      switch (type.physical()) {
        case LONG -> buffer.appendLong(Values.toLong(type, value));
        case DOUBLE -> buffer.appendDouble(((Number) value).doubleValue());
        case DECIMAL, LARGEINT -> buffer.appendObject(value);
        case BYTES -> buffer.appendBytes(defaultBytes[column], 0, defaultBytes[column].length);
      }
      return null;
    }

    private void reject(SourceRecord record, String reason) {
      filteredRows++;
      errors.add(record.line, reason, record);
    }

    private void appendSource(SourceRecord record) {
      for (int s = 0; s < sourceBuffers.length; s++) {
        if (s >= record.fieldCount || record.kinds[s] != SourceRecord.VALUE) {
          sourceBuffers[s].appendNull();
        } else {
          sourceBuffers[s].appendBytes(
              record.data[s], record.starts[s], record.ends[s] - record.starts[s]);
        }
      }
      batchLines[batchRows++] = record.line;
    }

    /**
     * Evaluates the expressions over the buffered source fields, converts every row into the
     * table's column buffers (rejecting rows that do not fit) and submits the batch.
     */
    private void appendDerivedBatch(BatchWriter load) {
      int rows = batchRows;
      if (rows == 0) {
        appendBatch(load);
        return;
      }
      List<ColumnVector> fields = new ArrayList<>(sourceBuffers.length);
      for (ColumnBuffer buffer : sourceBuffers) {
        fields.add(buffer.toVector());
      }
      List<ColumnVector> values = derived.evaluate(new Batch(fields, rows));
      int good = 0;
      for (int row = 0; row < rows; row++) {
        String reason = null;
        for (int c = 0; c < converters.length && reason == null; c++) {
          if (derivedOfColumn[c] >= 0) {
            reason = appendValue(c, values.get(derivedOfColumn[c]), row);
          } else if (sourceOfColumn[c] >= 0) {
            reason = appendValue(c, fields.get(sourceOfColumn[c]), row);
          } else {
            reason = appendDefault(c);
          }
        }
        if (reason == null && deleteSignSource >= 0) {
          BytesVector signs = (BytesVector) fields.get(deleteSignSource);
          reason =
              signs.isNull(row)
                  ? appendSign(null, 0, 0)
                  : appendSign(
                      signs.rawBytes(),
                      signs.offset(row),
                      signs.offset(row) + signs.byteLength(row));
        }
        if (reason == null) {
          good++;
          continue;
        }
        for (ColumnBuffer buffer : buffers) {
          buffer.truncate(good);
        }
        SourceRecord text = new SourceRecord();
        for (ColumnVector field : fields) {
          BytesVector strings = (BytesVector) field;
          if (strings.isNull(row)) {
            text.addNull();
          } else {
            text.add(
                strings.rawBytes(),
                strings.offset(row),
                strings.offset(row) + strings.byteLength(row));
          }
        }
        filteredRows++;
        errors.add(batchLines[row], reason, text);
      }
      batchRows = good;
      if (good == 0) {
        newBuffers();
      } else {
        appendBatch(load);
      }
    }

    /** Converts row {@code row} of an evaluated or source vector into column {@code column}. */
    private String appendValue(int column, ColumnVector vector, int row) {
      if (vector.isNull(row)) {
        return converters[column].appendNull(buffers[column]);
      }
      if (vector.type().kind().isSketch()
          && vector.type().kind() == columns.get(column).type().kind()) {
        // A sketch built by the columns header (b = to_bitmap(field)): stored as it is.
        BytesVector sketch = (BytesVector) vector;
        buffers[column].appendBytes(sketch.rawBytes(), sketch.offset(row), sketch.byteLength(row));
        return null;
      }
      if (vector instanceof BytesVector strings) {
        int start = strings.offset(row);
        return converters[column].append(
            strings.rawBytes(), start, start + strings.byteLength(row), buffers[column]);
      }
      // Through its text, with the same rules as a field of the body.
      byte[] text =
          Casts.toText(vector.getObject(row), vector.type()).getBytes(StandardCharsets.UTF_8);
      return converters[column].append(text, 0, text.length, buffers[column]);
    }

    private void newBuffers() {
      if (lastBatch && buffers != null) {
        // The body's last batch went out: no row follows, so no new buffers (for a 10-row load of
        // group commit they were a third of its allocation).
        batchRows = 0;
        return;
      }
      if (derived != null) {
        sourceBuffers = new ColumnBuffer[sourceNames.size()];
        for (int s = 0; s < sourceBuffers.length; s++) {
          sourceBuffers[s] = new ColumnBuffer(DataType.STRING, Batch.DEFAULT_SIZE);
        }
        if (batchLines == null) {
          batchLines = new long[Batch.DEFAULT_SIZE];
        }
      }
      buffers = new ColumnBuffer[columns.size() + (deleteSignSource >= 0 ? 1 : 0)];
      // Small for the first batch and after a small load's last one: most loads of group commit
      // have a few rows (16 columns of 256 values were 80 KB of garbage per 10-row load, most of
      // its allocation). The buffers double as rows come, a few times per large load.
      int capacity = totalRows < Batch.DEFAULT_SIZE ? 16 : Batch.DEFAULT_SIZE;
      for (int c = 0; c < columns.size(); c++) {
        buffers[c] = new ColumnBuffer(columns.get(c).type(), capacity);
      }
      if (deleteSignSource >= 0) {
        buffers[columns.size()] = new ColumnBuffer(DataType.TINYINT, capacity);
      }
      batchRows = 0;
    }

    private void appendBatch(BatchWriter load) {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new BasaltException(ErrorCode.LOAD_TIMEOUT, options.timeoutSeconds());
      }
      if (batchRows == 0) {
        return;
      }
      List<ColumnVector> vectors = new ArrayList<>(buffers.length);
      for (ColumnBuffer buffer : buffers) {
        vectors.add(buffer.toVector());
      }
      Batch batch = new Batch(vectors, batchRows);
      if (filter != null) {
        int[] rows = new int[batch.rowCount()];
        int kept = rowsWhereTrue(filter, batch, rows);
        unselectedRows += batch.rowCount() - kept;
        batch = rows(batch, rows, kept);
      }
      if (!options.partialColumns()) {
        // A partial update keeps the stored AUTO_INCREMENT value of existing keys.
        batch = writer.autoIncrementValues().fill(table, batch).batch();
      }
      if (deleteSignSource >= 0) {
        submitBySign(batch, load);
        newBuffers();
        return;
      }
      switch (options.mergeType()) {
        case APPEND -> load.submit(batch, false);
        case DELETE -> load.submit(batch, true);
        case MERGE -> {
          // Rows for which the delete condition is true delete their key; the others upsert.
          int count = batch.rowCount();
          int[] deleted = new int[count];
          int deletedCount = rowsWhereTrue(deleteCondition, batch, deleted);
          int[] written = new int[count - deletedCount];
          int next = 0;
          for (int row = 0, d = 0; row < count; row++) {
            if (d < deletedCount && deleted[d] == row) {
              d++;
            } else {
              written[next++] = row;
            }
          }
          load.submit(rows(batch, deleted, deletedCount), true);
          load.submit(rows(batch, written, next), false);
        }
      }
      newBuffers();
    }

    /**
     * Submits the rows of {@code batch} (the table's columns and the delete signs last) whose sign
     * is set as deletes and the others as writes.
     */
    private void submitBySign(Batch batch, BatchWriter load) {
      int count = batch.rowCount();
      ColumnVector signs = batch.column(columns.size());
      List<ColumnVector> tableColumns = new ArrayList<>(columns.size());
      for (int c = 0; c < columns.size(); c++) {
        tableColumns.add(batch.column(c));
      }
      Batch rows = new Batch(tableColumns, count);
      int[] deleted = new int[count];
      int[] written = new int[count];
      int deletedCount = 0;
      int writtenCount = 0;
      for (int row = 0; row < count; row++) {
        if (((dev.basalt.common.vector.LongVector) signs).getLong(row) != 0) {
          deleted[deletedCount++] = row;
        } else {
          written[writtenCount++] = row;
        }
      }
      if (deletedCount > 0) {
        load.submit(rows(rows, deleted, deletedCount), true);
      }
      if (writtenCount > 0) {
        load.submit(rows(rows, written, writtenCount), false);
      }
    }

    /**
     * Writes into {@code rows} the rows of {@code batch} for which {@code condition} is true, in
     * order; returns how many.
     */
    private static int rowsWhereTrue(DerivedColumns condition, Batch batch, int[] rows) {
      ColumnVector values = condition.evaluate(batch).get(0);
      int count = 0;
      for (int row = 0; row < batch.rowCount(); row++) {
        if (isTrue(values, row)) {
          rows[count++] = row;
        }
      }
      return count;
    }

    /** The rows {@code rows[0 .. count)} of {@code batch}. */
    private Batch rows(Batch batch, int[] rows, int count) {
      if (count == batch.rowCount()) {
        return batch;
      }
      List<ColumnVector> vectors = new ArrayList<>(batch.columnCount());
      for (int c = 0; c < batch.columnCount(); c++) {
        ColumnBuffer kept = new ColumnBuffer(batch.column(c).type(), Math.max(count, 1));
        kept.appendRows(batch.column(c), rows, count);
        vectors.add(kept.toVector());
      }
      return new Batch(vectors, count);
    }

    /** Whether a condition's value is true (SQL: NULL is not; a number is when it is not 0). */
    private static boolean isTrue(ColumnVector condition, int row) {
      if (condition.isNull(row)) {
        return false;
      }
      return switch (condition) {
        case LongVector longs -> longs.getLong(row) != 0;
        case DoubleVector doubles -> doubles.getDouble(row) != 0;
        case DecimalVector decimals -> decimals.getDecimal(row).signum() != 0;
        default ->
            throw new BasaltException(
                ErrorCode.LOAD_BAD_HEADER,
                "where",
                "'where' and 'delete' must be conditions, e.g. k1 > 10; one gives "
                    + condition.type().sqlName());
      };
    }

    /**
     * A load with {@code group_commit: async_mode | sync_mode}: the rows are read and checked as
     * for any load, then handed whole to the table's current group ({@link GroupCommitManager});
     * the answer names the group's label. A load that outgrows a group is committed on its own.
     */
    private StreamLoadResult executeInGroup(InputStream body, GroupCommitManager groups) {
      // The load's own id names only its error log and a failure: a successful one answers with
      // its group's. Allocated when needed, since every thousandth id commits the catalog's id
      // block under a lock that every load would wait on.
      try {
        mapColumns();
      } catch (BasaltException e) {
        return finish(StreamLoadResult.FAIL, e.getMessage(), null, 0, null);
      }
      errors = new ErrorLog(errorLogDirectory, () -> "error_log_" + ownTransactionId());
      GroupSink sink = new GroupSink();
      try (ErrorLog log = errors) {
        readAll(body, sink);
        if (counted.count() == 0) {
          throw new BasaltException(ErrorCode.LOAD_EMPTY_BODY);
        }
        if (filteredRows > options.maxFilterRatio() * (totalRows - unselectedRows)) {
          return finish(
              StreamLoadResult.FAIL,
              ErrorCode.LOAD_TOO_MANY_FILTERED_ROWS.format(
                  filteredRows,
                  totalRows,
                  formatRatio(options.maxFilterRatio()),
                  errors.firstReason()),
              null,
              0,
              null);
        }
        long commitStart = System.nanoTime();
        if (sink.own != null) {
          sink.own.describe(info());
          CommitResult commit = sink.own.commit();
          transactionId = commit.transactionId();
          commitNanos = System.nanoTime() - commitStart;
          return finish(
              StreamLoadResult.SUCCESS, "OK", commit.label(), sink.own.rowCount(), sink.own);
        }
        long remainingMillis =
            Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        GroupCommitReceipt receipt =
            groups.submit(sink.rows, options.groupCommit(), remainingMillis);
        transactionId = receipt.transactionId();
        commitNanos = System.nanoTime() - commitStart;
        return finish(StreamLoadResult.SUCCESS, "OK", receipt.label(), receipt.rows(), true);
      } catch (BasaltException e) {
        return finish(StreamLoadResult.FAIL, e.getMessage(), null, 0, null);
      } catch (IOException e) {
        return finish(
            StreamLoadResult.FAIL,
            ErrorCode.LOAD_BODY_FAILED.format(counted == null ? 0 : counted.count(), describe(e)),
            null,
            0,
            null);
      } catch (RuntimeException e) {
        LOG.error("group commit load into {} failed", table.name(), e);
        return finish(
            StreamLoadResult.FAIL,
            ErrorCode.INTERNAL_ERROR.format("load " + transactionId, describe(e)),
            null,
            0,
            null);
      } finally {
        if (sink.own != null) {
          sink.own.close();
        }
      }
    }

    /**
     * Collects a group-commit load's rows ({@link GroupCommitLoad}); when they outgrow a group,
     * moves them to an ordinary load of their own and streams the rest there.
     */
    private final class GroupSink implements RowSink {
      final GroupCommitLoad rows = new GroupCommitLoad(table);
      LoadTransaction own;

      @Override
      public void append(Batch batch, LoadTransaction.RejectedRows rejected) {
        if (own != null) {
          own.append(batch, rejected);
          return;
        }
        rows.append(batch, rejected);
        if (rows.oversized()) {
          own = writer.begin(table, null);
          rows.moveTo(own);
        }
      }

      @Override
      public void delete(Batch batch, LoadTransaction.RejectedRows rejected) {
        throw new IllegalStateException("loads that delete never join a group");
      }
    }

    /**
     * Hands batches to a second thread that routes, buffers and flushes them into the load
     * transaction, so that parsing and writing overlap (a load uses two cores). A bounded queue
     * keeps memory bounded; the transaction is only touched by that thread until {@link #close} has
     * joined it.
     */
    private final class BatchWriter implements AutoCloseable {
      private static final Work END = new Work(new Batch(List.of(), 0), false);

      /** Rows to write, or (with {@code delete}) whose keys to delete. */
      private record Work(Batch rows, boolean delete) {}

      private final RowSink load;
      private final ArrayBlockingQueue<Work> queue = new ArrayBlockingQueue<>(4);
      private final Thread thread;
      private volatile Throwable failure;
      private long rejectedRows;
      private long nanos;

      /**
       * @param inline whether to write each batch on the caller's thread as it is submitted (no
       *     writer thread)
       */
      BatchWriter(RowSink load, boolean inline) {
        this.load = load;
        this.thread =
            inline
                ? null
                : Thread.ofPlatform()
                    .daemon()
                    .name("basalt-load-writer-" + transactionId)
                    .start(this::run);
      }

      private void run() {
        try {
          while (true) {
            Work work = queue.take();
            if (work == END) {
              return;
            }
            write(work);
          }
        } catch (InterruptedException stopped) {
          Thread.currentThread().interrupt();
        } catch (Throwable e) {
          failure = e;
        }
      }

      private void write(Work work) {
        long start = System.nanoTime();
        LoadTransaction.RejectedRows rejected =
            (row, reason) -> {
              rejectedRows++;
              errors.add(-1, reason, null);
            };
        if (work.delete()) {
          load.delete(work.rows(), rejected);
        } else {
          load.append(work.rows(), rejected);
        }
        nanos += System.nanoTime() - start;
      }

      void submit(Batch batch, boolean delete) {
        if (thread == null) {
          write(new Work(batch, delete));
          return;
        }
        submit(new Work(batch, delete));
      }

      private void submit(Work work) {
        try {
          while (!queue.offer(work, 50, TimeUnit.MILLISECONDS)) {
            rethrowFailure();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BasaltException(e, ErrorCode.QUERY_INTERRUPTED);
        }
        rethrowFailure();
      }

      /** Waits until every batch is in the transaction; rethrows the writer's failure. */
      void finish() {
        if (thread == null) {
          filteredRows += rejectedRows;
          writeNanos += nanos;
          return;
        }
        submit(END);
        join();
        rethrowFailure();
        filteredRows += rejectedRows;
        writeNanos += nanos;
      }

      private void rethrowFailure() {
        Throwable error = failure;
        if (error instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (error instanceof Error fatal) {
          throw fatal;
        }
      }

      private void join() {
        boolean interrupted = false;
        while (true) {
          try {
            thread.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }

      /**
       * Stops the writer thread (when the load failed: queued batches are dropped, the one being
       * written finishes) and waits for it, so that the caller may abort the transaction.
       */
      @Override
      public void close() {
        if (thread != null && thread.isAlive()) {
          queue.clear();
          queue.offer(END);
          join();
        }
      }
    }

    private InputStream decompress(InputStream raw) throws IOException {
      return switch (options.compression()) {
        case NONE -> raw;
        case GZ -> new GZIPInputStream(raw, 1 << 16);
        case LZ4 -> new LZ4FrameInputStream(raw);
        case ZSTD -> new ZstdInputStream(raw);
        case BZ2 -> new BZip2CompressorInputStream(raw, true);
      };
    }
  }

  /** Where a load's converted batches go: its transaction, or a group's collector. */
  private interface RowSink {
    void append(Batch batch, LoadTransaction.RejectedRows rejected);

    void delete(Batch batch, LoadTransaction.RejectedRows rejected);
  }

  /** The usual sink: the load's own transaction. */
  private record TransactionSink(LoadTransaction load) implements RowSink {
    @Override
    public void append(Batch batch, LoadTransaction.RejectedRows rejected) {
      load.append(batch, rejected);
    }

    @Override
    public void delete(Batch batch, LoadTransaction.RejectedRows rejected) {
      load.delete(batch, rejected);
    }
  }

  private static String formatRatio(double ratio) {
    return ratio == Math.rint(ratio) ? Long.toString((long) ratio) : Double.toString(ratio);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
  }

  /** Counts the body's bytes (LoadBytes) and remembers whether reading the body itself failed. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;
    private boolean failed;

    CountingInputStream(InputStream input) {
      super(input);
    }

    long count() {
      return count;
    }

    boolean failed() {
      return failed;
    }

    @Override
    public int read() throws IOException {
      try {
        int value = super.read();
        if (value >= 0) {
          count++;
        }
        return value;
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      try {
        int read = super.read(bytes, offset, length);
        if (read > 0) {
          count += read;
        }
        return read;
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }
  }
}
