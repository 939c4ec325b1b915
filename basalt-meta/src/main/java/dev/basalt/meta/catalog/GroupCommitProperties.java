package dev.basalt.meta.catalog;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;

/**
 * The table properties that shape group commit ({@code group_commit_interval_ms}, {@code
 * group_commit_data_bytes}): their names, Basalt's defaults and how a table's values are read. The
 * DDL layer validates them with {@link #parse}; the group committer reads them per table.
 *
 * <p>Defaults (Doris has 10,000 ms and 128 MiB): a group commits after 1,000 ms, so that rows
 * written in async mode are visible within about a second and a sync-mode client waits half a
 * second on average, while a busy table still gets only one commit (one rowset per tablet) a second
 * for compaction to merge; and after 64 MiB of logged rows, the memory budget of one load ({@code
 * TableWriter.DEFAULT_BUFFER_BUDGET_BYTES}), so a group's rows never wait in more memory than one
 * ordinary load uses. See docs/stream-load.md.
 */
public final class GroupCommitProperties {
  public static final String INTERVAL_MS = "group_commit_interval_ms";
  public static final String DATA_BYTES = "group_commit_data_bytes";
  public static final long DEFAULT_INTERVAL_MS = 1_000;
  public static final long DEFAULT_DATA_BYTES = 64L << 20;

  private GroupCommitProperties() {}

  /** How long a group of {@code table} gathers loads before it commits. */
  public static long intervalMillis(TableMeta table) {
    String value = table.properties().get(INTERVAL_MS);
    return value == null ? DEFAULT_INTERVAL_MS : parse(INTERVAL_MS, value);
  }

  /** How many bytes of logged rows make a group of {@code table} commit before its interval. */
  public static long dataBytes(TableMeta table) {
    String value = table.properties().get(DATA_BYTES);
    return value == null ? DEFAULT_DATA_BYTES : parse(DATA_BYTES, value);
  }

  /**
   * The value of one of these properties.
   *
   * @throws BasaltException INVALID_DDL unless {@code value} is a positive integer
   */
  public static long parse(String name, String value) {
    try {
      long number = Long.parseLong(value.strip());
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BasaltException(
        ErrorCode.INVALID_DDL,
        "Invalid value '" + value + "' for property " + name + ": expected a positive integer");
  }
}
