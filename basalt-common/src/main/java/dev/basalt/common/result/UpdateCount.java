package dev.basalt.common.result;

/**
 * The outcome of a statement that returns no rows (DDL, INSERT, SET, USE ...): the MySQL OK packet.
 *
 * @param affectedRows rows written or changed
 * @param warnings number of warnings (e.g. rows filtered by a load)
 * @param info the human-readable info string, e.g. Doris's {@code {'label':'...',
 *     'status':'VISIBLE', 'txnId':'4'}}; may be empty
 * @param lastInsertId the first AUTO_INCREMENT value the statement generated, 0 when none (the OK
 *     packet's last-insert-id, which JDBC's {@code getGeneratedKeys} reads)
 */
public record UpdateCount(long affectedRows, int warnings, String info, long lastInsertId)
    implements StatementResult {
  public static final UpdateCount OK = new UpdateCount(0, 0, "");

  /** An outcome that generated no AUTO_INCREMENT value. */
  public UpdateCount(long affectedRows, int warnings, String info) {
    this(affectedRows, warnings, info, 0);
  }

  /** This outcome with {@code id} as its last-insert-id. */
  public UpdateCount withLastInsertId(long id) {
    return new UpdateCount(affectedRows, warnings, info, id);
  }

  public static UpdateCount of(long affectedRows) {
    return new UpdateCount(affectedRows, 0, "");
  }
}
