package dev.basalt.meta.statistics;

/**
 * What {@code ANALYZE TABLE} found in one column. Immutable.
 *
 * @param columnId the column's unique id in its table (stable across RENAME COLUMN)
 * @param columnName the column's name when it was analyzed
 * @param count the rows analyzed (NULLs included)
 * @param ndv the estimated number of distinct non-NULL values (HyperLogLog, about 1 % error)
 * @param nullCount the NULLs, exactly
 * @param dataSize the bytes of the values: the type's width for fixed-width types, the UTF-8 length
 *     for strings
 * @param min the smallest non-NULL value as SQL text, or {@code null} when every value is NULL
 * @param max the largest non-NULL value as SQL text, or {@code null} when every value is NULL
 * @param low {@code min} on a number line for range selectivity, or {@code null} (strings, or every
 *     value NULL): the number itself for numeric types, days since 1970-01-01 for DATE,
 *     microseconds since 1970-01-01 00:00:00 for DATETIME
 * @param high {@code max} on the same number line as {@code low}, or {@code null}
 */
public record ColumnStatistics(
    int columnId,
    String columnName,
    long count,
    long ndv,
    long nullCount,
    long dataSize,
    String min,
    String max,
    Double low,
    Double high) {

  /** The fraction of rows that are NULL (0 when no rows were analyzed). */
  public double nullFraction() {
    return count == 0 ? 0 : (double) nullCount / count;
  }
}
