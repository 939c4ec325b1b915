package dev.basalt.common.result;

/**
 * The outcome of a statement that returns no rows (DDL, INSERT, SET, USE ...): the MySQL OK packet.
 *
 * @param affectedRows rows written or changed
 * @param warnings number of warnings (e.g. rows filtered by a load)
 * @param info the human-readable info string, e.g. Doris's {@code {'label':'...',
 *     'status':'VISIBLE', 'txnId':'4'}}; may be empty
 */
public record UpdateCount(long affectedRows, int warnings, String info) implements StatementResult {
  public static final UpdateCount OK = new UpdateCount(0, 0, "");

  public static UpdateCount of(long affectedRows) {
    return new UpdateCount(affectedRows, 0, "");
  }
}
