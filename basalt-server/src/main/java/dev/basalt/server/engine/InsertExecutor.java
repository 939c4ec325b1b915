package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.result.StatementResult;
import dev.basalt.common.result.UpdateCount;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.operator.Operator;
import dev.basalt.load.AutoIncrementValues;
import dev.basalt.load.LoadTransaction;
import dev.basalt.load.TableWriter;
import dev.basalt.load.groupcommit.GroupCommitLoad;
import dev.basalt.load.groupcommit.GroupCommitManager;
import dev.basalt.load.groupcommit.GroupCommitMode;
import dev.basalt.load.groupcommit.GroupCommitReceipt;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.LoadInfo;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.server.session.ExplicitTransaction;
import dev.basalt.server.session.ValuesRows;
import dev.basalt.sql.ddl.DdlExecutor;
import dev.basalt.sql.parser.ColumnDefinition;
import dev.basalt.sql.parser.Statement;
import dev.basalt.sql.parser.TableName;
import dev.basalt.sql.planner.PlannedQuery;
import dev.basalt.sql.planner.RowCondition;
import dev.basalt.sql.schema.PartitionPruner;
import dev.basalt.sql.type.CalciteTypes;
import dev.basalt.storage.segment.ColumnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code INSERT INTO t [WITH LABEL l] [(columns)] VALUES ... | SELECT ...} and {@code CREATE TABLE
 * ... AS SELECT}: runs the source query, converts each value to its column's type with Doris's
 * strict insert rules (a value that does not fit is an error, not a silent NULL), fills omitted
 * columns with their defaults, and writes all rows as one atomic load. INSERT streams the source's
 * batches into a {@link LoadTransaction} (bounded memory), and so does CREATE TABLE ... AS SELECT,
 * whose table is dropped again if its query or load fails.
 */
final class InsertExecutor {
  private final Catalog catalog;
  private final FunctionRegistry registry;
  private final ColumnDefaults defaults;
  private final TableWriter writer;
  private volatile GroupCommitManager groupCommit;

  InsertExecutor(
      Catalog catalog, FunctionRegistry registry, ColumnDefaults defaults, TableWriter writer) {
    this.catalog = catalog;
    this.registry = registry;
    this.defaults = defaults;
    this.writer = writer;
  }

