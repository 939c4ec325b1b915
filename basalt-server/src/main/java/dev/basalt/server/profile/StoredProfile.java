package dev.basalt.server.profile;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One finished query's profile as kept by {@link QueryProfileStore}: Doris's summary fields and the
 * execution section, the operator tree with its counters ({@code QueryProfile#lines}).
 *
 * @param queryId the query id (as {@code SHOW PROCESSLIST} and the audit log show it)
 * @param user who ran it; only that user and administrators may read the profile
 * @param database the session's current database, or empty
 * @param sql the statement's text (passwords redacted)
 * @param startMillis when it started, epoch milliseconds
 * @param endMillis when its result was closed, epoch milliseconds
 * @param state {@code OK} (all rows sent), {@code ERR} (it failed) or {@code CANCELLED} (the client
 *     stopped reading; the rows counted are those produced)
 * @param rows rows returned to the client
 * @param peakMemory the most bytes the query reserved at once
 * @param execution the operator lines
 */
public record StoredProfile(
    String queryId,
    String user,
    String database,
    String sql,
    long startMillis,
    long endMillis,
    String state,
    long rows,
    long peakMemory,
    List<String> execution) {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  public StoredProfile {
    execution = List.copyOf(execution);
  }

  /**
   * The columns of a profile list, as Doris names them (HTTP {@code /rest/v1/query_profile} and
   * {@code SHOW QUERY PROFILE '/'}); {@link #listRow} gives a profile's values in this order.
   */
  public static final List<String> LIST_COLUMNS =
      List.of(
          "Profile ID",
          "Task Type",
          "Start Time",
          "End Time",
          "Total",
          "Task State",
          "User",
          "Default Db",
          "Sql Statement");

  /**
   * This profile's row of a profile list, in {@link #LIST_COLUMNS}' order, times in {@code zone}.
   */
  public List<String> listRow(ZoneId zone) {
    return List.of(
        queryId,
        "QUERY",
        startTime(zone),
        endTime(zone),
        totalMillis() + "ms",
        state,
        user,
        database,
        sql);
  }

  /** Total time in milliseconds. */
  public long totalMillis() {
    return endMillis - startMillis;
  }

  /** Characters held (for the store's bound). */
  long chars() {
    long chars = sql.length() + 128;
    for (String line : execution) {
      chars += line.length() + 1;
    }
    return chars;
  }

  /** This profile with at most {@code limit} characters of SQL and execution lines. */
  StoredProfile truncated(int limit) {
    if (chars() <= limit) {
      return this;
    }
    String text = sql.length() > limit / 4 ? sql.substring(0, limit / 4) + " ..." : sql;
    List<String> lines = new ArrayList<>();
    long used = text.length();
    for (String line : execution) {
      if (used + line.length() + 1 > limit - 64) {
        lines.add("... (profile cut at " + limit + " characters)");
        break;
      }
      lines.add(line);
      used += line.length() + 1;
    }
    return new StoredProfile(
        queryId, user, database, text, startMillis, endMillis, state, rows, peakMemory, lines);
  }

  /** The profile as Doris's text profile: a summary, then the execution section. */
  public String text(ZoneId zone) {
    StringBuilder out = new StringBuilder();
    out.append("Summary:\n");
    out.append("  - Profile ID: ").append(queryId).append('\n');
    out.append("  - Task Type: QUERY\n");
    out.append("  - Start Time: ").append(format(startMillis, zone)).append('\n');
    out.append("  - End Time: ").append(format(endMillis, zone)).append('\n');
    out.append("  - Total: ").append(totalMillis()).append("ms\n");
    out.append("  - Task State: ").append(state).append('\n');
    out.append("  - User: ").append(user).append('\n');
    out.append("  - Default Db: ").append(database).append('\n');
    out.append("  - Sql Statement: ").append(sql).append('\n');
    out.append("  - Rows Returned: ").append(rows).append('\n');
    out.append("  - Peak Memory: ").append(peakMemory).append(" bytes\n");
    out.append("Execution Profile ").append(queryId).append(":\n");
    for (String line : execution) {
      out.append("  ").append(line).append('\n');
    }
    return out.toString();
  }

  /** Start time as text. */
  public String startTime(ZoneId zone) {
    return format(startMillis, zone);
  }

  /** End time as text. */
  public String endTime(ZoneId zone) {
    return format(endMillis, zone);
  }

  private static String format(long millis, ZoneId zone) {
    return TIME.format(Instant.ofEpochMilli(millis).atZone(zone));
  }
}
