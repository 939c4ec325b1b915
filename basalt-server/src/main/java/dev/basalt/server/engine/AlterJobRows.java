package dev.basalt.server.engine;

import dev.basalt.meta.catalog.AlterJob;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The rows of {@code SHOW ALTER TABLE COLUMN}, from the schema change jobs the catalog keeps (so
 * they survive a restart). Stateless; thread safe.
 */
final class AlterJobRows {
  /** Doris's {@code SHOW ALTER TABLE COLUMN} columns. */
  static final List<String> COLUMNS =
      List.of(
          "JobId",
          "TableName",
          "CreateTime",
          "FinishTime",
          "IndexName",
          "IndexId",
          "OriginIndexId",
          "SchemaVersion",
          "TransactionId",
          "State",
          "Msg",
          "Progress",
          "Timeout");

  private static final DateTimeFormatter MILLISECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private AlterJobRows() {}

  /**
   * One row. Basalt's table is its only index (Doris's base index), so IndexName is the table's
   * name and IndexId and OriginIndexId its id; SchemaVersion is Doris's {@code version:hash} with
   * the table's schema version and hash 0; a job runs inside its statement, so it has no
   * transaction (0) and its Progress is N/A, as Doris shows for jobs not RUNNING.
   */
  static Object[] row(AlterJob job) {
    return new Object[] {
      job.jobId(),
      job.tableName(),
      MILLISECONDS.format(Instant.ofEpochMilli(job.createTime())),
      MILLISECONDS.format(Instant.ofEpochMilli(job.finishTime())),
      job.tableName(),
      job.tableId(),
      job.tableId(),
      job.schemaVersion() + ":0",
      0,
      job.state(),
      job.message(),
      "N/A",
      AlterJob.TIMEOUT_SECONDS
    };
  }
}
