package dev.basalt.meta.catalog;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;

/**
 * The caps on what one DDL statement may create, checked by {@link Catalog} on every path that
 * creates or changes a definition (CREATE TABLE, CTAS, LIKE, ALTER, RENAME). Without them a single
 * statement such as {@code BUCKETS 2147483647} could make the server allocate metadata until it
 * runs out of memory. The values are documented in docs/security.md.
 */
public final class CatalogLimits {
  /** Longest database or table name, in characters (MySQL's and Doris's default). */
  public static final int MAX_NAME_LENGTH = 64;

  /** Longest column name, in characters (Doris allows longer column names than MySQL). */
  public static final int MAX_COLUMN_NAME_LENGTH = 256;

  /** Most columns in one table. */
  public static final int MAX_COLUMNS_PER_TABLE = 4096;

  /** Most buckets (tablets) in one partition. */
  public static final int MAX_BUCKETS_PER_PARTITION = 1024;

  /** Most partitions in one table. */
  public static final int MAX_PARTITIONS_PER_TABLE = 4096;

  /** Most tablets (partitions times buckets) in one table. */
  public static final int MAX_TABLETS_PER_TABLE = 100_000;

  private CatalogLimits() {}

  /**
   * @throws BasaltException IDENTIFIER_TOO_LONG past {@link #MAX_NAME_LENGTH} characters
   */
  static void checkName(String name) {
    checkLength(name, MAX_NAME_LENGTH);
  }

  static void checkColumnName(String name) {
    checkLength(name, MAX_COLUMN_NAME_LENGTH);
  }

  private static void checkLength(String name, int maxLength) {
    if (name.codePointCount(0, name.length()) > maxLength) {
      throw new BasaltException(ErrorCode.IDENTIFIER_TOO_LONG, name, maxLength);
    }
  }

  static void checkColumnCount(int columns) {
    if (columns > MAX_COLUMNS_PER_TABLE) {
      throw new BasaltException(ErrorCode.TOO_MANY_COLUMNS, columns, MAX_COLUMNS_PER_TABLE);
    }
  }

  static void checkLayout(int partitions, int bucketsPerPartition) {
    if (bucketsPerPartition > MAX_BUCKETS_PER_PARTITION) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "BUCKETS "
              + bucketsPerPartition
              + " is more than the limit of "
              + MAX_BUCKETS_PER_PARTITION
              + " buckets per partition");
    }
    if (partitions > MAX_PARTITIONS_PER_TABLE) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          partitions
              + " partitions are more than the limit of "
              + MAX_PARTITIONS_PER_TABLE
              + " partitions per table");
    }
    long tablets = (long) partitions * bucketsPerPartition;
    if (tablets > MAX_TABLETS_PER_TABLE) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          partitions
              + " partitions of "
              + bucketsPerPartition
              + " buckets make "
              + tablets
              + " tablets, more than the limit of "
              + MAX_TABLETS_PER_TABLE
              + " tablets per table; use fewer buckets");
    }
  }
}
