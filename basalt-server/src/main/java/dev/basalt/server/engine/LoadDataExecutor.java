package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.UpdateCount;
import dev.basalt.load.streamload.StreamLoadOptions;
import dev.basalt.load.streamload.StreamLoadResult;
import dev.basalt.load.streamload.StreamLoader;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.server.session.LocalFiles;
import dev.basalt.server.session.Session;
import dev.basalt.sql.parser.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code LOAD DATA LOCAL INFILE} over the MySQL protocol: the statement's clauses become Stream
 * Load headers ({@code FIELDS TERMINATED BY} → {@code column_separator}, {@code ENCLOSED BY} →
 * {@code enclose}, {@code ESCAPED BY} → {@code escape}, {@code LINES TERMINATED BY} → {@code
 * line_delimiter}, {@code IGNORE n LINES} → {@code skip_lines}, the field list and {@code SET} →
 * {@code columns}; {@code LINES STARTING BY} filters the file's lines first, {@link
 * LinePrefixFilter}, so IGNORE counts the lines that have the prefix), and the file, streamed from
 * the client as it arrives ({@link LocalFiles}), is loaded by the same {@link StreamLoader} as a
 * Stream Load body: one atomic load, bounded memory, no rejected row allowed (Stream Load's default
 * {@code max_filter_ratio} 0, as Doris's MySQL load). Used on the session's thread.
 */
final class LoadDataExecutor {
  private final Catalog catalog;
  private final AccessControl access;
  private final StreamLoader loader;

  LoadDataExecutor(Catalog catalog, AccessControl access, StreamLoader loader) {
    this.catalog = catalog;
    this.access = access;
    this.loader = loader;
  }

  UpdateCount execute(Session session, Statement.LoadData load) {
    String database = load.table().databaseOr(session.currentDatabase());
    TableMeta table = catalog.existingTable(database, load.table().name());
    access.checkLoad(session.user(), session.clientHost(), database, table.name());
    LocalFiles files = session.localFiles();
    if (files == null) {
      throw new BasaltException(ErrorCode.LOCAL_INFILE_DISABLED);
    }
    StreamLoadOptions options = StreamLoadOptions.parse(headers(load));
    StreamLoadResult result;
    try (InputStream file = linesStartingBy(load, options, files.open(load.fileName()))) {
      result = loader.load(table, options, file, session.user());
    } catch (IOException e) {
      throw new BasaltException(e, ErrorCode.IO_ERROR, e.getMessage());
    }
    if (!result.succeeded()) {
      throw new BasaltException(ErrorCode.ANALYSIS_ERROR, result.message());
    }
    return new UpdateCount(
        result.loadedRows(),
        0,
        "Records: "
            + result.totalRows()
            + "  Deleted: 0  Skipped: "
            + result.filteredRows()
            + "  Warnings: 0");
  }

  /** The file's lines from just after their {@code LINES STARTING BY} prefix, when it has one. */
  private static InputStream linesStartingBy(
      Statement.LoadData load, StreamLoadOptions options, InputStream file) {
    String prefix = load.linesStartingBy();
    return prefix == null || prefix.isEmpty()
        ? file
        : new LinePrefixFilter(
            file, prefix.getBytes(StandardCharsets.UTF_8), options.lineDelimiter());
  }

  /** The statement's clauses as Stream Load headers. */
  private static Map<String, String> headers(Statement.LoadData load) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (load.fieldsTerminatedBy() != null) {
      headers.put("column_separator", load.fieldsTerminatedBy());
    }
    if (load.linesTerminatedBy() != null) {
      headers.put("line_delimiter", load.linesTerminatedBy());
    }
    if (load.enclosedBy() != null && !load.enclosedBy().isEmpty()) {
      headers.put("enclose", load.enclosedBy());
    }
    if (load.escapedBy() != null && !load.escapedBy().isEmpty()) {
      headers.put("escape", load.escapedBy());
    }
    if (load.ignoreLines() > 0) {
      headers.put("skip_lines", Long.toString(load.ignoreLines()));
    }
    if (load.fields() != null || !load.setExpressions().isEmpty()) {
      List<String> columns = new ArrayList<>();
      if (load.fields() != null) {
        load.fields().forEach(field -> columns.add("`" + field + "`"));
      }
      load.setExpressions()
          .forEach((column, expression) -> columns.add("`" + column + "` = " + expression));
      headers.put("columns", String.join(", ", columns));
    }
    return headers;
  }
}
