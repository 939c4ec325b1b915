package dev.basalt.exec.function;

import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * What functions may read about the statement they run in. Immutable; one per statement.
 *
 * @param timeZone the session's {@code time_zone}, used by {@code now()}, {@code unix_timestamp}
 *     ...
 * @param statementStart the local date-time (in {@code timeZone}) at which the statement started;
 *     {@code now()} returns it for every row, as MySQL does
 * @param queryId the id of the statement, for error messages
 */
public record EvaluationContext(ZoneId timeZone, LocalDateTime statementStart, String queryId) {

  public static EvaluationContext now(ZoneId timeZone, String queryId) {
    return new EvaluationContext(timeZone, LocalDateTime.now(timeZone), queryId);
  }
}
