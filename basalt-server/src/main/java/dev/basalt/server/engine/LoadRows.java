package dev.basalt.server.engine;

import dev.basalt.load.streamload.StreamLoadRecords;
import dev.basalt.load.streamload.StreamLoadResult;
import dev.basalt.meta.catalog.LoadInfo;
import dev.basalt.meta.catalog.LoadRecord;
import dev.basalt.meta.catalog.LoadStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The rows of {@code SHOW LOAD} (from the label records the catalog keeps, so they survive a
 * restart and expire with the labels) and {@code SHOW STREAM LOAD} (from the recent Stream Loads
 * kept in memory), built in this one place. Stateless; thread safe.
 */
final class LoadRows {
  /** Doris's {@code SHOW LOAD} columns. */
  static final List<String> LOAD_COLUMNS =
      List.of(
          "JobId",
          "Label",
          "State",
          "Progress",
          "Type",
          "EtlInfo",
          "TaskInfo",
          "ErrorMsg",
          "CreateTime",
          "EtlStartTime",
          "EtlFinishTime",
          "LoadStartTime",
          "LoadFinishTime",
          "URL",
          "JobDetails",
          "TransactionId",
          "ErrorTablets",
          "User",
          "Comment");

  /** Doris's {@code SHOW STREAM LOAD} columns. */
  static final List<String> STREAM_LOAD_COLUMNS = StreamLoadRecords.COLUMNS;

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter MILLISECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private LoadRows() {}

  /**
   * One {@code SHOW LOAD} row. A load Basalt committed is FINISHED (it is visible at commit); a
   * two-phase load waiting for its commit is PRECOMMITTED; a failed load is CANCELLED, with Doris's
   * {@code type:...; msg:...} ErrorMsg (ETL_QUALITY_UNSATISFIED when it filtered rows into an error
   * log, LOAD_RUN_FAIL otherwise) and no finish time. A record written before Basalt kept a load's
   * type shows type INSERT and its commit time as its start.
   *
   * @param errorLogUrl the URL of {@code /api/_load_error_log?file=} on this server, to which the
   *     record's error log file name is appended
   */
  static Object[] load(LoadRecord record, String errorLogUrl) {
    LoadInfo info =
        record.info() != null
            ? record.info()
            : LoadInfo.of(LoadInfo.INSERT, "", record.commitTime());
    boolean finished = record.status() == LoadStatus.VISIBLE;
    boolean failed = record.errorMessage() != null;
    String start = SECONDS.format(Instant.ofEpochMilli(info.startTime()));
    return new Object[] {
      String.valueOf(record.transactionId()),
      record.label(),
      finished ? "FINISHED" : failed ? "CANCELLED" : record.status().name(),
      finished ? "100.00% (1/1)" : "0.00% (0/1)",
      info.type(),
      "unselected.rows="
          + info.unselectedRows()
          + "; dpp.abnorm.ALL="
          + info.filteredRows()
          + "; dpp.norm.ALL="
          + record.rowCount(),
      "cluster:N/A; timeout(s):N/A; max_filter_ratio:N/A",
      failed
          ? "type:"
              + (info.errorLogFile().isEmpty() ? "LOAD_RUN_FAIL" : "ETL_QUALITY_UNSATISFIED")
              + "; msg:"
              + record.errorMessage()
          : null,
      start,
      start,
      start,
      start,
      finished ? SECONDS.format(Instant.ofEpochMilli(record.commitTime())) : null,
      info.errorLogFile().isEmpty() ? null : errorLogUrl + info.errorLogFile(),
      "{\"Unfinished backends\":{},\"ScannedRows\":"
          + (record.rowCount() + info.filteredRows() + info.unselectedRows())
          + ",\"TaskNumber\":1,\"LoadBytes\":"
          + info.loadBytes()
          + ",\"All backends\":{},\"FileNumber\":0,\"FileSize\":0}",
      String.valueOf(record.transactionId()),
      "{}",
      info.user(),
      info.comment()
    };
  }

  /** One {@code SHOW STREAM LOAD} row. */
  static Object[] streamLoad(StreamLoadRecords.Entry entry) {
    StreamLoadResult result = entry.result();
    return new Object[] {
      result.label(),
      entry.database(),
      entry.table(),
      entry.clientIp(),
      result.status(),
      result.message(),
      entry.errorUrl(),
      String.valueOf(result.totalRows()),
      String.valueOf(result.loadedRows()),
      String.valueOf(result.filteredRows()),
      String.valueOf(result.unselectedRows()),
      String.valueOf(result.loadBytes()),
      MILLISECONDS.format(Instant.ofEpochMilli(entry.startTime())),
      MILLISECONDS.format(Instant.ofEpochMilli(entry.finishTime())),
      entry.user(),
      result.comment()
    };
  }
}
