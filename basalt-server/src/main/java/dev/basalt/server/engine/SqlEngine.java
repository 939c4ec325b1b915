package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.result.StatementResult;
import dev.basalt.common.result.UpdateCount;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.control.CancellationToken;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.operator.LimitOperator;
import dev.basalt.exec.operator.Operator;
import dev.basalt.exec.profile.QueryProfile;
import dev.basalt.load.TableWriter;
import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.load.compaction.StorageMaintenance;
import dev.basalt.load.gc.ReaderRegistry;
import dev.basalt.load.groupcommit.GroupCommitMode;
import dev.basalt.load.schema.ColumnRewriter;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.ViewMeta;
import dev.basalt.meta.privilege.AccessRights;
import dev.basalt.server.audit.AuditLog;
import dev.basalt.server.profile.QueryProfileStore;
import dev.basalt.server.profile.StoredProfile;
import dev.basalt.server.session.ExplicitTransaction;
import dev.basalt.server.session.QueryHandler;
import dev.basalt.server.session.Session;
import dev.basalt.server.session.SessionRegistry;
import dev.basalt.server.session.ValuesRows;
import dev.basalt.sql.ddl.DdlExecutor;
import dev.basalt.sql.ddl.ShowExecutor;
import dev.basalt.sql.parser.DorisParser;
import dev.basalt.sql.parser.ExplainLevel;
import dev.basalt.sql.parser.LiteralTemplate;
import dev.basalt.sql.parser.SetAssignment;
import dev.basalt.sql.parser.SqlRedaction;
import dev.basalt.sql.parser.Statement;
import dev.basalt.sql.parser.StatementSplitter;
import dev.basalt.sql.parser.TableName;
import dev.basalt.sql.planner.OperatorBuilder;
import dev.basalt.sql.planner.PlanParameters;
import dev.basalt.sql.planner.PlannedQuery;
import dev.basalt.sql.planner.QueryPlanner;
import dev.basalt.sql.planner.VariableResolver;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.ColumnRequest;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.calcite.plan.RelOptUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Basalt's SQL entry point: splits the text into statements, parses each with the Doris statement
 * parser, and dispatches it: queries to Calcite planning and Basalt's operators, INSERT to the
 * {@link InsertExecutor}, DDL and catalog SHOW statements to the DDL executors, session statements
 * (USE, SET, SHOW VARIABLES ...) here.
 *
 * <p>Thread safe; each call works for one session.
 */
