package dev.basalt.meta.catalog;

/**
 * One schema change job of a table, as {@code SHOW ALTER TABLE COLUMN} lists it (Doris's column
 * set). Basalt runs every job inside its ALTER statement, so a stored job is always done: {@link
 * #FINISHED} (the change committed; metadata-only changes are listed too, like Doris's light schema
 * changes) or {@link #CANCELLED} (the change was refused while converting, with the reason in
 * {@code message}; the table kept its definition and data). Immutable; stored as {@code
 * alter_job/<databaseId>/<jobId>}.
 *
 * @param jobId the job's id (a catalog id)
 * @param databaseId the table's database
 * @param tableId the table
 * @param tableName the table's name when the job ran
 * @param createTime when the job started, epoch milliseconds
 * @param finishTime when it finished or was cancelled, epoch milliseconds
 * @param state {@link #FINISHED} or {@link #CANCELLED}
 * @param message why it was cancelled; empty when it finished
 * @param schemaVersion the table's schema version the job produced (or would have produced)
 * @param rewrittenRows rows converted and written again (0 for a metadata-only change)
 * @param fromUniqueId the unique id the rewritten column had before, or 0 when the job rewrote no
 *     column (metadata-only changes, records written before Basalt kept it)
 * @param toUniqueId the unique id the rewritten column has since, or 0 likewise
 */
public record AlterJob(
    long jobId,
    long databaseId,
    long tableId,
    String tableName,
    long createTime,
    long finishTime,
    String state,
    String message,
    int schemaVersion,
    long rewrittenRows,
    int fromUniqueId,
    int toUniqueId) {
  public static final String FINISHED = "FINISHED";
  public static final String CANCELLED = "CANCELLED";

  /** Seconds a job may run, as Doris's {@code alter_table_timeout_second} default (SHOW ALTER). */
  public static final long TIMEOUT_SECONDS = 86_400;

  public AlterJob {
    message = message == null ? "" : message;
  }
}
