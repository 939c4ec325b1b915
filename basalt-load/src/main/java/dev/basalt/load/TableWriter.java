package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes one load transaction into a table: routes each row to its partition and bucket (tablet),
 * writes one columnar segment per touched tablet with rows sorted by the key columns, and commits
 * them all through {@link Catalog#commitLoad} so that the load becomes visible atomically, at one
 * new version per partition, or not at all.
 *
 * <p>Durability: segment files are committed (fsync'ed) by the storage layer before the catalog
 * commit, and the catalog commit is durable when it returns, so an acknowledged load survives a
 * crash. If anything fails before the commit, the files written so far are deleted. Thread safe
 * (stateless apart from its collaborators).
 */
public final class TableWriter {
  private final Catalog catalog;
  private final FileSystem fileSystem;

  public TableWriter(Catalog catalog, FileSystem fileSystem) {
    this.catalog = catalog;
    this.fileSystem = fileSystem;
  }

  /**
   * Loads {@code batches}, whose vectors follow {@code table.columns()} in order and type.
   *
   * @param label the load's label (unique in the database) or {@code null} for a generated one
   */
  public CommitResult write(TableMeta table, List<Batch> batches, String label) {
    if (label != null) {
      // A fast refusal before any file is written; commitLoad checks again atomically.
      catalog
          .label(table.databaseId(), label)
          .ifPresent(
              existing -> {
                throw new BasaltException(
                    ErrorCode.LABEL_ALREADY_EXISTS, label, existing.transactionId());
              });
    }
    List<Object[]> rows = new ArrayList<>();
    for (Batch batch : batches) {
      for (int row = 0; row < batch.rowCount(); row++) {
        Object[] values = new Object[batch.columnCount()];
        for (int column = 0; column < values.length; column++) {
          values[column] = batch.column(column).getObject(row);
        }
        rows.add(values);
      }
    }
    Map<Long, List<Object[]>> rowsByTablet = route(table, rows);
    Map<Long, List<SegmentFile>> segments = new LinkedHashMap<>();
    List<String> written = new ArrayList<>();
    try {
      Comparator<Object[]> keyOrder = keyOrder(table);
      for (Map.Entry<Long, List<Object[]>> entry : rowsByTablet.entrySet()) {
        List<Object[]> tabletRows = entry.getValue();
        tabletRows.sort(keyOrder);
        String path =
            "data/"
                + table.databaseId()
                + "/"
                + table.id()
                + "/"
                + entry.getKey()
                + "/"
                + catalog.allocateId()
                + ".bsg";
        written.add(path);
        SegmentMetadata metadata = writeSegment(table, path, tabletRows);
        segments.put(
            entry.getKey(),
            List.of(new SegmentFile(path, metadata.rowCount(), metadata.fileSize())));
      }
    } catch (RuntimeException e) {
      deleteQuietly(written, e);
      throw e;
    }
    // Past this point the files are not deleted on failure: a commit that threw may still have
    // reached disk, and then its rowsets reference these files. An unreferenced file is only
    // wasted space; garbage collection of such files comes with the storage issue.
    try {
      return catalog.commitLoad(table.id(), label, segments, rows.size());
    } catch (IllegalArgumentException changed) {
      // The catalog refused tablets it no longer has: a DROP, TRUNCATE or partition change ran
      // while this load wrote its files. Nothing was committed.
      throw new BasaltException(
          changed,
          ErrorCode.ANALYSIS_ERROR,
          "table "
              + table.name()
              + " changed while the load ran; nothing was loaded, retry the statement");
    }
  }

  /**
   * Deletes the files of a load that failed before its commit; cleanup failures ride on {@code e}.
   */
  private void deleteQuietly(List<String> written, RuntimeException e) {
    for (String path : written) {
      try {
        fileSystem.delete(path);
      } catch (RuntimeException cleanupFailure) {
        e.addSuppressed(cleanupFailure);
      }
    }
  }

  private SegmentMetadata writeSegment(TableMeta table, String path, List<Object[]> rows) {
    List<SegmentColumn> schema = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      schema.add(new SegmentColumn(column.uniqueId(), column.type(), column.nullable()));
    }
    try (SegmentWriter writer = new SegmentWriter(fileSystem, path, schema)) {
      for (int start = 0; start < rows.size(); start += Batch.DEFAULT_SIZE) {
        int count = Math.min(Batch.DEFAULT_SIZE, rows.size() - start);
        List<ColumnVector> columns = new ArrayList<>();
        for (int column = 0; column < schema.size(); column++) {
          ColumnVectorBuilder builder = new ColumnVectorBuilder(schema.get(column).type(), count);
          for (int i = 0; i < count; i++) {
            builder.appendObject(rows.get(start + i)[column]);
          }
          columns.add(builder.build());
        }
        writer.append(new Batch(columns, count));
      }
      return writer.finish();
    }
  }

  private static Comparator<Object[]> keyOrder(TableMeta table) {
    List<Integer> keyIndexes = new ArrayList<>();
    for (String key : table.keyColumns()) {
      keyIndexes.add(indexOf(table, key));
    }
    return (left, right) -> {
      for (int index : keyIndexes) {
        int order = compareNullsFirst(left[index], right[index]);
        if (order != 0) {
          return order;
        }
      }
      return 0;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareNullsFirst(Object left, Object right) {
    if (left == null || right == null) {
      return left == right ? 0 : left == null ? -1 : 1;
    }
    return ((Comparable) left).compareTo(right);
  }

  private static int indexOf(TableMeta table, String column) {
    for (int i = 0; i < table.columns().size(); i++) {
      if (table.columns().get(i).name().equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, column, table.name());
  }

  private Map<Long, List<Object[]>> route(TableMeta table, List<Object[]> rows) {
    Map<Long, List<Object[]>> byTablet = new LinkedHashMap<>();
    List<Integer> partitionColumns = new ArrayList<>();
    for (String column : table.partitioning().columns()) {
      partitionColumns.add(indexOf(table, column));
    }
    List<Integer> hashColumns = new ArrayList<>();
    if (table.distribution().kind() == DistributionKind.HASH) {
      for (String column : table.distribution().columns()) {
        hashColumns.add(indexOf(table, column));
      }
    }
    long sequence = 0;
    for (Object[] row : rows) {
      PartitionMeta partition = partitionOf(table, partitionColumns, row);
      List<Long> tablets = partition.tabletIds();
      int bucket;
      if (hashColumns.isEmpty()) {
        bucket = (int) (sequence++ % tablets.size());
      } else {
        CRC32C hash = new CRC32C();
        for (int column : hashColumns) {
          String text = ValueText.format(table.columns().get(column).type(), row[column]);
          hash.update((text == null ? "\u0000NULL" : text).getBytes(StandardCharsets.UTF_8));
          hash.update(0);
        }
        bucket = (int) (hash.getValue() % tablets.size());
      }
      byTablet.computeIfAbsent(tablets.get(bucket), unused -> new ArrayList<>()).add(row);
    }
    return byTablet;
  }

  private static PartitionMeta partitionOf(
      TableMeta table, List<Integer> partitionColumns, Object[] row) {
    PartitionKind kind = table.partitioning().kind();
    if (kind == PartitionKind.NONE || partitionColumns.isEmpty()) {
      return table.partitions().get(0);
    }
    for (PartitionMeta partition : table.partitions()) {
      if (kind == PartitionKind.RANGE && inRange(table, partitionColumns, partition, row)) {
        return partition;
      }
      if (kind == PartitionKind.LIST && inList(table, partitionColumns, partition, row)) {
        return partition;
      }
    }
    List<String> values = new ArrayList<>();
    for (int column : partitionColumns) {
      values.add(ValueText.format(table.columns().get(column).type(), row[column]));
    }
    throw new BasaltException(
        ErrorCode.ANALYSIS_ERROR,
        "[DATA_QUALITY_ERROR]no partition for this tuple: " + values + " in table " + table.name());
  }

  private static boolean inRange(
      TableMeta table, List<Integer> columns, PartitionMeta partition, Object[] row) {
    int lower = compareTuple(table, columns, row, partition.lowerBound());
    int upper =
        partition.upperBound().isEmpty()
            ? -1
            : compareTuple(table, columns, row, partition.upperBound());
    return (partition.lowerBound().isEmpty() || lower >= 0) && upper < 0;
  }

  /** Lexicographic comparison of the row's partition values with a (possibly shorter) bound. */
  private static int compareTuple(
      TableMeta table, List<Integer> columns, Object[] row, List<String> bound) {
    for (int i = 0; i < bound.size() && i < columns.size(); i++) {
      int column = columns.get(i);
      Object value = row[column];
      if (value == null) {
        return -1;
      }
      if (bound.get(i).equalsIgnoreCase("MAXVALUE")) {
        return -1;
      }
      int order = compareNullsFirst(value, parse(table.columns().get(column).type(), bound.get(i)));
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  private static boolean inList(
      TableMeta table, List<Integer> columns, PartitionMeta partition, Object[] row) {
    for (List<String> tuple : partition.listValues()) {
      boolean matches = true;
      for (int i = 0; i < tuple.size() && i < columns.size() && matches; i++) {
        int column = columns.get(i);
        Object value = row[column];
        Object bound =
            tuple.get(i) == null || tuple.get(i).equalsIgnoreCase("NULL")
                ? null
                : parse(table.columns().get(column).type(), tuple.get(i));
        matches =
            value == null ? bound == null : bound != null && compareNullsFirst(value, bound) == 0;
      }
      if (matches) {
        return true;
      }
    }
    return false;
  }

  /** A partition bound literal as a value of the column's type. */
  static Object parse(DataType type, String literal) {
    TypeKind kind = type.kind();
    return switch (kind) {
      case BOOLEAN -> literal.equalsIgnoreCase("true") || literal.equals("1");
      case TINYINT, SMALLINT, INT, BIGINT -> Long.parseLong(literal.trim());
      case LARGEINT -> new java.math.BigInteger(literal.trim());
      case FLOAT, DOUBLE -> Double.parseDouble(literal.trim());
      case DECIMAL -> new BigDecimal(literal.trim());
      case DATE ->
          LocalDate.parse(literal.trim().substring(0, Math.min(10, literal.trim().length())));
      case DATETIME -> {
        String text = literal.trim();
        yield text.length() <= 10
            ? LocalDate.parse(text).atStartOfDay()
            : LocalDateTime.parse(text.replace(' ', 'T'));
      }
      default -> literal;
    };
  }
}