  /**
   * @param transaction the session's explicit transaction, whose load the rows join instead of
   *     being committed on their own; {@code null} outside one
   * @param values where a VALUES source's rows are read from without the planner
   */
  StatementResult insert(
      Statement.Insert insert,
      String currentDatabase,
      SqlEngine.StatementPlanner planner,
      ExplicitTransaction transaction,
      GroupCommitMode groupCommitMode,
      boolean sharedCommit,
      ValuesSource values) {
    if (insert.overwrite()) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "INSERT OVERWRITE");
    }
    if (transaction != null && insert.label() != null) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "an INSERT inside a transaction takes the transaction's label (BEGIN WITH LABEL l)");
    }
    TableMeta table =
        catalog.existingTable(insert.table().databaseOr(currentDatabase), insert.table().name());
    boolean partial =
        planner.flag("enable_unique_key_partial_update")
            && table.mergeOnWrite()
            && insert.columns() != null
            && !insert.columns().isEmpty();
    if (partial && transaction != null) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED, "a partial column update inside an explicit transaction");
    }
    List<String> partitions = insert.partitions().contains("*") ? List.of() : insert.partitions();
    GroupCommitManager groups = groupCommit;
    // As Doris: only a plain INSERT ... VALUES joins a group; partial updates, named partitions
    // and delete signs commit on their own.
    boolean plainValues =
        groups != null
            && insert.label() == null
            && transaction == null
            && !partial
            && partitions.isEmpty()
            && !namesDeleteSign(insert.columns())
            && isValues(insert.source());
    // Outside group commit (OFF_MODE), with enable_insert_shared_commit, such an INSERT into a
    // table whose rows have no order between loads shares a group too: acknowledged once durable,
    // committed before any read.
    boolean joinsGroup =
        plainValues
            && (groupCommitMode != GroupCommitMode.OFF_MODE
                || (sharedCommit && sharesCommit(table)));
    ValuesRows literals = values.rows(insert.source(), insert.sourceOffset());
    if (literals != null) {
      int width = literals.width();
      BatchStream rows = literalBatches(table, insert.columns(), literals);
      return joinsGroup
          ? writeInGroup(table, insert.columns(), width, rows, groups, groupCommitMode)
          : write(
              planner.user(),
              table,
              insert.columns(),
              width,
              rows,
              insert.label(),
              false,
              transaction,
              partitions,
              insert.temporaryPartitions(),
              partial);
    }
    PlannedQuery source = planner.plan(insert.source());
    // Streams: each batch the source produces is converted and handed to the load transaction,
    // which buffers per tablet within its memory budget, so a large INSERT ... SELECT never
    // holds all its rows.
    int width = source.columns().size();
    try (Operator operator = planner.operator(source)) {
      if (joinsGroup) {
        return writeInGroup(
            table, insert.columns(), width, operator::next, groups, groupCommitMode);
      }
      return write(
          planner.user(),
          table,
          insert.columns(),
          width,
          operator::next,
          insert.label(),
          false,
          transaction,
          partitions,
          insert.temporaryPartitions(),
          partial);
    }
  }

  /**
   * The rows of an INSERT's literal VALUES list, each value read straight into the type of the
   * column it fills (the delete sign, named in the column list, as TINYINT).
   */
  private static BatchStream literalBatches(
      TableMeta table, List<String> columnNames, ValuesRows literals) {
    SourceColumns mapping = sourceOfColumns(table, columnNames, literals.width());
    DataType[] types = new DataType[literals.width()];
    String[] names = new String[literals.width()];
    List<ColumnMeta> columns = table.columns();
    for (int c = 0; c < columns.size(); c++) {
      int source = mapping.sourceOfColumn()[c];
      if (source >= 0) {
        types[source] = columns.get(c).type();
        names[source] = columns.get(c).name();
      }
    }
    if (mapping.deleteSignSource() >= 0) {
      types[mapping.deleteSignSource()] = DataType.TINYINT;
      names[mapping.deleteSignSource()] = HiddenColumns.DELETE_SIGN;
    }
    return literals.batches(types, names);
  }

  /** Lets {@code INSERT INTO ... VALUES} join groups when the session sets group_commit. */
  void groupCommit(GroupCommitManager manager) {
    this.groupCommit = manager;
  }

  /**
   * Whether a plain INSERT ... VALUES into the table shares a group commit outside group commit
   * mode ({@link GroupCommitManager#submitVisibleToReads}): DUPLICATE KEY tables, whose rows keep
   * no order between loads (on UNIQUE and AGGREGATE KEY tables the group's later commit would put
   * its rows after loads that came later), without AUTO PARTITION (a group does not create
   * partitions), and not on a catalog shared with other front ends (their reads do not pass this
   * server's read barrier).
   */
  private boolean sharesCommit(TableMeta table) {
    return table.keysType() == KeysType.DUP_KEYS
        && !table.partitioning().auto()
        && !catalog.isShared();
  }

  /** Whether an INSERT's source is a VALUES list (the only INSERT that joins a group, as Doris). */
  private static boolean isValues(String source) {
    return source.stripLeading().regionMatches(true, 0, "VALUE", 0, 5);
  }

  /**
   * {@code INSERT INTO t VALUES ...} with {@code group_commit} set to {@code async_mode} or {@code
   * sync_mode}: the converted rows join the table's current group ({@link GroupCommitManager}); the
   * answer's Info names the group's label, with status {@code PREPARE} (async: durable in the
   * write-ahead log, visible at the group's commit) or {@code VISIBLE} (sync). With {@code
   * OFF_MODE} (an INSERT that shares a commit outside group commit, {@link #sharesCommit}) the rows
   * are durable in the log and visible to every read that begins after the answer, status {@code
   * VISIBLE}. An INSERT too large for a group commits on its own.
   */
  private StatementResult writeInGroup(
      TableMeta table,
      List<String> columnNames,
      int sourceWidth,
      BatchStream sourceBatches,
      GroupCommitManager groups,
      GroupCommitMode mode) {
    int[] sourceOfColumn = sourceOfColumns(table, columnNames, sourceWidth).sourceOfColumn();
    requireSequence(table, sourceOfColumn, false);
    GroupCommitLoad rows = new GroupCommitLoad(table);
    Appended appended =
        append(
            (source, converted) ->
                rows.append(
                    converted,
                    (row, reason) -> {
                      throw new BasaltException(ErrorCode.ANALYSIS_ERROR, reason);
                    }),
            table,
            sourceOfColumn,
            sourceBatches,
            false,
            false);
    long count = appended.rows();
    if (count == 0) {
      return new UpdateCount(0, 0, "");
    }
    if (rows.oversized()) {
      try (LoadTransaction own = writer.begin(table, null)) {
        rows.moveTo(own);
        return new UpdateCount(count, 0, visibleInfo(own.commit()), appended.firstGenerated());
      }
    }
    long timeout = TimeUnit.SECONDS.toMillis(GROUP_COMMIT_WAIT_SECONDS);
    GroupCommitReceipt receipt =
        mode == GroupCommitMode.OFF_MODE
            ? groups.submitVisibleToReads(rows, timeout)
            : groups.submit(rows, mode, timeout);
    return new UpdateCount(
        count,
        0,
        "{'label':'"
            + receipt.label()
            + "', 'status':'"
            + (receipt.visible() ? "VISIBLE" : "PREPARE")
            + "', 'txnId':'"
            + receipt.transactionId()
            + "'}",
        appended.firstGenerated());
  }

  /**
   * How long a sync-mode INSERT waits for its group's commit (the statement's own insert_timeout
   * also applies).
   */
  private static final long GROUP_COMMIT_WAIT_SECONDS = 600;

  /**
   * {@code DELETE FROM t [alias] [PARTITION p | PARTITIONS (p, ...)] [USING tables] [WHERE c]}. On
   * a merge-on-write UNIQUE KEY table the rows the condition selects (read at one snapshot, joined
   * with the USING tables when there are any) are marked deleted by key; on DUPLICATE, AGGREGATE
   * and merge-on-read UNIQUE KEY tables the condition marks, at commit, every committed row it
   * holds for ({@link PredicateDeleteMarker}), with Doris's rules: a WHERE clause is needed, no
   * USING, and on AGGREGATE and merge-on-read UNIQUE tables it may name key columns only. Either
   * way one commit at a new version, atomically and durably.
   */
  StatementResult delete(
      Statement.Delete delete, String currentDatabase, SqlEngine.StatementPlanner planner) {
    TableMeta table =
        catalog.existingTable(delete.table().databaseOr(currentDatabase), delete.table().name());
    if (table.keysType() != KeysType.UNIQUE_KEYS || !table.mergeOnWrite()) {
      if (delete.using() != null) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED,
            "DELETE ... USING on "
                + modelName(table)
                + " table "
                + table.name()
                + "; only merge-on-write UNIQUE KEY tables");
      }
      return deleteByCondition(table, delete, currentDatabase, planner);
    }
    // The columns by name, not *: with show_hidden_columns on, * also lists the hidden columns.
    String target = targetQualifier(table, delete.alias());
    String source =
        "SELECT "
            + String.join(
                ", ", table.columns().stream().map(c -> target + "." + quoted(c.name())).toList())
            + " FROM "
            + targetReference(delete.table(), delete.alias(), delete.partitions(), currentDatabase)
            + (delete.using() == null ? "" : ", " + delete.using())
            + (delete.condition() == null ? "" : " WHERE " + delete.condition());
    PlannedQuery planned = planStoredColumns(planner, table, source);
    try (Operator operator = planner.operator(planned)) {
      return write(
          planner.user(),
          table,
          storedNames(table),
          planned.columns().size(),
          operator::next,
          null,
          true,
          null);
    }
  }

  /** "a DUPLICATE KEY", "an AGGREGATE KEY" or "a merge-on-read UNIQUE KEY", for messages. */
  private static String modelName(TableMeta table) {
    return switch (table.keysType()) {
      case AGG_KEYS -> "an AGGREGATE KEY";
      case UNIQUE_KEYS -> table.mergeOnWrite() ? "a UNIQUE KEY" : "a merge-on-read UNIQUE KEY";
      default -> "a DUPLICATE KEY";
    };
  }

  /**
   * The name the statement's SELECT qualifies the target's columns with: its alias, or its name.
   */
  private static String targetQualifier(TableMeta table, String alias) {
    return quoted(alias != null ? alias : table.name());
  }

  /** The target table as the statement's SELECT reads it: name, partitions and alias. */
  private static String targetReference(
      TableName name, String alias, List<String> partitions, String currentDatabase) {
    return quotedName(name, currentDatabase)
        + partitionClause(partitions)
        + (alias == null ? "" : " AS " + quoted(alias));
  }

  private static String partitionClause(List<String> partitions) {
    if (partitions.isEmpty()) {
      return "";
    }
    List<String> quoted = partitions.stream().map(InsertExecutor::quoted).toList();
    return " PARTITION (" + String.join(", ", quoted) + ")";
  }

  /**
   * DELETE on a DUPLICATE, AGGREGATE or merge-on-read UNIQUE KEY table: marks the rows the
   * condition holds for. On the last two the condition may name key columns only (every version of
   * a key is then marked, so the read-time merge sees none of them).
   */
  private StatementResult deleteByCondition(
      TableMeta table,
      Statement.Delete delete,
      String currentDatabase,
      SqlEngine.StatementPlanner planner) {
    if (delete.condition() == null) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "DELETE on "
              + modelName(table)
              + " table needs a WHERE clause; TRUNCATE TABLE "
              + table.name()
              + " empties it");
    }
    PlannedQuery planned =
        planner.plan(
            "SELECT * FROM "
                + targetReference(delete.table(), delete.alias(), List.of(), currentDatabase)
                + " WHERE "
                + delete.condition());
    RowCondition condition = RowCondition.of(planned, registry, planner.evaluationContext());
    if (table.keysType() != KeysType.DUP_KEYS) {
      for (int column : condition.columns()) {
        if (!table.columns().get(column).key()) {
          throw new BasaltException(
              ErrorCode.ANALYSIS_ERROR,
              "delete predicate on value column only supports Unique table with merge-on-write"
                  + " enabled and Duplicate table, but Table["
                  + table.name()
                  + "] is "
                  + (table.keysType() == KeysType.AGG_KEYS
                      ? "an Aggregate table."
                      : "a Unique table with merge-on-read.")
                  + " Delete by its key columns.");
        }
      }
    }
    // Only the columns the condition reads are decoded (none without a condition).
    List<ColumnRequest> requests = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    for (int index : condition.columns()) {
      ColumnMeta column = table.columns().get(index);
      requests.add(
          ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.valueOf(column)));
      types.add(CalciteTypes.plannedType(column.type()));
    }
    Map<Long, List<SegmentFile>> tablets = new java.util.TreeMap<>();
    // Partitions where the condition cannot hold are skipped, as a query with it skips them.
    for (PartitionMeta partition :
        condition.prune(table, PartitionPruner.selected(table, delete.partitions()))) {
      for (long tabletId : partition.tabletIds()) {
        tablets.put(tabletId, List.of());
      }
    }
    PredicateDeleteMarker marker =
        new PredicateDeleteMarker(
            writer.fileSystem(), requests, types, condition, planner.evaluationContext());
    List<SegmentFile> visible = new ArrayList<>();
    for (TableSnapshot.PartitionSnapshot partition : catalog.snapshot(table.id()).partitions()) {
      for (Map.Entry<Long, List<RowsetMeta>> tablet : partition.rowsets().entrySet()) {
        if (tablets.containsKey(tablet.getKey())) {
          tablet.getValue().forEach(rowset -> visible.addAll(rowset.segments()));
        }
      }
    }
    marker.prepare(visible);
    CommitResult commit = catalog.commitLoad(table.id(), null, tablets, 0, marker);
    return new UpdateCount(marker.marked(), 0, visibleInfo(commit));
  }

  /**
   * {@code UPDATE t [alias] SET c = e, ... [FROM tables] [WHERE c]} on a UNIQUE KEY table: reads
   * the matching rows at one snapshot (joined with the FROM tables when there are any; a row that
   * matches several of their rows is updated from one of them, which one unspecified, as in MySQL
   * and PostgreSQL), computes their new values (expressions see the old row) and writes them as one
   * load. On merge-on-write its commit marks the old rows deleted; on merge-on-read the new rows
   * are the newest versions of their keys.
   */
  StatementResult update(
      Statement.Update update, String currentDatabase, SqlEngine.StatementPlanner planner) {
    TableMeta table =
        catalog.existingTable(update.table().databaseOr(currentDatabase), update.table().name());
    if (table.keysType() != KeysType.UNIQUE_KEYS) {
      throw new BasaltException(ErrorCode.ANALYSIS_ERROR, "Only unique table could be updated.");
    }
    List<ColumnMeta> columns = table.columns();
    String[] expressions = new String[columns.size()];
    for (Statement.Assignment assignment : update.assignments()) {
      requireTargetQualifier(table, update.alias(), assignment);
      int index = indexOf(columns, assignment.column());
      if (index < 0) {
        throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, assignment.column(), "field list");
      }
      if (columns.get(index).key()) {
        throw new BasaltException(
            ErrorCode.ANALYSIS_ERROR, "Only value columns of unique table could be updated");
      }
      if (expressions[index] != null) {
        throw new BasaltException(ErrorCode.DUPLICATE_COLUMN, assignment.column());
      }
      expressions[index] = assignment.expression();
    }
    String target = targetQualifier(table, update.alias());
    StringBuilder source = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        source.append(", ");
      }
      source.append(
          expressions[i] != null
              ? "(" + expressions[i] + ")"
              : target + "." + quoted(columns.get(i).name()));
    }
    source
        .append(" FROM ")
        .append(targetReference(update.table(), update.alias(), List.of(), currentDatabase));
    if (update.from() != null) {
      source.append(", ").append(update.from());
    }
    if (update.condition() != null) {
      source.append(" WHERE ").append(update.condition());
    }
    PlannedQuery planned = planStoredColumns(planner, table, source.toString());
    try (Operator operator = planner.operator(planned)) {
      return write(
          planner.user(),
          table,
          storedNames(table),
          planned.columns().size(),
          operator::next,
          null,
          false,
          null);
    }
  }

  /**
   * A SET column written {@code q.c} must name the target: its alias when it has one, else its
   * name.
   */
  private static void requireTargetQualifier(
      TableMeta table, String alias, Statement.Assignment assignment) {
    String qualifier = assignment.qualifier();
    if (qualifier == null
        || (alias != null ? qualifier.equals(alias) : qualifier.equalsIgnoreCase(table.name()))) {
      return;
    }
    throw new BasaltException(
        ErrorCode.UNKNOWN_COLUMN, qualifier + "." + assignment.column(), "field list");
  }

  /**
   * Plans the SELECT of all stored columns that DELETE and UPDATE write back: a stored hidden
   * sequence column is only in the schema that shows hidden columns.
   */
  private static PlannedQuery planStoredColumns(
      SqlEngine.StatementPlanner planner, TableMeta table, String source) {
    return HiddenColumns.storesSequence(table)
        ? planner.planShowingHiddenColumns(source)
        : planner.plan(source);
  }

  /** The names of all of {@code table.columns()}, hidden sequence column included. */
  private static List<String> storedNames(TableMeta table) {
    return table.columns().stream().map(ColumnMeta::name).toList();
  }

  /**
   * Doris's rule for a table with a hidden sequence column: a load must give {@code
   * __DORIS_SEQUENCE_COL__} a value, except a partial column update (which keeps the stored one).
   *
   * @throws BasaltException ANALYSIS_ERROR "Table t has sequence column, need to specify the
   *     sequence column"
   */
  private static void requireSequence(TableMeta table, int[] sourceOfColumn, boolean partial) {
    if (!partial
        && HiddenColumns.storesSequence(table)
        && sourceOfColumn[UniqueKeyOptions.sequenceColumn(table)] < 0) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "Table "
              + table.name()
              + " has sequence column, need to specify the sequence column (name "
              + HiddenColumns.SEQUENCE
              + " in the column list)");
    }
  }

  private static String quotedName(TableName name, String currentDatabase) {
    return quoted(name.databaseOr(currentDatabase)) + "." + quoted(name.name());
  }

  private static String quoted(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  private StatementResult write(
      String user,
      TableMeta table,
      List<String> columnNames,
      int sourceWidth,
      BatchStream sourceBatches,
      String label,
      boolean deleting,
      ExplicitTransaction transaction) {
    return write(
        user,
        table,
        columnNames,
        sourceWidth,
        sourceBatches,
        label,
        deleting,
        transaction,
        List.of(),
        false,
        false);
  }

  /**
   * @param partitions the partitions an {@code INSERT INTO t PARTITION (p, ...)} writes (a row of
   *     another partition fails the statement, as in Doris); empty for all
   * @param temporaryPartitions whether {@code partitions} names temporary partitions ({@code INSERT
   *     INTO t TEMPORARY PARTITION (tp, ...)})
   * @param partial whether the columns not named keep their stored values (partial column update of
   *     a merge-on-write table, {@code enable_unique_key_partial_update})
   */
  private StatementResult write(
      String user,
      TableMeta table,
      List<String> columnNames,
      int sourceWidth,
      BatchStream sourceBatches,
      String label,
      boolean deleting,
      ExplicitTransaction transaction,
      List<String> partitions,
      boolean temporaryPartitions,
      boolean partial) {
    LoadInfo info = LoadInfo.of(LoadInfo.INSERT, user, System.currentTimeMillis());
    List<ColumnMeta> columns = table.columns();
    SourceColumns mapping = sourceOfColumns(table, columnNames, sourceWidth);
    int[] sourceOfColumn = mapping.sourceOfColumn();
    requireSequence(table, sourceOfColumn, partial);
    long rows = 0;
    long firstGenerated = 0;
    LoadTransaction shared =
        transaction == null
            ? null
            : transaction.loadInto(
                table, () -> described(writer.begin(table, transaction.label()), info));
    try (LoadTransaction own =
        shared == null ? described(writer.begin(table, label), info) : null) {
      LoadTransaction load = shared != null ? shared : own;
      if (!partitions.isEmpty()) {
        if (shared != null) {
          throw new BasaltException(
              ErrorCode.UNSUPPORTED, "INSERT INTO ... PARTITION inside a transaction");
        }
        if (temporaryPartitions) {
          load.restrictToTemporaryPartitions(partitions);
        } else {
          load.restrictToPartitions(partitions);
        }
      }
      try {
        if (partial) {
          boolean[] given = new boolean[columns.size()];
          for (int c = 0; c < given.length; c++) {
            given[c] = sourceOfColumn[c] >= 0;
          }
          load.updateColumns(given);
        }
        int signs = mapping.deleteSignSource();
        ConvertedSink sink =
            deleting
                ? (source, converted) -> load.deleteRegardlessOfSequence(converted)
                : signs >= 0
                    ? (source, converted) -> DeleteSign.split(source.column(signs), converted, load)
                    : (source, converted) -> load.append(converted);
        Appended appended = append(sink, table, sourceOfColumn, sourceBatches, partial, deleting);
        rows = appended.rows();
        firstGenerated = appended.firstGenerated();
      } catch (RuntimeException | Error failure) {
        if (shared != null) {
          transaction.failed();
        }
        throw failure;
      }
      if (shared != null) {
        return new UpdateCount(
            rows,
            0,
            "{'label':'"
                + (transaction.label() == null ? "" : transaction.label())
                + "', 'status':'PREPARE'}",
            firstGenerated);
      }
      if (rows == 0) {
        return new UpdateCount(0, 0, "");
      }
      return new UpdateCount(rows, 0, visibleInfo(own.commit()), firstGenerated);
    }
  }

  private static LoadTransaction described(LoadTransaction load, LoadInfo info) {
    load.describe(info);
    return load;
  }

  /**
   * For each table column the source column that fills it, or -1 (its default); and the source
   * column of {@code __DORIS_DELETE_SIGN__}, or -1.
   */
  private record SourceColumns(int[] sourceOfColumn, int deleteSignSource) {}

  /** Receives each converted batch with the source batch it came from. */
  private interface ConvertedSink {
    void accept(Batch source, Batch converted);
  }

  /** Whether an INSERT's column list names {@code __DORIS_DELETE_SIGN__}. */
  private static boolean namesDeleteSign(List<String> columnNames) {
    return columnNames != null
        && columnNames.stream().anyMatch(HiddenColumns.DELETE_SIGN::equalsIgnoreCase);
  }

  private static SourceColumns sourceOfColumns(
      TableMeta table, List<String> columnNames, int sourceWidth) {
    List<Integer> targetOf = new ArrayList<>();
    List<ColumnMeta> columns = table.columns();
    int[] sourceOfColumn = new int[columns.size()];
    java.util.Arrays.fill(sourceOfColumn, -1);
    if (columnNames == null || columnNames.isEmpty()) {
      // By position: the visible columns (a hidden sequence column is filled only by name).
      for (int i = 0; i < HiddenColumns.visible(table).size(); i++) {
        targetOf.add(i);
      }
    } else {
      for (String name : columnNames) {
        int index = indexOf(columns, name);
        if (index < 0) {
          index = hiddenTarget(table, name);
        }
        if (index == NO_COLUMN) {
          throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, name, "field list");
        }
        if (targetOf.contains(index)) {
          throw new BasaltException(ErrorCode.DUPLICATE_COLUMN, name);
        }
        targetOf.add(index);
      }
    }
    if (sourceWidth != targetOf.size()) {
      throw new BasaltException(ErrorCode.COLUMN_COUNT_MISMATCH, 1);
    }
    for (int i = 0; i < targetOf.size(); i++) {
      if (targetOf.get(i) >= 0) {
        sourceOfColumn[targetOf.get(i)] = i;
      }
    }
    return new SourceColumns(sourceOfColumn, targetOf.indexOf(DELETE_SIGN_TARGET));
  }

  /** The {@code Info} of a committed load's OK answer, as Doris writes it. */
  static String visibleInfo(CommitResult commit) {
    return "{'label':'"
        + commit.label()
        + "', 'status':'VISIBLE', 'txnId':'"
        + commit.transactionId()
        + "'}";
  }

  /**
   * What {@link #append} took: the rows, and the first AUTO_INCREMENT value generated (0 when
   * none).
   */
  private record Appended(long rows, long firstGenerated) {}

  /**
   * Converts every batch of the source, generates the missing AUTO_INCREMENT values unless {@code
   * partial} or {@code deleting}, and hands it to {@code sink}.
   */
  private Appended append(
      ConvertedSink sink,
      TableMeta table,
      int[] sourceOfColumn,
      BatchStream sourceBatches,
      boolean partial,
      boolean deleting) {
    List<ColumnMeta> columns = table.columns();
    long rows = 0;
    long firstGenerated = 0;
    for (Batch batch = sourceBatches.next(); batch != null; batch = sourceBatches.next()) {
      List<ColumnVector> vectors = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        ColumnMeta column = columns.get(c);
        ColumnVector vector =
            sourceOfColumn[c] >= 0
                ? convert(batch.column(sourceOfColumn[c]), column, rows)
                : ColumnVectorBuilder.constant(
                    column.type(),
                    partial ? defaults.valueOf(column) : defaultFor(column),
                    batch.rowCount());
        vectors.add(vector);
      }
      Batch converted = new Batch(vectors, batch.rowCount());
      if (!partial && !deleting) {
        // A partial update keeps the stored AUTO_INCREMENT value of existing keys.
        AutoIncrementValues.Filled filled = writer.autoIncrementValues().fill(table, converted);
        converted = filled.batch();
        if (firstGenerated == 0) {
          firstGenerated = filled.firstGenerated();
        }
      }
      sink.accept(batch, converted);
      rows += batch.rowCount();
    }
    return new Appended(rows, firstGenerated);
  }

  /** A target index meaning "no such column". */
  private static final int NO_COLUMN = -1;

  /** The target index of {@code __DORIS_DELETE_SIGN__} named in an INSERT's column list. */
  private static final int DELETE_SIGN_TARGET = -2;

  /**
   * Where a hidden column named in an INSERT's column list goes ({@link HiddenColumns}): the delete
   * sign decides per row between upsert and delete (merge-on-write tables), the sequence column is
   * the column it mirrors; anything else is {@link #NO_COLUMN}.
   */
  private static int hiddenTarget(TableMeta table, String name) {
    if (HiddenColumns.named(table, name).isEmpty()) {
      return NO_COLUMN;
    }
    if (name.equalsIgnoreCase(HiddenColumns.DELETE_SIGN)) {
      if (!table.mergeOnWrite()) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED,
            HiddenColumns.DELETE_SIGN + " on a merge-on-read UNIQUE KEY table");
      }
      return DELETE_SIGN_TARGET;
    }
    if (name.equalsIgnoreCase(HiddenColumns.SEQUENCE)) {
      return UniqueKeyOptions.sequenceColumn(table);
    }
    throw new BasaltException(
        ErrorCode.ANALYSIS_ERROR, "the hidden column " + name + " cannot be written");
  }

  private Object defaultFor(ColumnMeta column) {
    Object value = defaults.valueOf(column);
    if (value == null && !column.nullable() && !column.autoIncrement()) {
      if (column.defaultValue().kind() == DefaultValue.Kind.NONE) {
        throw new BasaltException(ErrorCode.NO_DEFAULT_FOR_FIELD, column.name());
      }
      throw new BasaltException(ErrorCode.NULL_IN_NOT_NULL_COLUMN, column.name());
    }
    return value;
  }

  /**
   * Casts a source vector to the column's type; values that do not fit are errors (strict insert).
   */
  private ColumnVector convert(ColumnVector source, ColumnMeta column, long rowBase) {
    DataType target = column.type();
    ColumnVector result = source;
    if (!sameStorage(source.type(), target)) {
      result =
          registry
              .resolveCast(source.type(), target)
              .evaluate(
                  List.of(source),
                  source.size(),
                  dev.basalt.exec.function.EvaluationContext.now(
                      java.time.ZoneId.systemDefault(), "insert"));
    }
    boolean lengthLimited = target.kind() == TypeKind.CHAR || target.kind() == TypeKind.VARCHAR;
    if (result == source && source.type().equals(target)) {
      return checkedAsIs(source, column, rowBase);
    }
    for (int row = 0; row < source.size(); row++) {
      boolean sourceNull = source.isNull(row);
      if (!sourceNull && result.isNull(row)) {
        String text = ValueText.format(source.type(), source.getObject(row));
        throw new BasaltException(
            ErrorCode.BAD_VALUE, target.sqlName(), text, column.name(), rowBase + row + 1);
      }
      if (result.isNull(row) && !column.nullable() && !column.autoIncrement()) {
        throw new BasaltException(ErrorCode.NULL_IN_NOT_NULL_COLUMN, column.name());
      }
      if (lengthLimited && !result.isNull(row)) {
        String value = (String) result.getObject(row);
        if (value.codePointCount(0, value.length()) > target.length()) {
          throw new BasaltException(ErrorCode.DATA_TOO_LONG, column.name(), rowBase + row + 1);
        }
      }
    }
    if (!result.type().equals(target)) {
      ColumnVectorBuilder rebuilt = new ColumnVectorBuilder(target, result.size());
      for (int row = 0; row < result.size(); row++) {
        rebuilt.appendObject(result.getObject(row));
      }
      result = rebuilt.build();
    }
    return result;
  }

  /**
   * {@link #convert} of a vector that already has the column's type: only NOT NULL and the
   * CHAR/VARCHAR length are checked, a value's characters counted only when its UTF-8 bytes
   * outnumber the length.
   */
  private static ColumnVector checkedAsIs(ColumnVector vector, ColumnMeta column, long rowBase) {
    DataType type = vector.type();
    boolean lengthLimited = type.kind() == TypeKind.CHAR || type.kind() == TypeKind.VARCHAR;
    boolean nullsRefused = !column.nullable() && !column.autoIncrement();
    if (!lengthLimited && (!nullsRefused || !vector.mayHaveNulls())) {
      // Nothing to check row by row (most columns of a typed batch: no NULLs, no length).
      return vector;
    }
    BytesVector bytes = lengthLimited ? (BytesVector) vector : null;
    for (int row = 0; row < vector.size(); row++) {
      if (vector.isNull(row)) {
        if (nullsRefused) {
          throw new BasaltException(ErrorCode.NULL_IN_NOT_NULL_COLUMN, column.name());
        }
      } else if (bytes != null && bytes.byteLength(row) > type.length()) {
        String value = (String) vector.getObject(row);
        if (value.codePointCount(0, value.length()) > type.length()) {
          throw new BasaltException(ErrorCode.DATA_TOO_LONG, column.name(), rowBase + row + 1);
        }
      }
    }
    return vector;
  }

  private static boolean sameStorage(DataType source, DataType target) {
    if (source.equals(target)) {
      return true;
    }
    if (source.kind().isString() && target.kind().isString()) {
      return true;
    }
    return false;
  }

  private static int indexOf(List<ColumnMeta> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * CREATE TABLE ... AS SELECT: the table gets the query's column names and types (all nullable)
   * and the statement's own key, partition, distribution and property clauses, with the same
   * defaults as CREATE TABLE; then the query's rows are loaded. If the load fails the new table is
   * dropped again.
   */
  StatementResult createTableAsSelect(
      Statement.CreateTableAsSelect create,
      String currentDatabase,
      SqlEngine.StatementPlanner planner,
      DdlExecutor ddl) {
    String database = create.table().databaseOr(currentDatabase);
    if (database == null) {
      throw new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    }
    if (catalog.table(database, create.table().name()).isPresent()) {
      if (create.ifNotExists()) {
        return UpdateCount.OK;
      }
      throw new BasaltException(ErrorCode.TABLE_EXISTS, create.table().name());
    }
    PlannedQuery source = planner.plan(create.query());
    List<ColumnDefinition> columns = new ArrayList<>();
    List<ResultColumn> resultColumns = source.columns();
    if (create.columnNames() != null
        && !create.columnNames().isEmpty()
        && create.columnNames().size() != resultColumns.size()) {
      throw new BasaltException(ErrorCode.COLUMN_COUNT_MISMATCH, 1);
    }
    for (int i = 0; i < resultColumns.size(); i++) {
      String name =
          create.columnNames() != null && i < create.columnNames().size()
              ? create.columnNames().get(i)
              : resultColumns.get(i).name();
      columns.add(
          new ColumnDefinition(
              name,
              storedType(resultColumns.get(i).type()),
              false,
              AggregationType.NONE,
              true,
              false,
              DefaultValue.NONE,
              ""));
    }
    Statement.CreateTable definition =
        new Statement.CreateTable(
            new TableName(database, create.table().name()),
            false,
            columns,
            List.of(),
            create.keys(),
            create.comment(),
            create.partitioning(),
            create.distribution(),
            create.properties() == null ? Map.of() : create.properties());
    // Streams as INSERT ... SELECT does: the table is created (provisional) once the query's
    // operators are built, the batches go into one load as they come, and only after the load's
    // commit is the table confirmed. A failure drops it; a crash before the confirmation leaves
    // a provisional table that the catalog drops when it is next opened (docs/sql.md).
    try (Operator operator = planner.operator(source)) {
      TableMeta table = ddl.createTable(definition, database, true);
      StatementResult result;
      try {
        result =
            write(
                planner.user(),
                table,
                null,
                source.columns().size(),
                operator::next,
                null,
                false,
                null);
      } catch (RuntimeException | Error failure) {
        try {
          ddl.execute(
              new Statement.DropTable(new TableName(database, table.name()), true, true), null);
        } catch (RuntimeException dropFailure) {
          failure.addSuppressed(dropFailure);
        }
        throw failure;
      }
      catalog.confirmTable(table.id());
      return result;
    }
  }

  /** Types a query produces that a table column cannot have are widened to ones it can. */
  private static DataType storedType(DataType type) {
    return switch (type.kind()) {
      case NULL -> DataType.STRING;
      case CHAR -> type.length() > DataType.MAX_CHAR_LENGTH ? DataType.STRING : type;
      default -> type;
    };
  }
}
