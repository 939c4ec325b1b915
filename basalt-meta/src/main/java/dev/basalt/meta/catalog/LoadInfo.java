package dev.basalt.meta.catalog;

/**
 * What SHOW LOAD tells of a load beyond its label, state and rows, recorded with the label at
 * commit (so it survives a restart and expires with the label).
 *
 * @param type {@link #INSERT}, {@link #STREAM_LOAD} or {@link #GROUP_COMMIT}
 * @param user the user who ran it, or empty (a group commit joins the rows of several users)
 * @param startTime when the load began, epoch milliseconds
 * @param filteredRows rows rejected by the load's checks (Stream Load's {@code max_filter_ratio})
 * @param unselectedRows rows a Stream Load's {@code where} left out
 * @param loadBytes bytes of the loaded body (Stream Load), 0 otherwise
 * @param errorLogFile the file name of the rejected rows' log ({@code /api/_load_error_log?file=}),
 *     or empty
 * @param comment the load's comment, or empty
 */
public record LoadInfo(
    String type,
    String user,
    long startTime,
    long filteredRows,
    long unselectedRows,
    long loadBytes,
    String errorLogFile,
    String comment) {
  /** An INSERT, UPDATE, DELETE or CREATE TABLE ... AS SELECT (Doris's job type INSERT). */
  public static final String INSERT = "INSERT";

  /** A Stream Load or LOAD DATA LOCAL INFILE that committed on its own. */
  public static final String STREAM_LOAD = "STREAM_LOAD";

  /** A group commit: the rows of several INSERTs or Stream Loads committed as one. */
  public static final String GROUP_COMMIT = "GROUP_COMMIT";

  /** A load of {@code type} by {@code user} that began at {@code startTime}, with nothing else. */
  public static LoadInfo of(String type, String user, long startTime) {
    return new LoadInfo(type, user == null ? "" : user, startTime, 0, 0, 0, "", "");
  }
}