public final class SqlEngine implements QueryHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SqlEngine.class);

  private final Catalog catalog;
  private final FileSystem fileSystem;
  private final SessionRegistry sessions;
  private final SystemVariables variables = new SystemVariables();
  private final FunctionRegistry registry = FunctionRegistry.builtins();
  private final QueryPlanner planner = new QueryPlanner(registry);
  private final CatalogSchemaProvider schema;

  /** The schema for sessions with {@code show_hidden_columns} on (never used by the plan cache). */
  private final CatalogSchemaProvider schemaWithHiddenColumns;

  private final PlanCache planCache;

  /** Point reads by primary key, with the decoded pages they read kept for the next ones. */
  private final PrimaryKeyLookup primaryKeyLookup;

  /** Footers and decoded pages of segment files kept between statements. */
  private final SegmentCaches segmentCaches;

  private final SystemTableRows systemRows;
  private final ColumnDefaults defaults = new ColumnDefaults(registry);
  private final DdlExecutor ddl;
  private final ShowExecutor show;
  private final InsertExecutor inserts;
  private final GroupCommitDdlBarrier groupCommitBarrier;
  private final AccessControl access;
  private final AuditLog auditLog;
  private final StorageMaintenance maintenance;
  private final TableAnalyzer analyzer;

  /** The memory all queries of this server share (docs/architecture.md, "Memory"). */
  private final MemoryPool memoryPool = MemoryPool.forHeap();

  /** The profiles of the last queries run with enable_profile (served over HTTP). */
  private final QueryProfileStore profiles = new QueryProfileStore();

  /** Where operators may spill (docs/resource-control.md); null: they fail instead. */
  private volatile java.nio.file.Path spillDirectory;

  /** Lets operators that can (sort) spill to files in {@code directory} instead of failing. */
  public void spillDirectory(java.nio.file.Path directory) {
    this.spillDirectory = directory;
  }

  public SqlEngine(Catalog catalog, FileSystem fileSystem, SessionRegistry sessions) {
    this(catalog, fileSystem, sessions, new TableWriter(catalog, fileSystem), AuditLog.DISABLED);
  }

  /**
   * An engine whose INSERTs load through {@code writer} and whose statements are recorded in {@code
   * auditLog}; compaction and garbage collection run only on request.
   */
  public SqlEngine(
      Catalog catalog,
      FileSystem fileSystem,
      SessionRegistry sessions,
      TableWriter writer,
      AuditLog auditLog) {
    this(catalog, fileSystem, sessions, writer, auditLog, MaintenanceConfig.ON_REQUEST);
  }

  /**
   * As {@link #SqlEngine(Catalog, FileSystem, SessionRegistry, TableWriter, AuditLog)}, with the
   * storage maintenance {@code maintenanceConfig} describes; the caller starts it ({@link
   * #maintenance()}) and closes it at shutdown.
   */
  public SqlEngine(
      Catalog catalog,
      FileSystem fileSystem,
      SessionRegistry sessions,
      TableWriter writer,
      AuditLog auditLog,
      MaintenanceConfig maintenanceConfig) {
    this.catalog = catalog;
    this.auditLog = auditLog;
    this.fileSystem = fileSystem;
    this.sessions = sessions;
    this.access = new AccessControl(catalog);
    this.schema = new CatalogSchemaProvider(catalog, false);
    this.schemaWithHiddenColumns = new CatalogSchemaProvider(catalog, true);
    this.planCache = new PlanCache(catalog);
    this.segmentCaches = new SegmentCaches(fileSystem, memoryPool);
    this.primaryKeyLookup = new PrimaryKeyLookup(fileSystem, segmentCaches);
    this.systemRows =
        new SystemTableRows(
            catalog,
            sessions,
            variables,
            (session, database, view) ->
                viewColumns(session, new TableName(database, view), database));
    this.show = new ShowExecutor(catalog, java.time.ZoneId.systemDefault());
    this.inserts = new InsertExecutor(catalog, registry, defaults, writer);
    writer.useColumnDefaults(defaults::valueOf);
    this.groupCommitBarrier = new GroupCommitDdlBarrier(catalog);
    this.maintenance =
        new StorageMaintenance(catalog, fileSystem, writer, defaults::valueOf, maintenanceConfig);
    maintenance.garbageCollector().onDelete(segmentCaches::forget);
    this.ddl =
        new DdlExecutor(
            catalog,
            this::reclaim,
            new ColumnRewriter(
                fileSystem, writer.filesInFlight(), defaults::valueOf, catalog::allocateId));
    this.analyzer =
        new TableAnalyzer(
            catalog,
            () ->
                new TableScans(
                    catalog,
                    fileSystem,
                    systemRows,
                    defaults,
                    null,
                    primaryKeyLookup,
                    segmentCaches),
            maintenance.readers());
  }

  /**
   * Plans, or runs, the start-up warm-up statements ({@link StartupWarmUp}) in a private root
   * session, neither audited nor profiled, and discards their rows; a statement that fails is
   * logged and skipped. Call once the data is safe to read (after crash recovery) and before, or
   * while, the front doors open. Blocks until done; thread safe.
   */
  public void warmUp() {
    Session session = new Session(0, dev.basalt.meta.catalog.Catalog.ROOT_USER, "warm-up");
    for (StartupWarmUp.Statement warmUp : StartupWarmUp.statements(catalog)) {
      String sql = warmUp.sql();
      session.beginStatement(sql, "warm-up", CancellationToken.NONE);
      try {
        if (!warmUp.run()) {
          // Planned as a client's text statement is (its literal template), not cached.
          LiteralTemplate template = LiteralTemplate.of(sql);
          PlannedQuery plan = templatePlan(session, template == null ? sql : template.sql(), null);
          PlanParameters parameters = plan == null ? null : PlanParameters.of(plan);
          if (parameters != null) {
            PointQuery.of(parameters);
          }
        } else if (query(session, sql, "warm-up") instanceof ResultSet result) {
          try (BatchStream rows = result.rows()) {
            while (rows.next() != null) {
              // The rows are not needed: producing them loads and compiles the code paths.
            }
          }
        }
      } catch (RuntimeException e) {
        LOG.debug("start-up warm-up statement failed: {}", sql, e);
      } finally {
        session.endStatement();
      }
    }
  }

  /** Compaction, garbage collection and the registry of running readers. */
  public StorageMaintenance maintenance() {
    return maintenance;
  }

  /**
   * A column's DEFAULT as a value (representation of {@code Values}), or null: what a load puts
   * into a column its source does not fill.
   */
  public Object columnDefault(dev.basalt.meta.catalog.ColumnMeta column) {
    return defaults.valueOf(column);
  }

  /**
   * Hands segment files that a DROP or TRUNCATE made unreachable to the garbage collector, which
   * deletes them once no running query can read them and the grace period has passed.
   */
  private void reclaim(List<String> paths) {
    maintenance.retire(paths);
  }

  /** The name the source fields of a Stream Load carry as a table in its expressions. */
  private static final String LOAD_SOURCE_TABLE = "__stream_load_source";

  /**
   * The session variable (and function) holding the first AUTO_INCREMENT value the session's last
   * statement that generated one generated, as MySQL's {@code LAST_INSERT_ID()}.
   */
  private static final String LAST_INSERT_ID = "last_insert_id";

  /**
   * Compiles the expressions of a Stream Load's {@code columns} header ({@code v = tmp * 10}) or
   * its {@code where} filter with the query planner: they are planned as {@code SELECT e1, e2, ...
   * FROM <source>}, where the source is a table of the given fields (the source fields as nullable
   * strings, or the table's columns for {@code where}), and each evaluation runs that plan over one
   * batch of fields. An expression that does not plan fails the load with the planner's message;
   * one that does not keep one value per row (an aggregate) is refused.
   */
  public dev.basalt.load.streamload.DerivedColumns compileLoadExpressions(
      String database,
      List<String> fieldNames,
      List<DataType> fieldDataTypes,
      List<String> expressions,
      ZoneId zone) {
    List<dev.basalt.sql.schema.ColumnDescriptor> fields = new ArrayList<>();
    List<DataType> fieldTypes = new ArrayList<>();
    for (int i = 0; i < fieldNames.size(); i++) {
      fields.add(
          new dev.basalt.sql.schema.ColumnDescriptor(
              fieldNames.get(i), fieldDataTypes.get(i), true));
      fieldTypes.add(dev.basalt.sql.type.CalciteTypes.plannedType(fieldDataTypes.get(i)));
    }
    dev.basalt.sql.schema.TableDescriptor source =
        new dev.basalt.sql.schema.TableDescriptor(
            database, LOAD_SOURCE_TABLE, fields, LOAD_SOURCE_TABLE);
    dev.basalt.sql.schema.SchemaProvider withSource =
        new dev.basalt.sql.schema.SchemaProvider() {
          @Override
          public List<String> databaseNames() {
            return schema.databaseNames();
          }

          @Override
          public List<dev.basalt.sql.schema.TableDescriptor> tables(String name) {
            List<dev.basalt.sql.schema.TableDescriptor> tables =
                new ArrayList<>(schema.tables(name));
            if (name.equals(database)) {
              tables.add(source);
            }
            return tables;
          }

          @Override
          public List<String> tableNames(String name) {
            List<String> names = new ArrayList<>(schema.tableNames(name));
            if (name.equals(database)) {
              names.add(LOAD_SOURCE_TABLE);
            }
            return names;
          }

          @Override
          public java.util.Optional<dev.basalt.sql.schema.TableDescriptor> table(
              String name, String table) {
            if (name.equals(database) && table.equals(LOAD_SOURCE_TABLE)) {
              return java.util.Optional.of(source);
            }
            return schema.table(name, table);
          }
        };
    String sql =
        "SELECT "
            + String.join(", ", expressions)
            + " FROM `"
            + database.replace("`", "``")
            + "`.`"
            + LOAD_SOURCE_TABLE
            + "`";
    Session session = new Session(0, dev.basalt.meta.catalog.Catalog.ROOT_USER, "stream-load");
    PlannedQuery plan = planner.plan(sql, withSource, database, resolver(session));
    EvaluationContext context = EvaluationContext.now(zone, "stream-load");
    return batch -> {
      dev.basalt.sql.schema.ScanProvider scans =
          (table, columns, scanContext) -> {
            List<DataType> types = new ArrayList<>();
            List<dev.basalt.common.vector.ColumnVector> vectors = new ArrayList<>();
            for (int column : columns) {
              types.add(fieldTypes.get(column));
              vectors.add(batch.column(column));
            }
            Batch projected = TableScans.convert(new Batch(vectors, batch.rowCount()), types);
            return new dev.basalt.exec.operator.StreamOperator(
                types, () -> BatchStream.of(List.of(projected)));
          };
      List<Batch> output = new ArrayList<>();
      try (Operator operator = new OperatorBuilder(registry, scans, context).build(plan)) {
        for (Batch next = operator.next(); next != null; next = operator.next()) {
          output.add(next);
        }
      }
      int rows = output.stream().mapToInt(Batch::rowCount).sum();
      if (rows != batch.rowCount()) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER,
            "columns",
            "an expression must give one value per row (no aggregates): " + expressions);
      }
      if (output.size() == 1) {
        return output.get(0).columns();
      }
      List<dev.basalt.common.vector.ColumnVector> columns = new ArrayList<>();
      for (int c = 0; c < plan.columns().size(); c++) {
        ColumnVectorBuilder builder = new ColumnVectorBuilder(output.get(0).column(c).type(), rows);
        for (Batch part : output) {
          for (int row = 0; row < part.rowCount(); row++) {
            builder.appendFrom(part.column(c), row);
          }
        }
        columns.add(builder.build());
      }
      return columns;
    };
  }

  public SystemVariables variables() {
    return variables;
  }

  /** The privilege checks every statement passes; the HTTP front door uses them for loads. */
  /** The kept query profiles ({@code enable_profile}), read by the HTTP profile endpoints. */
  public QueryProfileStore profiles() {
    return profiles;
  }

  public AccessControl access() {
    return access;
  }

  /** Statements are logged with their literals replaced by {@code ?} (docs/security.md). */
  @Override
  public String loggable(String sql) {
    return SqlRedaction.redact(sql);
  }

  @Override
  public List<StatementResult> execute(Session session, String sql) {
    return execute(session, sql, null, 0);
  }

  /**
   * Runs {@code sql}; when it is one statement, an INSERT ... VALUES reads its literals from the
   * client's bytes in place ({@link StatementBytes}).
   */
  @Override
  public List<StatementResult> execute(Session session, String sql, byte[] utf8, int offset) {
    // A shared catalog: what other front ends committed is seen before this statement plans.
    catalog.refresh();
    List<StatementResult> results = new ArrayList<>();
    List<String> statements = StatementSplitter.split(sql);
    if (statements.isEmpty()) {
      throw new BasaltException(ErrorCode.SYNTAX_ERROR, "the query was empty");
    }
    if (statements.size() > 1 && !session.multipleStatementsAllowed()) {
      throw new BasaltException(
          ErrorCode.SYNTAX_ERROR,
          "check the manual that corresponds to your Basalt server version for the right syntax to"
              + " use near '"
              + statements.get(1)
              + "': several statements in one query need the client's multi-statements option"
              + " (e.g. allowMultiQueries=true)");
    }
    StatementBytes bytes =
        utf8 == null ? null : singleStatementBytes(sql, statements, utf8, offset);
    ValuesSource values = bytes == null ? ValuesSource.TEXT : bytes::literalRows;
    for (int index = 0; index < statements.size(); index++) {
      StatementResult result = audited(session, statements.get(index), values);
      // The next statement may change what this one read, and runs before this result is sent:
      // only the last result streams; earlier ones of a multi-statement text are buffered.
      boolean last = index == statements.size() - 1;
      results.add(!last && result instanceof ResultSet rows ? buffered(rows) : result);
    }
    return results;
  }

  /**
   * Where the one statement of {@code sql} lies in the client's bytes; null for several statements
   * or a text the splitter rewrote (executable comments), whose statement is not a part of {@code
   * sql}.
   */
  private static StatementBytes singleStatementBytes(
      String sql, List<String> statements, byte[] utf8, int offset) {
    if (statements.size() != 1 || sql.contains("/*!")) {
      return null;
    }
    // The splitter's one statement is the text before the first semicolon outside quotes (or all
    // of it), stripped: it starts after sql's leading whitespace, all of which is in the BMP.
    int lead = 0;
    while (lead < sql.length() && Character.isWhitespace(sql.charAt(lead))) {
      lead++;
    }
    return new StatementBytes(sql, lead, utf8, offset);
  }

  private static ResultSet buffered(ResultSet result) {
    List<Batch> batches = new ArrayList<>();
    try (BatchStream rows = result.rows()) {
      for (Batch batch = rows.next(); batch != null; batch = rows.next()) {
        batches.add(batch);
      }
    }
    return new ResultSet(result.columns(), BatchStream.of(batches));
  }

  /**
   * Runs one statement and writes its audit record: at once for a failure or an update count, and
   * for a result set when its rows have been sent (the stream is counted as it is read). The
   * session shows the statement as running until then.
   */
  private StatementResult audited(Session session, String sql, ValuesSource values) {
    return audited(
        session,
        sql,
        queryId -> {
          Statement statement = DorisParser.parse(sql);
          session.beginStatement(sql, queryId, cancellationFor(session, isWrite(statement)));
          return dispatch(session, sql, statement, queryId, values);
        });
  }

  /** Runs one statement's body for {@link #audited}; {@code queryId} names the statement. */
  @FunctionalInterface
  private interface StatementBody {
    StatementResult run(String queryId);
  }

  private StatementResult audited(Session session, String sql, StatementBody body) {
    String queryId = newQueryId();
    long start = System.nanoTime();
    String database = session.currentDatabase();
    StatementResult result;
    try {
      result = executeOne(session, sql, queryId, body);
    } catch (BasaltException e) {
      session.endStatement();
      audit(session, database, sql, queryId, e.code().mysqlErrorNumber(), -1, start);
      throw e;
    } catch (Throwable e) {
      session.endStatement();
      throw e;
    }
    return switch (result) {
      case UpdateCount count -> {
        if (count.lastInsertId() != 0) {
          session.variables().put(LAST_INSERT_ID, count.lastInsertId());
        }
        session.endStatement();
        audit(session, database, sql, queryId, 0, count.affectedRows(), start);
        yield count;
      }
      case ResultSet rows ->
          new ResultSet(
              rows.columns(),
              new CountingBatchStream(
                  rows.rows(),
                  (errorCode, counted) -> {
                    session.endStatement();
                    audit(session, database, sql, queryId, errorCode, counted, start);
                  }));
      default -> {
        session.endStatement();
        audit(session, database, sql, queryId, 0, -1, start);
        yield result;
      }
    };
  }

  private void audit(
      Session session,
      String database,
      String sql,
      String queryId,
      int errorCode,
      long rows,
      long startNanos) {
    if (!auditLog.enabled()) {
      return;
    }
    // The writer thread masks the literals and derives the kind, off the request's path.
    auditLog.recordStatement(
        new AuditLog.Entry(
            queryId,
            session.connectionId(),
            session.user(),
            session.clientHost(),
            database,
            null,
            sql,
            errorCode,
            rows,
            (System.nanoTime() - startNanos) / 1_000_000));
  }

  /** How a streamed result ended: its error number (0 when it did not fail) and rows sent. */
  @FunctionalInterface
  private interface StreamOutcome {
    void finished(int errorCode, long rows);
  }

  /**
   * Counts the rows read through it and reports the outcome once: at the end, at close, or when the
   * stream fails while the result is being sent (a KILL QUERY, a timeout, a memory limit).
   */
  private static final class CountingBatchStream implements BatchStream {
    private final BatchStream rows;
    private final StreamOutcome report;
    private long counted;
    private boolean reported;

    CountingBatchStream(BatchStream rows, StreamOutcome report) {
      this.rows = rows;
      this.report = report;
    }

    @Override
    public Batch next() {
      Batch batch;
      try {
        batch = rows.next();
      } catch (BasaltException e) {
        reportOnce(e.code().mysqlErrorNumber());
        throw e;
      }
      if (batch == null) {
        reportOnce(0);
      } else {
        counted += batch.rowCount();
      }
      return batch;
    }

    @Override
    public void close() {
      try {
        rows.close();
      } finally {
        reportOnce(0);
      }
    }

    private void reportOnce(int errorCode) {
      if (!reported) {
        reported = true;
        report.finished(errorCode, counted);
      }
    }
  }

  /**
   * Runs a server-side prepared query from its cached plan ({@link PlanCache}) with the values
   * bound in; a statement whose plan cannot be reused, or a value that does not bind, runs as
   * {@code sql} (the statement with its values as literals), as every statement did before.
   */
  @Override
  public List<StatementResult> executePrepared(
      Session session, String template, List<Object> values, String sql) {
    catalog.refresh();
    PlanCache.Entry cached =
        template.length() > PlanCache.MAX_TEXT_LENGTH
                || booleanVariable(session, "show_hidden_columns")
            ? null
            : planCache.entry(
                template,
                session.currentDatabase(),
                (text, reads) -> templatePlan(session, text, reads),
                resolver(session));
    PlanParameters parameters = cached == null ? null : cached.parameters();
    if (parameters == null) {
      return execute(session, sql);
    }
    PointQuery point = cached.pointQuery();
    ColumnVector[] key = point == null || selectLimited(session) ? null : point.key(values);
    PlannedQuery bound = key != null ? null : parameters.bind(values);
    if (key == null && bound == null) {
      return execute(session, sql);
    }
    return List.of(
        audited(
            session,
            sql,
            queryId -> {
              if (key != null) {
                session.beginStatement(sql, queryId, CancellationToken.NONE);
                access.checkRead(session, parameters.tableReads());
                ResultSet answer = pointQueryAnswer(point, key);
                if (answer != null) {
                  return answer;
                }
              }
              session.beginStatement(sql, queryId, cancellationFor(session, false));
              access.checkRead(session, parameters.tableReads());
              PlannedQuery plan = bound != null ? bound : parameters.bind(values);
              return plan == null
                  ? query(session, sql, queryId)
                  : query(session, plannerFor(session, queryId), plan, sql);
            }));
  }

  /**
   * A prepared INSERT whose values are all placeholders: parses only its head ({@code
   * oneRowStatement}) and takes the bound rows as they are; runs {@code sql} when the head is not
   * the INSERT ... VALUES with one row of NULLs the protocol layer took it for. The process list
   * and the audit log show {@code template}.
   */
  @Override
  public List<StatementResult> executePreparedValues(
      Session session,
      String template,
      String oneRowStatement,
      ValuesRows rows,
      Supplier<String> sql) {
    catalog.refresh();
    Statement statement = DorisParser.parse(oneRowStatement);
    if (!(statement instanceof Statement.Insert insert) || !isOneRowOf(insert, rows.width())) {
      return execute(session, sql.get());
    }
    return List.of(
        audited(
            session,
            template,
            queryId -> {
              session.beginStatement(template, queryId, cancellationFor(session, true));
              return dispatch(session, template, insert, queryId, (source, offset) -> rows);
            }));
  }

  /** Whether {@code insert}'s source is one row of {@code width} literals. */
  private static boolean isOneRowOf(Statement.Insert insert, int width) {
    LiteralRows row = LiteralRows.of(insert.source());
    return row != null && row.rowCount() == 1 && row.width() == width;
  }

  /**
   * A short-circuit point query's answer ({@link PointQuery}): no operator tree, memory budget or
   * cancellation token (one key's row is read at once); registered as a reader meanwhile so the
   * garbage collector keeps the files it reads.
   */
  private ResultSet pointQueryAnswer(PointQuery point, ColumnVector[] key) {
    try (ReaderRegistry.Ticket reading = maintenance.readers().open()) {
      return point.run(
          key,
          catalog::snapshot,
          column ->
              ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.valueOf(column)),
          primaryKeyLookup);
    }
  }

  /**
   * The short circuit a text query {@code sql} takes as it stands ({@link #query(Session, String,
   * String)}), or null when it takes the general path.
   */
  private PointQuery shortCircuit(Session session, String sql) {
    if (sql.length() > PlanCache.MAX_TEXT_LENGTH
        || booleanVariable(session, "show_hidden_columns")
        || selectLimited(session)) {
      return null;
    }
    LiteralTemplate template = LiteralTemplate.of(sql);
    if (template == null) {
      return null;
    }
    PlanCache.Entry entry =
        planCache.entry(
            template.sql(),
            session.currentDatabase(),
            (text, reads) -> templatePlan(session, text, reads),
            resolver(session));
    PointQuery point = entry.pointQuery();
    return point != null && point.key(template.values()) != null ? point : null;
  }

  /** Whether {@code sql_select_limit} caps this session's results (short circuits do not). */
  private boolean selectLimited(Session session) {
    Object limit = variables.get(session, "sql_select_limit", false);
    return limit instanceof Long rowLimit && rowLimit >= 0 && rowLimit < Long.MAX_VALUE;
  }

  /**
   * The plan of a prepared statement's text with its placeholders, or null when that plan must not
   * be shared: not a single query, or it reads user variables or session functions (their values
   * are the session's), or system variables while {@code variableReads} is null.
   *
   * @param variableReads null, or where each system variable the plan read is added with its value
   *     (the plan cache reuses the plan while they keep those values)
   */
  private PlannedQuery templatePlan(
      Session session, String template, List<PlanCache.VariableRead> variableReads) {
    List<String> statements = StatementSplitter.split(template);
    if (statements.size() != 1
        || !(DorisParser.parse(statements.get(0)) instanceof Statement.QueryStatement query)) {
      return null;
    }
    VariableResolver sessionResolver = resolver(session);
    boolean[] readsSession = {false};
    VariableResolver recording =
        new VariableResolver() {
          @Override
          public Object systemVariable(String name, boolean global) {
            Object value = sessionResolver.systemVariable(name, global);
            if (variableReads == null) {
              readsSession[0] = true;
            } else {
              variableReads.add(new PlanCache.VariableRead(name, global, value));
            }
            return value;
          }

          @Override
          public Object userVariable(String name) {
            readsSession[0] = true;
            return sessionResolver.userVariable(name);
          }

          @Override
          public Object sessionFunction(String name) {
            readsSession[0] = true;
            return sessionResolver.sessionFunction(name);
          }
        };
    PlannedQuery plan = planner.plan(query.text(), schema, session.currentDatabase(), recording);
    return readsSession[0] ? null : plan;
  }

  @Override
  public List<ResultColumn> describe(Session session, String sql) {
    catalog.refresh();
    List<String> statements = StatementSplitter.split(sql);
    if (statements.size() != 1) {
      return List.of();
    }
    Statement statement = DorisParser.parse(statements.get(0));
    if (!(statement instanceof Statement.QueryStatement query)) {
      return List.of();
    }
    try {
      return plannerFor(session, "describe").plan(query.text()).columns();
    } catch (RuntimeException | StackOverflowError e) {
      // Best effort: with NULL for every parameter some valid statements do not plan (LIMIT ?);
      // the statement still runs, and reports its own errors, at execute time.
      LOG.debug("cannot describe {}", loggable(sql), e);
      return List.of();
    }
  }

  /**
   * A query id in the form of a UUID. From a thread-local generator: {@code UUID.randomUUID()}
   * draws on the JVM's one SecureRandom, which serializes concurrent statements.
   */
  private static String newQueryId() {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
    return new UUID(most, least).toString();
  }

  /**
   * Runs one statement's body, which begins the statement in the session under its own {@link
   * CancellationToken} (KILL QUERY and the session's timeout stop it). The caller ends the
   * statement in the session: at once, or for a result set when it has been sent.
   */
  private StatementResult executeOne(
      Session session, String sql, String queryId, StatementBody body) {
    try {
      return body.run(queryId);
    } catch (Throwable e) {
      throw statementFailure(e, sql, queryId);
    }
  }

  /**
   * What a statement's failure becomes for the client: a {@link BasaltException} as it is; an
   * {@link OutOfMemoryError} that slipped past the memory budget's estimates fails only this
   * statement with MEM_LIMIT_EXCEEDED (what it held is garbage once the failure unwinds); a too
   * deep statement 1473; anything else is a bug, logged and reported as an internal error. Other
   * {@link VirtualMachineError}s are rethrown.
   */
  private BasaltException statementFailure(Throwable failure, String sql, String queryId) {
    return switch (failure) {
      case BasaltException e -> e;
      case OutOfMemoryError e -> {
        LOG.warn("Query {} ran out of memory: {}", queryId, loggable(sql));
        yield new BasaltException(
            ErrorCode.MEMORY_LIMIT_EXCEEDED,
            "the query needs more memory than the server's heap allows (query id "
                + queryId
                + "); lower exec_mem_limit so it fails earlier, or give the server a larger heap"
                + " (BASALT_HEAP)");
      }
      case StackOverflowError e -> {
        // Planning recurses over the statement's tree: thousands of UNION branches or nested
        // expressions can exhaust the stack. The statement fails alone; nothing was changed yet.
        LOG.warn("Query {} is too deeply nested to plan: {}", queryId, loggable(sql));
        yield new BasaltException(ErrorCode.STATEMENT_TOO_DEEP);
      }
      case Error e -> throw e;
      default -> {
        LOG.error("Internal error in query {}: {}", queryId, loggable(sql), failure);
        yield new BasaltException(
            failure, ErrorCode.INTERNAL_ERROR, queryId, String.valueOf(failure.getMessage()));
      }
    };
  }

  /**
   * The token that stops a statement: at {@code insert_timeout} (seconds) for writes, as Doris; at
   * the smaller of {@code query_timeout} (seconds, Doris) and {@code max_execution_time}
   * (milliseconds, MySQL) for everything else. 0 or less means no limit.
   */
  private CancellationToken cancellationFor(Session session, boolean write) {
    if (write) {
      long seconds = longVariable(session, "insert_timeout");
      return CancellationToken.withTimeout(seconds * 1000, "insert_timeout", seconds);
    }
    long seconds = longVariable(session, "query_timeout");
    long millis = longVariable(session, "max_execution_time");
    if (millis > 0 && (seconds <= 0 || millis < seconds * 1000)) {
      return CancellationToken.withTimeout(millis, "max_execution_time", millis);
    }
    return CancellationToken.withTimeout(seconds * 1000, "query_timeout", seconds);
  }

  private static boolean isWrite(Statement statement) {
    return statement instanceof Statement.Insert
        || statement instanceof Statement.Update
        || statement instanceof Statement.Delete
        || statement instanceof Statement.CreateTableAsSelect;
  }

  private StatementResult dispatch(
      Session session, String sql, Statement statement, String queryId) {
    return dispatch(session, sql, statement, queryId, ValuesSource.TEXT);
  }

  /**
   * @param values where an INSERT ... VALUES reads its rows from
   */
  private StatementResult dispatch(
      Session session, String sql, Statement statement, String queryId, ValuesSource values) {
    access.check(session, statement);
    String database = session.currentDatabase();
    StatementResult view = views(session, statement, database);
    if (view != null) {
      return view;
    }
    StatementResult systemSchema = informationSchemaShow(statement, database);
    if (systemSchema != null) {
      return systemSchema;
    }
    if (statement instanceof Statement.Describe describe
        && !describe.all()
        && booleanVariable(session, "show_hidden_columns")) {
      return show.describeWithHiddenColumns(describe, database);
    }
    if (ShowExecutor.handles(statement)) {
      return show.execute(statement, database, session.user());
    }
    if (DdlExecutor.handles(statement)) {
      // With a catalog shared by several front ends, a DDL whose commit lost the race with
      // another front end's runs again on the fresh catalog instead of failing with 1213.
      return catalog.retryingDdlOnSharedStore(
          () -> {
            groupCommitBarrier.beforeDdl(statement, database);
            return ddl.execute(statement, database);
          });
    }
    return switch (statement) {
      case Statement.FilteredShow filtered -> filterShow(session, sql, filtered, queryId);
      case Statement.Sync ignored -> UpdateCount.OK;
      case Statement.LockTables ignored -> UpdateCount.OK;
      case Statement.AdminShowConfig config -> adminShowConfig(config.like());
      case Statement.AdminCompact compact -> adminCompact(compact, database);
      case Statement.Analyze analyze -> {
        analyzer.execute(analyze, database, session.runningStatement());
        yield UpdateCount.OK;
      }
      case Statement.ShowProc proc ->
          dispatch(
              session,
              sql,
              ShowExecutor.normalizeProcPath(proc.path()).equals("/frontends")
                  ? new Statement.ShowFrontends()
                  : new Statement.ShowBackends(),
              queryId);
      case Statement.QueryStatement query -> query(session, query.text(), queryId);
      case Statement.Explain explain ->
          switch (ExplainLevel.of(explain.level())) {
            case ANALYZE -> explainAnalyze(session, explainedQuery(explain.statement()), queryId);
            case LOGICAL -> explainLogical(session, explainedQuery(explain.statement()), queryId);
            case PHYSICAL -> explain(session, explainedQuery(explain.statement()), queryId);
          };
      case Statement.ShowQueryProfile show -> showQueryProfile(session, show.path());
      case Statement.Insert insert -> {
        try {
          yield inserts.insert(
              insert,
              database,
              plannerFor(session, queryId),
              session.transaction(),
              GroupCommitMode.parse(String.valueOf(variables.get(session, "group_commit", false))),
              Boolean.TRUE.equals(variables.get(session, "enable_insert_shared_commit", false)),
              values);
        } catch (BasaltException failed) {
          recordFailedInsert(session, insert, database, failed);
          throw failed;
        }
      }
      case Statement.Delete delete -> {
        refuseInTransaction(session, "DELETE");
        yield inserts.delete(delete, database, plannerFor(session, queryId));
      }
      case Statement.Update update -> {
        refuseInTransaction(session, "UPDATE");
        yield inserts.update(update, database, plannerFor(session, queryId));
      }
      case Statement.CreateTableAsSelect create ->
          inserts.createTableAsSelect(create, database, plannerFor(session, queryId), ddl);
      case Statement.UseDatabase use -> use(session, use.database());
      case Statement.Set set -> set(session, set, queryId);
      case Statement.SetPassword password -> ddl.setPassword(password, session.user());
      case Statement.ShowVariables showVariables -> showVariables(session, showVariables);
      case Statement.ShowProcessList processList -> processList(session, processList.full());
      case Statement.Kill kill -> kill(session, kill);
      case Statement.ShowWarnings ignored -> {
        Session.Diagnostic error = session.lastError();
        yield table(
            List.of("Level", "Code", "Message"),
            error == null
                ? List.of()
                : List.<Object[]>of(
                    new Object[] {error.level(), (long) error.code(), error.message()}));
      }
      case Statement.ShowWarningCount count ->
          table(
              List.of(count.errors() ? "@@session.error_count" : "@@session.warning_count"),
              List.<Object[]>of(new Object[] {session.lastError() == null ? 0L : 1L}));
      case Statement.ShowFrontends ignored ->
          table(ServerNode.FRONTEND_COLUMNS, List.<Object[]>of(node.frontendRow()));
      case Statement.ShowBackends ignored ->
          table(ServerNode.BACKEND_COLUMNS, List.<Object[]>of(node.backendRow(tabletCount())));
      case Statement.ShowStreamLoad show -> showStreamLoad(session, show.database());
      case Statement.ShowLoad show -> showLoad(session, show.database());
      case Statement.ShowAlterTableColumn show -> showAlterTableColumn(session, show.database());
      case Statement.LoadData load -> {
        LoadDataExecutor executor = loadData;
        if (executor == null) {
          throw new BasaltException(ErrorCode.UNSUPPORTED, "LOAD DATA on this server");
        }
        yield executor.execute(session, load);
      }
      case Statement.TransactionControl control -> transactionControl(session, control);
      default ->
          throw new BasaltException(
              ErrorCode.UNSUPPORTED, sql.length() > 60 ? sql.substring(0, 60) + "..." : sql);
    };
  }

  /** SHOW TABLES / COLUMNS / DESC of information_schema, which the catalog does not hold. */
  /**
   * The statements about views, and those naming a view where a table is expected (DESC, SHOW
   * COLUMNS, SHOW CREATE TABLE answer for the view; INSERT, UPDATE, DELETE are refused); null for
   * every other statement. A view's query is planned here (to check it at CREATE, and for its
   * columns' types), which {@link ShowExecutor} and {@link DdlExecutor} cannot do.
   */
  private StatementResult views(Session session, Statement statement, String currentDatabase) {
    switch (statement) {
      case Statement.CreateView create -> {
        return createView(session, create, currentDatabase);
      }
      case Statement.DropView drop -> {
        for (TableName name : drop.views()) {
          catalog.dropView(viewDatabase(name, currentDatabase), name.name(), drop.ifExists());
        }
        return UpdateCount.OK;
      }
      case Statement.ShowCreateView show -> {
        String database = viewDatabase(show.view(), currentDatabase);
        ViewMeta view =
            catalog
                .view(database, show.view().name())
                .orElseThrow(
                    () ->
                        catalog.table(database, show.view().name()).isPresent()
                            ? new BasaltException(
                                ErrorCode.WRONG_OBJECT, database + "." + show.view().name(), "VIEW")
                            : new BasaltException(
                                ErrorCode.UNKNOWN_TABLE, database + "." + show.view().name()));
        return showCreateView(view);
      }
      case Statement.ShowCreateTable show -> {
        Optional<ViewMeta> view = viewNamed(show.table(), currentDatabase);
        return view.isEmpty() ? null : showCreateView(view.get());
      }
      case Statement.Describe describe -> {
        Optional<ViewMeta> view = viewNamed(describe.table(), currentDatabase);
        return view.isEmpty()
            ? null
            : show.viewColumns(
                viewColumns(session, describe.table(), currentDatabase), true, false, null);
      }
      case Statement.ShowColumns columns -> {
        Optional<ViewMeta> view = viewNamed(columns.table(), currentDatabase);
        return view.isEmpty()
            ? null
            : show.viewColumns(
                viewColumns(session, columns.table(), currentDatabase),
                false,
                columns.full(),
                columns.like());
      }
      case Statement.Insert insert -> {
        return refuseViewTarget(insert.table(), currentDatabase, "INSERT");
      }
      case Statement.Update update -> {
        return refuseViewTarget(update.table(), currentDatabase, "UPDATE");
      }
      case Statement.Delete delete -> {
        return refuseViewTarget(delete.table(), currentDatabase, "DELETE");
      }
      default -> {
        return null;
      }
    }
  }

  private String viewDatabase(TableName name, String currentDatabase) {
    String database = name.databaseOr(currentDatabase);
    if (database == null) {
      throw new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    }
    if (catalog.database(database).isEmpty()) {
      throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, database);
    }
    return database;
  }

  private Optional<ViewMeta> viewNamed(TableName name, String currentDatabase) {
    String database = name.databaseOr(currentDatabase);
    return database == null ? Optional.empty() : catalog.view(database, name.name());
  }

  private StatementResult refuseViewTarget(TableName name, String currentDatabase, String command) {
    if (viewNamed(name, currentDatabase).isPresent()) {
      throw new BasaltException(ErrorCode.VIEW_NOT_INSERTABLE, name.name(), command);
    }
    return null;
  }

  /** The columns of a view as a query over it sees them (planned, so the caller's rights apply). */
  private List<ColumnMeta> viewColumns(Session session, TableName name, String currentDatabase) {
    String database = viewDatabase(name, currentDatabase);
    PlannedQuery plan =
        plannerFor(session, "describe")
            .plan("SELECT * FROM `" + database + "`.`" + name.name().replace("`", "``") + "`");
    List<ColumnMeta> columns = new ArrayList<>();
    for (ResultColumn column : plan.columns()) {
      columns.add(
          new ColumnMeta(
              columns.size(),
              column.name(),
              column.type(),
              column.nullable(),
              false,
              AggregationType.NONE,
              DefaultValue.NONE,
              "",
              false));
    }
    return columns;
  }

  /**
   * CREATE [OR REPLACE] VIEW and ALTER VIEW: the query is planned in the view's database (where its
   * unqualified names resolve whenever the view is read), with the creator's rights, so a view that
   * does not plan, or reads what its creator may not, is refused here.
   */
  private StatementResult createView(
      Session session, Statement.CreateView create, String currentDatabase) {
    String database = viewDatabase(create.view(), currentDatabase);
    if (DdlExecutor.SYSTEM_DATABASES.contains(database.toLowerCase(Locale.ROOT))) {
      throw new BasaltException(
          ErrorCode.DATABASE_ACCESS_DENIED, session.user(), session.clientHost(), database);
    }
    if (QueryPlanner.hasVariables(create.query())) {
      throw new BasaltException(ErrorCode.VIEW_SELECT_VARIABLE);
    }
    // Unqualified names resolve in the current database, as MySQL resolves them at creation; the
    // view keeps that database for every later expansion.
    String queryDatabase = currentDatabase != null ? currentDatabase : database;
    PlannedQuery plan = planner.plan(create.query(), schema, queryDatabase, resolver(session));
    access.checkRead(session, plan.tableReads());
    List<String> names = new ArrayList<>();
    if (create.columns().isEmpty()) {
      plan.columns().forEach(column -> names.add(column.name()));
    } else {
      if (create.columns().size() != plan.columns().size()) {
        throw new BasaltException(ErrorCode.VIEW_COLUMN_COUNT);
      }
      names.addAll(create.columns());
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String name : names) {
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new BasaltException(ErrorCode.DUPLICATE_COLUMN, name);
      }
    }
    catalog.createView(
        database,
        new ViewMeta(
            0,
            0,
            create.view().name(),
            create.query(),
            create.columns(),
            create.comment(),
            session.user() + "@%",
            0,
            queryDatabase),
        create.ifNotExists(),
        create.orReplace() || create.alter(),
        create.alter());
    return UpdateCount.OK;
  }

  /**
   * SHOW CREATE VIEW in MySQL's shape (mysqldump reads it), also for SHOW CREATE TABLE of a view.
   */
  private static StatementResult showCreateView(ViewMeta view) {
    StringBuilder text = new StringBuilder("CREATE ALGORITHM=UNDEFINED DEFINER=");
    text.append(quote(view.definerUser())).append('@').append(quote(view.definerHost()));
    text.append(" SQL SECURITY DEFINER VIEW ").append(quote(view.name()));
    if (!view.columnNames().isEmpty()) {
      text.append(" (");
      for (int i = 0; i < view.columnNames().size(); i++) {
        text.append(i == 0 ? "" : ",").append(quote(view.columnNames().get(i)));
      }
      text.append(')');
    }
    if (!view.comment().isEmpty()) {
      text.append(" COMMENT '")
          .append(view.comment().replace("\\", "\\\\").replace("'", "\\'"))
          .append('\'');
    }
    text.append(" AS ").append(view.definition());
    return table(
        List.of("View", "Create View", "character_set_client", "collation_connection"),
        List.<Object[]>of(
            new Object[] {view.name(), text.toString(), "utf8mb4", "utf8mb4_0900_bin"}));
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  private StatementResult informationSchemaShow(Statement statement, String currentDatabase) {
    switch (statement) {
      case Statement.ShowTables showTables -> {
        String database = showTables.database() != null ? showTables.database() : currentDatabase;
        if (!SystemTableRows.INFORMATION_SCHEMA.equalsIgnoreCase(String.valueOf(database))) {
          return null;
        }
        List<Object[]> rows = new ArrayList<>();
        for (SystemTable table : SystemTable.values()) {
          if (ShowExecutor.matches(showTables.like(), table.tableName())) {
            rows.add(
                showTables.full()
                    ? new Object[] {table.tableName(), "SYSTEM VIEW"}
                    : new Object[] {table.tableName()});
          }
        }
        String header = "Tables_in_" + SystemTableRows.INFORMATION_SCHEMA;
        return table(showTables.full() ? List.of(header, "Table_type") : List.of(header), rows);
      }
      case Statement.ShowColumns showColumns -> {
        return systemColumns(showColumns.table(), currentDatabase);
      }
      case Statement.Describe describe -> {
        return systemColumns(describe.table(), currentDatabase);
      }
      default -> {
        return null;
      }
    }
  }

  private StatementResult systemColumns(
      dev.basalt.sql.parser.TableName name, String currentDatabase) {
    if (!SystemTableRows.INFORMATION_SCHEMA.equalsIgnoreCase(
        String.valueOf(name.databaseOr(currentDatabase)))) {
      return null;
    }
    for (SystemTable table : SystemTable.values()) {
      if (table.tableName().equalsIgnoreCase(name.name())) {
        List<Object[]> rows = new ArrayList<>();
        for (dev.basalt.sql.schema.ColumnDescriptor column : table.columns()) {
          rows.add(
              new Object[] {
                column.name(), SystemTableRows.columnTypeName(column.type()), "YES", "", null, ""
              });
        }
        return table(List.of("Field", "Type", "Null", "Key", "Default", "Extra"), rows);
      }
    }
    throw new BasaltException(
        ErrorCode.UNKNOWN_TABLE, SystemTableRows.INFORMATION_SCHEMA + "." + name.name());
  }

  /** An operator tree that closes its reader registration with itself. */
  private record ReadingOperator(Operator operator, ReaderRegistry.Ticket reading)
      implements Operator {
    @Override
    public List<DataType> outputTypes() {
      return operator.outputTypes();
    }

    @Override
    public Batch next() {
      return operator.next();
    }

    @Override
    public void close() {
      try {
        operator.close();
      } finally {
        reading.close();
      }
    }
  }

  /**
   * {@code ADMIN COMPACT TABLE}: compacts every tablet of the table on this thread; the affected
   * row count is the number of compactions that ran.
   */
  private StatementResult adminCompact(Statement.AdminCompact compact, String currentDatabase) {
    String database =
        compact.table().database() != null ? compact.table().database() : currentDatabase;
    long tableId = catalog.existingTable(database, compact.table().name()).id();
    if (!compact.base()) {
      int done = 0;
      for (var partition : catalog.snapshot(tableId).partitions()) {
        for (long tabletId : partition.partition().tabletIds()) {
          done += maintenance.compactor().compactTablet(tableId, tabletId, false);
        }
      }
      return UpdateCount.of(done);
    }
    return UpdateCount.of(maintenance.compactTable(tableId));
  }

  /** Plans and runs queries for one statement of a session. */
  final class StatementPlanner {
    private final Session session;
    private final String queryId;
    private final EvaluationContext context;

    private final QueryMemoryBudget memory;

    /** What the operators count into when the statement is profiled, else null. */
    private QueryProfile profile;

    StatementPlanner(Session session, String queryId) {
      this.session = session;
      this.queryId = queryId;
      this.context = EvaluationContext.now(zoneOf(session), queryId);
      this.memory =
          new QueryMemoryBudget(
              memoryPool, longVariable(session, "exec_mem_limit"), queryId, spillDirectory);
    }

    /** Makes the operators built from now on count into {@code profile}. */
    void profile(QueryProfile profile) {
      this.profile = profile;
    }

    /** The statement's query id. */
    String queryId() {
      return queryId;
    }

    /** The statement's memory budget (its peak goes into a profile). */
    QueryMemoryBudget memory() {
      return memory;
    }

    /** The value of a boolean session variable ({@code enable_unique_key_partial_update} ...). */
    boolean flag(String name) {
      return booleanVariable(session, name);
    }

    /** The session's user (recorded with a load's label for SHOW LOAD). */
    String user() {
      return session.user();
    }

    /** Plans a query and checks that the session may read every table it reads. */
    PlannedQuery plan(String sql) {
      PlannedQuery plan =
          planner.plan(
              sql,
              flag("show_hidden_columns") ? schemaWithHiddenColumns : schema,
              session.currentDatabase(),
              resolver(session));
      access.checkRead(session, plan.tableReads());
      return plan;
    }

    /**
     * Plans a query as {@link #plan} does, over the schema that shows hidden columns whatever the
     * session's {@code show_hidden_columns}: for the statements that read stored hidden columns
     * themselves (DELETE and UPDATE write every stored column back).
     */
    PlannedQuery planShowingHiddenColumns(String sql) {
      PlannedQuery plan =
          planner.plan(sql, schemaWithHiddenColumns, session.currentDatabase(), resolver(session));
      access.checkRead(session, plan.tableReads());
      return plan;
    }

    /**
     * The query's operator tree. The statement is registered as a reader (before any snapshot is
     * taken) until the tree is closed, so the files it reads are not collected under it.
     */
    Operator operator(PlannedQuery query) {
      ReaderRegistry.Ticket reading = maintenance.readers().open();
      try {
        TableScans scans =
            new TableScans(
                catalog,
                fileSystem,
                systemRows,
                defaults,
                session,
                primaryKeyLookup,
                segmentCaches);
        Operator operator =
            new OperatorBuilder(
                    registry,
                    scans,
                    context,
                    memory,
                    session.runningStatement(),
                    pipelineTasks(session))
                .profile(profile)
                .runtimeFilters(runtimeFilters(session))
                .build(query);
        try {
          requireColumnsNotRewritten(query);
        } catch (BasaltException rewritten) {
          operator.close();
          throw rewritten;
        }
        return new ReadingOperator(operator, reading);
      } catch (RuntimeException | Error e) {
        reading.close();
        throw e;
      }
    }

    /**
     * Refuses a plan that a schema change rewriting one of its tables' columns (ALTER TABLE MODIFY
     * COLUMN to another type; likewise a DROP and ADD of a column of the same name) overtook
     * between planning and the scans' snapshots: the plan names the column by its old unique id,
     * which the rewritten rowsets no longer hold ({@code TableMeta.replacedSince}). Checked after
     * the snapshots were taken, so a plan that passes read rowsets of its own definition (a rewrite
     * committed later is caught too, needlessly but harmlessly).
     *
     * @throws BasaltException TABLE_DEFINITION_CHANGED (1412), which {@link #query} retries once
     */
    private void requireColumnsNotRewritten(PlannedQuery query) {
      for (dev.basalt.sql.planner.TableRead read : query.tableReads()) {
        if (read.table().handle() instanceof dev.basalt.meta.catalog.TableMeta planned) {
          Optional<dev.basalt.meta.catalog.ColumnMeta> rewritten =
              catalog.tableById(planned.id()).flatMap(now -> now.replacedSince(planned));
          if (rewritten.isPresent()) {
            throw new BasaltException(
                ErrorCode.TABLE_DEFINITION_CHANGED,
                "a schema change replaced column "
                    + rewritten.get().name()
                    + " of table "
                    + planned.name()
                    + " while the statement was planned");
          }
        }
      }
    }

    /**
     * The rows of {@code operator} as a stream that runs it while the client reads: nothing but the
     * operators' own state is held, and the socket's back-pressure (PacketOutput) paces the query.
     * Closing the stream closes the operators and the statement's memory budget.
     */
    QueryResultStream stream(Operator operator, String sql) {
      return new QueryResultStream(
          operator, memory, failure -> statementFailure(failure, sql, queryId));
    }

    /** The statement's evaluation context (time zone, query id, statement time). */
    EvaluationContext evaluationContext() {
      return context;
    }

    /**
     * Runs a query to completion and returns its rows as batches. The operators and the
     * materialized result count against the statement's memory budget while the query runs; the
     * budget is released when this returns (encoding the result for the client is not counted).
     */
    List<Batch> run(PlannedQuery query) {
      List<Batch> batches = new ArrayList<>();
      try (MemoryReservation result = memory.reservation("result materialization");
          Operator operator = operator(query)) {
        for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
          result.add(MemoryEstimates.batch(batch));
          batches.add(batch);
        }
      } finally {
        memory.close();
      }
      return batches;
    }

    EvaluationContext context() {
      return context;
    }
  }

  /**
   * How many threads run one scan pipeline: the session's {@code parallel_pipeline_task_num}
   * (Doris's variable), where 0 (the default) or a value that is not a number means one per core.
   */
  private int pipelineTasks(Session session) {
    long tasks = longVariable(session, "parallel_pipeline_task_num");
    return tasks > 0 ? (int) Math.min(tasks, 64) : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Whether hash joins hand runtime filters to their probe-side scans: unless the session's {@code
   * runtime_filter_mode} (Doris's variable: OFF, LOCAL or GLOBAL, one server being both) is OFF.
   */
  private boolean runtimeFilters(Session session) {
    return !String.valueOf(variables.get(session, "runtime_filter_mode", false))
        .strip()
        .equalsIgnoreCase("OFF");
  }

  /**
   * A numeric session variable ({@code exec_mem_limit} in bytes, {@code query_timeout} ...), or 0
   * when it is not a number.
   */
  private long longVariable(Session session, String name) {
    Object value = variables.get(session, name, false);
    if (value instanceof Number number) {
      return number.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A boolean session variable ({@code show_hidden_columns} ...): true, 1 or a non-zero number. */
  private boolean booleanVariable(Session session, String name) {
    Object value = variables.get(session, name, false);
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof Number number) {
      return number.longValue() != 0;
    }
    String text = String.valueOf(value).strip();
    return text.equalsIgnoreCase("true") || text.equals("1");
  }

  private StatementPlanner plannerFor(Session session, String queryId) {
    return new StatementPlanner(session, queryId);
  }

  private ZoneId zoneOf(Session session) {
    String zone = String.valueOf(variables.get(session, "time_zone", false));
    try {
      return zone.equalsIgnoreCase("SYSTEM") ? ZoneId.systemDefault() : ZoneId.of(zone);
    } catch (RuntimeException e) {
      return ZoneId.systemDefault();
    }
  }

  private VariableResolver resolver(Session session) {
    return new VariableResolver() {
      @Override
      public Object systemVariable(String name, boolean global) {
        return variables.get(session, name, global);
      }

      @Override
      public Object userVariable(String name) {
        return session.userVariables().get(name);
      }

      @Override
      public Object sessionFunction(String name) {
        return switch (name) {
          case "database", "schema" -> session.currentDatabase();
          case "user", "session_user", "system_user" -> session.user() + "@" + session.clientHost();
          case "current_user" -> "'" + session.user() + "'@'%'";
          case "connection_id" -> session.connectionId();
          case LAST_INSERT_ID -> session.variables().getOrDefault(LAST_INSERT_ID, 0L);
          case "version" -> dev.basalt.server.Version.MYSQL_SERVER_VERSION;
          case "current_catalog" -> "internal";
          default -> null;
        };
      }
    };
  }

  /**
   * A text query: first as its literal template ({@link LiteralTemplate}: the text with its
   * literals as placeholders), whose cached plan text statements that differ only in literals
   * share, and which answers a point query by the short circuit as a prepared one; else from the
   * plan cache when the same text was planned before in the same database (a connection pool's
   * {@code SELECT 1}, a dashboard's queries); else planned now.
   */
  private StatementResult query(Session session, String sql, String queryId) {
    StatementPlanner statementPlanner = plannerFor(session, queryId);
    boolean cacheable =
        sql.length() <= PlanCache.MAX_TEXT_LENGTH && !statementPlanner.flag("show_hidden_columns");
    LiteralTemplate template = cacheable ? LiteralTemplate.of(sql) : null;
    if (template != null) {
      PlanCache.Entry entry =
          planCache.entry(
              template.sql(),
              session.currentDatabase(),
              (text, reads) -> templatePlan(session, text, reads),
              resolver(session));
      PlanParameters parameters = entry.parameters();
      if (parameters != null) {
        PointQuery point = entry.pointQuery();
        ColumnVector[] key =
            point == null || selectLimited(session) ? null : point.key(template.values());
        if (key != null) {
          access.checkRead(session, parameters.tableReads());
          ResultSet answer = pointQueryAnswer(point, key);
          if (answer != null) {
            return answer;
          }
        }
        PlannedQuery bound = parameters.bind(template.values());
        if (bound != null) {
          access.checkRead(session, parameters.tableReads());
          return query(session, statementPlanner, bound, sql);
        }
      }
    }
    PlanParameters cached =
        !cacheable
            ? null
            : planCache.plan(
                sql,
                session.currentDatabase(),
                (text, reads) -> templatePlan(session, text, reads),
                resolver(session));
    if (cached == null || cached.count() > 0) {
      return query(session, statementPlanner, statementPlanner.plan(sql), sql);
    }
    access.checkRead(session, cached.tableReads());
    return query(session, statementPlanner, cached.plan(), sql);
  }

  private StatementResult query(
      Session session, StatementPlanner statementPlanner, PlannedQuery plan, String sql) {
    QueryProfile profile = booleanVariable(session, "enable_profile") ? new QueryProfile() : null;
    long startMillis = System.currentTimeMillis();
    statementPlanner.profile(profile);
    Operator operator;
    try {
      operator = statementPlanner.operator(plan);
    } catch (BasaltException changed) {
      if (changed.code() != ErrorCode.TABLE_DEFINITION_CHANGED) {
        throw changed;
      }
      // A schema change rewrote a column the plan reads (or dropped the table): plan again.
      operator = statementPlanner.operator(statementPlanner.plan(sql));
    }
    Object limit = variables.get(session, "sql_select_limit", false);
    if (limit instanceof Long rowLimit && rowLimit >= 0 && rowLimit < Long.MAX_VALUE) {
      // MySQL's sql_select_limit caps the result of a query statement, also an explicit larger
      // LIMIT (docs/sql.md).
      operator = new LimitOperator(operator, 0, rowLimit);
    }
    QueryResultStream rows = statementPlanner.stream(operator, sql);
    if (profile != null) {
      String queryId = statementPlanner.queryId();
      String user = session.user();
      String database = session.currentDatabase();
      QueryMemoryBudget memory = statementPlanner.memory();
      rows.onClose(
          () ->
              profiles.add(
                  new StoredProfile(
                      queryId,
                      user,
                      database == null ? "" : database,
                      // As written: only its user and administrators read it (Doris shows it too).
                      sql,
                      startMillis,
                      System.currentTimeMillis(),
                      rows.state(),
                      rows.rows(),
                      memory.peak(),
                      profile.lines())));
    }
    try {
      // Pipeline breakers (sort, aggregation, join build) do their work before the first batch, so
      // most failures surface here, as an error instead of a half-sent result set.
      rows.prefetch();
    } catch (RuntimeException e) {
      rows.close();
      throw e;
    }
    session.setState("Sending data");
    return new ResultSet(plan.columns(), rows);
  }

  /**
   * The query an EXPLAIN plans: the statement itself, or the source query of an INSERT (what the
   * INSERT runs; nothing is written). DELETE and UPDATE are refused with 1235.
   */
  private static String explainedQuery(String statement) {
    String start = statement.stripLeading();
    if (start.regionMatches(true, 0, "INSERT", 0, 6)) {
      if (DorisParser.parse(statement) instanceof Statement.Insert insert) {
        return insert.source();
      }
    } else if (start.regionMatches(true, 0, "DELETE", 0, 6)
        || start.regionMatches(true, 0, "UPDATE", 0, 6)) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          "EXPLAIN of DELETE or UPDATE (EXPLAIN the SELECT of the rows they change)");
    }
    return statement;
  }

  /**
   * EXPLAIN, EXPLAIN VERBOSE and Doris's physical levels: the operator tree the query would run,
   * with its parallel pipelines and under each operator what the plan gave it (the filter, zone-map
   * bounds, runtime filters and partitions pushed into a scan, the runtime filter a join publishes,
   * an aggregation's phases), built as for a run (which decides how scans split into morsels) and
   * closed unrun; then {@code SHORT-CIRCUIT} when a point lookup skips the tree.
   */
  private StatementResult explain(Session session, String sql, String queryId) {
    StatementPlanner planner = plannerFor(session, queryId);
    PlannedQuery plan = planner.plan(sql);
    QueryProfile profile = new QueryProfile();
    planner.profile(profile);
    planner.stream(planner.operator(plan), sql).close();
    List<Object[]> lines = new ArrayList<>();
    for (String line : profile.planLines()) {
      lines.add(new Object[] {line});
    }
    PointQuery point = shortCircuit(session, sql);
    if (point != null) {
      lines.add(new Object[] {point.describe()});
    }
    return table(List.of("Explain String"), lines);
  }

  /**
   * SHOW QUERY PROFILE: {@code '/'} lists the kept profiles (as {@code /rest/v1/query_profile}
   * does), {@code '/<query id>'} shows one, a line a row. A user sees the profiles of their own
   * queries; root and ADMIN holders see all.
   */
  private StatementResult showQueryProfile(Session session, String path) {
    AccessRights rights = access.rights(session);
    boolean admin =
        rights.isSuperuser()
            || rights.has(
                dev.basalt.meta.privilege.Privilege.ADMIN,
                dev.basalt.meta.privilege.PrivilegeLevel.GLOBAL);
    String id = path.strip();
    while (id.startsWith("/")) {
      id = id.substring(1);
    }
    ZoneId zone = zoneOf(session);
    if (id.isEmpty()) {
      List<Object[]> rows = new ArrayList<>();
      for (StoredProfile profile : profiles.newestFirst()) {
        if (admin || profile.user().equals(session.user())) {
          rows.add(profile.listRow(zone).toArray());
        }
      }
      return table(StoredProfile.LIST_COLUMNS, rows);
    }
    String queryId = id;
    StoredProfile profile =
        profiles
            .get(queryId)
            .filter(found -> admin || found.user().equals(session.user()))
            .orElseThrow(
                () ->
                    new BasaltException(
                        ErrorCode.ANALYSIS_ERROR,
                        "Profile of query "
                            + queryId
                            + " not found (or it is another user's): run the query with SET"
                            + " enable_profile = true; only the last "
                            + profiles.capacity()
                            + " profiles are kept"));
    List<Object[]> rows = new ArrayList<>();
    for (String line : profile.text(zone).split("\n")) {
      rows.add(new Object[] {line});
    }
    return table(List.of("Profile"), rows);
  }

  /**
   * EXPLAIN ANALYZE: runs the query (under the statement's memory limit, timeout and KILL), drops
   * its rows, and returns the plan as it ran, each operator with its counters (docs/sql.md, "Query
   * profiles").
   */
  private StatementResult explainAnalyze(Session session, String sql, String queryId) {
    StatementPlanner planner = plannerFor(session, queryId);
    PlannedQuery plan = planner.plan(sql);
    QueryProfile profile = new QueryProfile();
    planner.profile(profile);
    long start = System.nanoTime();
    QueryResultStream rows = planner.stream(planner.operator(plan), sql);
    long peak;
    try {
      session.setState("Executing (EXPLAIN ANALYZE)");
      while (rows.next() != null) {
        // The rows are counted by the profile and dropped.
      }
      peak = planner.memory().peak();
    } finally {
      rows.close();
    }
    long elapsed = System.nanoTime() - start;
    List<Object[]> lines = new ArrayList<>();
    lines.add(
        new Object[] {
          String.format(
              java.util.Locale.ROOT,
              "Query %s: rows=%d time=%.3fms peak_memory=%d",
              queryId,
              rows.rows(),
              elapsed / 1e6,
              peak)
        });
    for (String line : profile.lines()) {
      lines.add(new Object[] {line});
    }
    return table(List.of("Explain String"), lines);
  }

  /**
   * Doris's logical levels ({@code EXPLAIN LOGICAL PLAN}, {@code REWRITTEN}, {@code ANALYZED},
   * {@code PARSED}): Calcite's optimized relational plan, one line a row.
   */
  private StatementResult explainLogical(Session session, String sql, String queryId) {
    PlannedQuery plan = plannerFor(session, queryId).plan(sql);
    List<Object[]> rows = new ArrayList<>();
    String text = RelOptUtil.toString(plan.plan());
    for (String line :
        dev.basalt.sql.type.Utf8BinaryCollation.withoutCollateClauses(text).split("\n")) {
      rows.add(new Object[] {line});
    }
    return table(List.of("Explain String"), rows);
  }

  private StatementResult use(Session session, String database) {
    if (!database.equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)
        && catalog.database(database).isEmpty()) {
      throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, database);
    }
    session.setCurrentDatabase(
        database.equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)
            ? SystemTableRows.INFORMATION_SCHEMA
            : database);
    return UpdateCount.OK;
  }

  private StatementResult set(Session session, Statement.Set set, String queryId) {
    for (SetAssignment assignment : set.assignments()) {
      switch (assignment) {
        case SetAssignment.SystemVariable variable -> {
          Object value = evaluateSetValue(session, variable.valueText(), queryId);
          boolean global = variable.scope() == dev.basalt.sql.parser.VariableScope.GLOBAL;
          variables.set(session, variable.name(), value, global);
        }
        case SetAssignment.UserVariable variable -> {
          String name = variable.name().toLowerCase(Locale.ROOT);
          Object value = evaluateSetValue(session, variable.valueText(), queryId);
          if (value == null || value == SystemVariables.DEFAULT) {
            // An unset user variable reads as NULL, so NULL is stored by forgetting it.
            session.userVariables().remove(name);
          } else {
            session.userVariables().put(name, value);
          }
        }
        case SetAssignment.Names names -> {
          String charset = names.charset() == null ? "utf8mb4" : names.charset();
          session.variables().put("character_set_client", charset);
          session.variables().put("character_set_connection", charset);
          session.variables().put("character_set_results", charset);
        }
        case SetAssignment.Transaction ignored -> {
          // Every statement is its own transaction; isolation settings are accepted as MySQL does.
        }
      }
    }
    return UpdateCount.OK;
  }

  private static final Pattern BARE_WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

  /**
   * A SET value: a bare word (SET sql_mode = STRICT) is a string; anything else is an expression.
   */
  private Object evaluateSetValue(Session session, String text, String queryId) {
    String trimmed = text.trim();
    if (trimmed.equalsIgnoreCase("DEFAULT")) {
      return SystemVariables.DEFAULT;
    }
    if (trimmed.equalsIgnoreCase("ON") || trimmed.equalsIgnoreCase("OFF")) {
      return trimmed.toUpperCase(Locale.ROOT);
    }
    if (BARE_WORD.matcher(trimmed).matches()
        && !trimmed.equalsIgnoreCase("NULL")
        && !trimmed.equalsIgnoreCase("TRUE")
        && !trimmed.equalsIgnoreCase("FALSE")) {
      return trimmed;
    }
    StatementPlanner statementPlanner = plannerFor(session, queryId);
    List<Batch> batches = statementPlanner.run(statementPlanner.plan("SELECT " + trimmed));
    if (batches.isEmpty() || batches.get(0).rowCount() == 0) {
      return null;
    }
    Object value = batches.get(0).column(0).getObject(0);
    if (value instanceof Boolean bool) {
      return bool ? 1L : 0L;
    }
    if (value instanceof java.math.BigDecimal decimal && decimal.scale() == 0) {
      return decimal.longValueExact();
    }
    return value;
  }

  private StatementResult showVariables(Session session, Statement.ShowVariables statement) {
    boolean global = statement.scope() == dev.basalt.sql.parser.VariableScope.GLOBAL;
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<String, Object> entry : variables.all(session, global).entrySet()) {
      if (ShowExecutor.matches(statement.like(), entry.getKey())) {
        rows.add(new Object[] {entry.getKey(), VariableText.of(entry.getValue())});
      }
    }
    return table(List.of("Variable_name", "Value"), rows);
  }

  /**
   * BEGIN / COMMIT / ROLLBACK (see {@link ExplicitTransaction}). Outside a transaction COMMIT and
   * ROLLBACK have nothing to do and succeed, as in MySQL: every statement there commits on its own
   * ({@code autocommit} is always on, as in Doris), and pools and ORMs send them freely.
   */
  private StatementResult transactionControl(
      Session session, Statement.TransactionControl control) {
    ExplicitTransaction open = session.transaction();
    switch (control.kind()) {
      case BEGIN -> {
        if (open != null) {
          throw new BasaltException(
              ErrorCode.ANALYSIS_ERROR,
              "a transaction is already open in this session; COMMIT or ROLLBACK it first");
        }
        session.setTransaction(new ExplicitTransaction(control.label()));
        return UpdateCount.OK;
      }
      case COMMIT -> {
        session.setTransaction(null);
        CommitResult commit = open == null ? null : open.commit();
        return commit == null
            ? UpdateCount.OK
            : new UpdateCount(0, 0, InsertExecutor.visibleInfo(commit));
      }
      default -> {
        session.setTransaction(null);
        if (open != null) {
          open.abort();
        }
        return UpdateCount.OK;
      }
    }
  }

  private static void refuseInTransaction(Session session, String statement) {
    if (session.transaction() != null) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          statement
              + " inside an explicit transaction is not supported yet; COMMIT or ROLLBACK first");
    }
  }

  /** A connection that ends inside a transaction rolls it back. */
  @Override
  public void sessionClosed(Session session) {
    ExplicitTransaction open = session.transaction();
    session.setTransaction(null);
    if (open != null) {
      open.abort();
    }
  }

  /**
   * KILL QUERY id stops that connection's running statement with 1317 (its connection stays open; a
   * connection between statements is not affected); KILL [CONNECTION] id also closes the
   * connection. Allowed on the user's own connections, or on any with ADMIN (else 1095).
   */
  private StatementResult kill(Session session, Statement.Kill kill) {
    Session target = sessions.session(kill.connectionId());
    if (target == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_THREAD, kill.connectionId());
    }
    if (!target.user().equals(session.user()) && !access.rights(session).isSuperuser()) {
      throw new BasaltException(ErrorCode.NOT_THREAD_OWNER, kill.connectionId());
    }
    if (kill.query()) {
      target.cancelStatement();
    } else {
      target.kill();
    }
    return UpdateCount.OK;
  }

  private StatementResult processList(Session viewer, boolean full) {
    List<Object[]> rows = systemRows.processList(viewer, access.rights(viewer), full);
    return table(
        List.of("Id", "User", "Host", "Db", "Command", "Time", "State", "Info", "QueryId"), rows);
  }

  /**
   * {@code SHOW ... WHERE condition}: runs the SHOW, then keeps the rows for which the condition
   * holds. The condition is evaluated by the query planner over the rows as a VALUES table whose
   * columns carry the SHOW's column names, so it may use any expression a query may.
   */
  private StatementResult filterShow(
      Session session, String sql, Statement.FilteredShow filtered, String queryId) {
    StatementResult shown = dispatch(session, sql, filtered.show(), queryId);
    if (!(shown instanceof ResultSet result)) {
      return shown;
    }
    List<Object[]> rows = new ArrayList<>();
    try (dev.basalt.common.result.BatchStream stream = result.rows()) {
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          Object[] values = new Object[batch.columnCount()];
          for (int column = 0; column < values.length; column++) {
            values[column] = batch.column(column).getObject(row);
          }
          rows.add(values);
        }
      }
    }
    List<ResultColumn> columns = result.columns();
    if (rows.isEmpty()) {
      return new ResultSet(columns, dev.basalt.common.result.BatchStream.of(List.of()));
    }
    StringBuilder query = new StringBuilder("SELECT `__show_row` FROM (VALUES ");
    for (int row = 0; row < rows.size(); row++) {
      query.append(row == 0 ? "(" : ", (").append(row);
      Object[] values = rows.get(row);
      for (int column = 0; column < values.length; column++) {
        query.append(", ").append(showLiteral(columns.get(column).type(), values[column]));
      }
      query.append(')');
    }
    query.append(") AS `__show`(`__show_row`");
    for (ResultColumn column : columns) {
      query.append(", `").append(column.name().replace("`", "``")).append('`');
    }
    query.append(") WHERE ").append(filtered.where());
    StatementPlanner planner = plannerFor(session, queryId);
    List<Object[]> kept = new ArrayList<>();
    for (Batch batch : planner.run(planner.plan(query.toString()))) {
      for (int row = 0; row < batch.rowCount(); row++) {
        kept.add(rows.get(((Number) batch.column(0).getObject(row)).intValue()));
      }
    }
    List<ColumnVectorBuilder> builders = new ArrayList<>();
    for (ResultColumn column : columns) {
      builders.add(new ColumnVectorBuilder(column.type(), Math.max(kept.size(), 1)));
    }
    for (Object[] row : kept) {
      for (int column = 0; column < builders.size(); column++) {
        builders.get(column).appendObject(row[column]);
      }
    }
    List<dev.basalt.common.vector.ColumnVector> vectors = new ArrayList<>();
    for (ColumnVectorBuilder builder : builders) {
      vectors.add(builder.build());
    }
    return new ResultSet(
        columns,
        dev.basalt.common.result.BatchStream.of(
            kept.isEmpty() ? List.of() : List.of(new Batch(vectors, kept.size()))));
  }

  /** A SHOW value as a SQL literal: numbers as numbers, everything else as quoted text. */
  private static String showLiteral(DataType type, Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Long || value instanceof Integer) {
      return value.toString();
    }
    String text =
        value instanceof String string
            ? string
            : dev.basalt.common.type.ValueText.format(type, value);
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /**
   * The frontend configuration {@code ADMIN SHOW CONFIG} lists, set by the server at start (empty
   * in an engine of its own).
   */
  private volatile Map<String, String> frontendConfig = Map.of();

  /** This server as SHOW FRONTENDS / BACKENDS list it; set once the ports are bound. */
  private volatile ServerNode node =
      new ServerNode("127.0.0.1", 9030, 8030, System.currentTimeMillis());

  /** Sets what SHOW FRONTENDS and SHOW BACKENDS report, once the server has bound its ports. */
  public void node(ServerNode bound) {
    this.node = bound;
  }

  private volatile dev.basalt.load.streamload.StreamLoadRecords streamLoadRecords =
      new dev.basalt.load.streamload.StreamLoadRecords(1);

  private volatile LoadDataExecutor loadData;

  /** Lets INSERT ... VALUES join groups when the session sets {@code group_commit}. */
  public void groupCommit(dev.basalt.load.groupcommit.GroupCommitManager manager) {
    inserts.groupCommit(manager);
    groupCommitBarrier.manager(manager);
    // INSERTs that share a commit are acknowledged before it: every read commits them first.
    catalog.readBarrier(manager);
  }

  /** Loads the files of {@code LOAD DATA LOCAL INFILE}; set by the server at start. */
  public void streamLoader(dev.basalt.load.streamload.StreamLoader loader) {
    this.loadData = new LoadDataExecutor(catalog, access, loader);
  }

  /** Where {@code SHOW STREAM LOAD} finds the recent loads; set by the server at start. */
  public void streamLoadRecords(dev.basalt.load.streamload.StreamLoadRecords records) {
    this.streamLoadRecords = records;
  }

  /**
   * Records an INSERT that failed into an existing table, outside an explicit transaction, as a
   * failed load for SHOW LOAD (CANCELLED, with the error), as Doris keeps its failed insert jobs.
   * Syntax and privilege errors are not loads and are not recorded.
   */
  private void recordFailedInsert(
      Session session, Statement.Insert insert, String currentDatabase, BasaltException failed) {
    if (session.transaction() != null
        || failed.code() == ErrorCode.SYNTAX_ERROR
        || failed.code().name().endsWith("_DENIED")) {
      return;
    }
    try {
      String databaseName = insert.table().databaseOr(currentDatabase);
      if (databaseName == null) {
        return;
      }
      var table = catalog.table(databaseName, insert.table().name());
      if (table.isEmpty()) {
        return;
      }
      catalog.recordFailedLoad(
          table.get().databaseId(),
          table.get().id(),
          insert.label(),
          failed.getMessage(),
          dev.basalt.meta.catalog.LoadInfo.of(
              dev.basalt.meta.catalog.LoadInfo.INSERT, session.user(), System.currentTimeMillis()));
    } catch (RuntimeException notRecorded) {
      failed.addSuppressed(notRecorded);
    }
  }

  /** {@code SHOW STREAM LOAD}: the recent Stream Loads into a database, oldest first. */
  private ResultSet showStreamLoad(Session session, String databaseName) {
    String database = databaseName != null ? databaseName : session.currentDatabase();
    if (database == null) {
      throw new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    }
    if (catalog.database(database).isEmpty()) {
      throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, database);
    }
    dev.basalt.meta.privilege.AccessRights rights = access.rights(session);
    List<Object[]> rows = new ArrayList<>();
    for (dev.basalt.load.streamload.StreamLoadRecords.Entry entry :
        streamLoadRecords.of(database)) {
      if (!rights.has(
          dev.basalt.meta.privilege.Privilege.LOAD,
          dev.basalt.meta.privilege.PrivilegeLevel.table(database, entry.table()))) {
        continue; // a user sees the loads into tables they may load
      }
      rows.add(LoadRows.streamLoad(entry));
    }
    return table(LoadRows.STREAM_LOAD_COLUMNS, rows);
  }

  /** The database a SHOW names ({@code FROM db}, else the session's): 1046 or 1049 if none. */
  private dev.basalt.meta.catalog.DatabaseMeta shownDatabase(String database) {
    if (database == null) {
      throw new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    }
    return catalog
        .database(database)
        .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_DATABASE, database));
  }

  /**
   * {@code SHOW LOAD}: the loads whose labels the catalog keeps in a database (Stream Loads,
   * INSERTs, group commits), by transaction id. A user sees the loads into tables they may load (a
   * dropped table's loads: with LOAD on the database).
   */
  private ResultSet showLoad(Session session, String databaseName) {
    String database = databaseName != null ? databaseName : session.currentDatabase();
    dev.basalt.meta.catalog.DatabaseMeta db = shownDatabase(database);
    dev.basalt.meta.privilege.AccessRights rights = access.rights(session);
    String errorLogUrl =
        "http://" + node.host() + ":" + node.httpPort() + "/api/_load_error_log?file=";
    List<dev.basalt.meta.catalog.LoadRecord> records =
        new ArrayList<>(catalog.loadRecords(db.id()));
    records.addAll(catalog.failedLoadRecords(db.id()));
    records.sort(
        java.util.Comparator.comparingLong(dev.basalt.meta.catalog.LoadRecord::transactionId));
    List<Object[]> rows = new ArrayList<>();
    for (dev.basalt.meta.catalog.LoadRecord record : records) {
      dev.basalt.meta.privilege.PrivilegeLevel level =
          catalog
              .tableById(record.tableId())
              .map(t -> dev.basalt.meta.privilege.PrivilegeLevel.table(database, t.name()))
              .orElse(dev.basalt.meta.privilege.PrivilegeLevel.database(database));
      if (rights.has(dev.basalt.meta.privilege.Privilege.LOAD, level)) {
        rows.add(LoadRows.load(record, errorLogUrl));
      }
    }
    return table(LoadRows.LOAD_COLUMNS, rows);
  }

  /**
   * {@code SHOW ALTER TABLE COLUMN}: the database's schema change jobs, oldest first, those of
   * tables the user may alter (or of dropped tables, for a user with ALTER on the database).
   */
  private ResultSet showAlterTableColumn(Session session, String databaseName) {
    String database = databaseName != null ? databaseName : session.currentDatabase();
    dev.basalt.meta.catalog.DatabaseMeta db = shownDatabase(database);
    dev.basalt.meta.privilege.AccessRights rights = access.rights(session);
    List<Object[]> rows = new ArrayList<>();
    for (dev.basalt.meta.catalog.AlterJob job : catalog.alterJobs(db.id())) {
      dev.basalt.meta.privilege.PrivilegeLevel level =
          catalog
              .tableById(job.tableId())
              .map(t -> dev.basalt.meta.privilege.PrivilegeLevel.table(database, t.name()))
              .orElse(dev.basalt.meta.privilege.PrivilegeLevel.database(database));
      if (rights.has(dev.basalt.meta.privilege.Privilege.ALTER, level)) {
        rows.add(AlterJobRows.row(job));
      }
    }
    return table(AlterJobRows.COLUMNS, rows);
  }

  private long tabletCount() {
    long tablets = 0;
    for (dev.basalt.meta.catalog.DatabaseMeta database : catalog.databases()) {
      for (dev.basalt.meta.catalog.TableMeta table : catalog.tables(database.name())) {
        for (dev.basalt.meta.catalog.PartitionMeta partition : table.partitions()) {
          tablets += partition.tabletIds().size();
        }
      }
    }
    return tablets;
  }

  /** Sets what {@code ADMIN SHOW CONFIG} lists: Doris's config names with Basalt's values. */
  public void frontendConfig(Map<String, String> config) {
    this.frontendConfig = Map.copyOf(config);
  }

  private StatementResult adminShowConfig(String like) {
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<String, String> entry : new java.util.TreeMap<>(frontendConfig).entrySet()) {
      if (ShowExecutor.matches(like, entry.getKey())) {
        rows.add(new Object[] {entry.getKey(), entry.getValue(), "String", "false", "true", ""});
      }
    }
    return table(List.of("Key", "Value", "Type", "IsMutable", "MasterOnly", "Comment"), rows);
  }

  /** A small all-VARCHAR result set. */
  static ResultSet table(List<String> names, List<Object[]> rows) {
    List<ResultColumn> columns = new ArrayList<>();
    List<ColumnVectorBuilder> builders = new ArrayList<>();
    for (String name : names) {
      columns.add(ResultColumn.computed(name, DataType.STRING));
      builders.add(new ColumnVectorBuilder(DataType.STRING, Math.max(rows.size(), 1)));
    }
    for (Object[] row : rows) {
      for (int i = 0; i < names.size(); i++) {
        builders.get(i).appendString(row[i] == null ? null : row[i].toString());
      }
    }
    List<dev.basalt.common.vector.ColumnVector> vectors = new ArrayList<>();
    for (ColumnVectorBuilder builder : builders) {
      vectors.add(builder.build());
    }
    return new ResultSet(columns, BatchStream.of(List.of(new Batch(vectors, rows.size()))));
  }
}
