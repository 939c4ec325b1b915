package dev.basalt.load.groupcommit;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.Locale;

/**
 * How a small load is committed: on its own ({@link #OFF_MODE}), or gathered with other loads into
 * the table's current group, acknowledged once it is in the write-ahead log ({@link #ASYNC_MODE})
 * or once the group's commit made it visible ({@link #SYNC_MODE}). Doris's {@code group_commit}
 * Stream Load header and session variable; see docs/stream-load.md.
 */
public enum GroupCommitMode {
  OFF_MODE,
  SYNC_MODE,
  ASYNC_MODE;

  /**
   * The mode a header or variable names (case-insensitive); {@code null} or blank is {@link
   * #OFF_MODE}.
   *
   * @throws BasaltException GROUP_COMMIT_BAD_MODE for any other text
   */
  public static GroupCommitMode parse(String text) {
    if (text == null || text.isBlank()) {
      return OFF_MODE;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "off_mode" -> OFF_MODE;
      case "sync_mode" -> SYNC_MODE;
      case "async_mode" -> ASYNC_MODE;
      default -> throw new BasaltException(ErrorCode.GROUP_COMMIT_BAD_MODE, text.strip());
    };
  }

  /** The name as Doris spells it, e.g. {@code async_mode}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
