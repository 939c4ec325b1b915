package dev.basalt.server.engine;

import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.UniqueKeyOptions;

/**
 * The read-time merge of two rows of one key of a merge-on-read UNIQUE KEY table (rows as value
 * arrays in the table's column order), with the table's {@link UniqueKeyOptions}: the newer row
 * replaces the older one, unless its sequence value is smaller; with replace-if-not-null a NULL in
 * the newer row keeps the older value. The same rules as compaction's {@code ReplaceMergeFunction}.
 * Stateless.
 */
final class UniqueRowMerge {
  private UniqueRowMerge() {}

  static Object[] merge(TableMeta table, Object[] older, Object[] newer) {
    int sequence = UniqueKeyOptions.sequenceColumn(table);
    if (sequence >= 0) {
      Object newerValue = newer[sequence];
      Object olderValue = older[sequence];
      boolean wins =
          UniqueKeyOptions.newerWins(
              newerValue == null,
              newerValue == null ? 0 : ordinal(newerValue),
              olderValue == null,
              olderValue == null ? 0 : ordinal(olderValue));
      if (!wins) {
        return older;
      }
    }
    if (!UniqueKeyOptions.replaceIfNotNull(table)) {
      return newer;
    }
    Object[] result = newer.clone();
    for (int c = 0; c < result.length; c++) {
      if (result[c] == null) {
        result[c] = older[c];
      }
    }
    return result;
  }

  /** A sequence value (integer, date or datetime) as a number that orders like the value. */
  private static long ordinal(Object value) {
    return switch (value) {
      case Number number -> number.longValue();
      case java.time.LocalDate date -> date.toEpochDay();
      case java.time.LocalDateTime dateTime ->
          dateTime.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L
              + dateTime.getNano() / 1_000;
      default -> throw new IllegalStateException("not a sequence value: " + value);
    };
  }
}
