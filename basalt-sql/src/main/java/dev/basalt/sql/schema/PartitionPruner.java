package dev.basalt.sql.schema;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.segment.ColumnBound;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the partitions of a table that a scan reads: those a {@code PARTITION (p1, p2)} clause
 * names (all when none), less those whose bounds prove that no row can satisfy the scan's pushed
 * predicate (partition pruning). Comparisons ({@code =, <, <=, >, >=}, BETWEEN as two of them) and
 * IN lists on the first partition column of a RANGE table, or on any partition column of a LIST
 * table, prune; anything else keeps the partition. A comparison is never TRUE for NULL, so it also
 * rules out the NULL rows of the lowest partition. Stateless.
 */
public final class PartitionPruner {
  private PartitionPruner() {}

  /**
   * The partitions of {@code table} named by {@code names} (case-insensitive, all when empty).
   *
   * @throws BasaltException UNKNOWN_PARTITION for a name the table does not have
   */
  public static List<PartitionMeta> selected(TableMeta table, List<String> names) {
    if (names.isEmpty()) {
      return table.partitions();
    }
    List<PartitionMeta> result = new ArrayList<>();
    for (String name : names) {
      PartitionMeta partition =
          table
              .partition(name)
              .filter(p -> table.partitioning().kind() != PartitionKind.NONE)
              .orElseThrow(
                  () -> new BasaltException(ErrorCode.UNKNOWN_PARTITION, name, table.name()));
      if (!result.contains(partition)) {
        result.add(partition);
      }
    }
    return result;
  }

  /**
   * The partitions of {@code meta} a reference {@code table} reads: those it names, formal or
   * temporary ({@code FROM t TEMPORARY PARTITION (tp)}), or all formal ones.
   *
   * @throws BasaltException UNKNOWN_PARTITION for a name the table does not have
   */
  public static List<PartitionMeta> selected(TableMeta meta, TableDescriptor table) {
    return selected(meta, table.partitions(), table.temporaryPartitions());
  }

  /**
   * The partitions of {@code meta} named by {@code names}: temporary ones if {@code temporary}
   * (case-insensitive), else as {@link #selected(TableMeta, List)}.
   *
   * @throws BasaltException UNKNOWN_PARTITION for a name the table does not have
   */
  public static List<PartitionMeta> selected(
      TableMeta meta, List<String> names, boolean temporary) {
    if (!temporary) {
      return selected(meta, names);
    }
    List<PartitionMeta> result = new ArrayList<>();
    for (String name : names) {
      PartitionMeta partition =
          meta.temporaryPartition(name)
              .orElseThrow(
                  () -> new BasaltException(ErrorCode.UNKNOWN_PARTITION, name, meta.name()));
      if (!result.contains(partition)) {
        result.add(partition);
      }
    }
    return result;
  }

  /** How many partitions of its kind (formal or temporary) a reference chooses among. */
  private static int partitionCount(TableMeta meta, TableDescriptor table) {
    return table.temporaryPartitions()
        ? meta.temporaryPartitions().size()
        : meta.partitions().size();
  }

  /**
   * The partitions among {@code candidates} that may hold rows satisfying {@code predicate}.
   *
   * @param columns the table column of each scan output position (what bounds refer to)
   * @param predicate the scan's pushed predicate, or null for none
   */
  public static List<PartitionMeta> prune(
      TableMeta table, List<PartitionMeta> candidates, int[] columns, ScanPredicate predicate) {
    Partitioning partitioning = table.partitioning();
    if (predicate == null || partitioning.kind() == PartitionKind.NONE) {
      return candidates;
    }
    List<PartitionMeta> kept = new ArrayList<>();
    for (PartitionMeta partition : candidates) {
      if (mayMatch(table, partition, columns, predicate)) {
        kept.add(partition);
      }
    }
    return kept;
  }

  /**
   * What EXPLAIN adds to a scan of a partitioned user table: {@code , partitions=k/n} (k read of
   * n); empty for other tables.
   *
   * @param columns the table column of each scan output position, or null with no predicate
   * @param predicate the pushed predicate, or null
   */
  public static String describe(TableDescriptor table, int[] columns, ScanPredicate predicate) {
    if (!(table.handle() instanceof TableMeta meta)
        || meta.partitioning().kind() == PartitionKind.NONE) {
      return "";
    }
    List<PartitionMeta> read = prune(meta, selected(meta, table), columns, predicate);
    return ", partitions=" + read.size() + "/" + partitionCount(meta, table);
  }

  /**
   * The partitions among {@code candidates} that may hold rows whose columns equal {@code
   * equalities} (table column index to value: the {@code c = literal} conjuncts a scan is handed as
   * a lookup hint).
   */
  public static List<PartitionMeta> prune(
      TableMeta table, List<PartitionMeta> candidates, java.util.Map<Integer, Object> equalities) {
    List<ColumnBound> bounds = new ArrayList<>();
    for (java.util.Map.Entry<Integer, Object> equality : equalities.entrySet()) {
      if (equality.getValue() != null && ColumnBound.supported(equality.getValue())) {
        bounds.add(
            new ColumnBound(equality.getKey(), ColumnBound.Comparison.EQUAL, equality.getValue()));
      }
    }
    int[] columns = new int[table.columns().size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = i;
    }
    return prune(
        table,
        candidates,
        columns,
        new ScanPredicate(null, new int[0], null, bounds, "", List.of()));
  }

  /** As {@link #describe(TableDescriptor, int[], ScanPredicate)} for a scan given equalities. */
  public static String describe(TableDescriptor table, java.util.Map<Integer, Object> equalities) {
    if (!(table.handle() instanceof TableMeta meta)
        || meta.partitioning().kind() == PartitionKind.NONE) {
      return "";
    }
    List<PartitionMeta> read = prune(meta, selected(meta, table), equalities);
    return ", partitions=" + read.size() + "/" + partitionCount(meta, table);
  }

  private static boolean mayMatch(
      TableMeta table, PartitionMeta partition, int[] columns, ScanPredicate predicate) {
    for (ColumnBound bound : predicate.bounds()) {
      if (!mayMatch(table, partition, columns, bound)) {
        return false;
      }
    }
    for (List<ColumnBound> alternatives : predicate.alternatives()) {
      boolean any = false;
      for (ColumnBound bound : alternatives) {
        any |= mayMatch(table, partition, columns, bound);
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  private static boolean mayMatch(
      TableMeta table, PartitionMeta partition, int[] columns, ColumnBound bound) {
    String column = table.columns().get(columns[bound.column()]).name();
    int partitionColumn = indexOfIgnoreCase(table.partitioning().columns(), column);
    if (partitionColumn < 0) {
      return true;
    }
    DataType type = table.columns().get(columns[bound.column()]).type();
    if (table.partitioning().kind() == PartitionKind.LIST) {
      for (List<String> tuple : partition.listValues()) {
        if (partitionColumn < tuple.size()
            && satisfies(Partitioning.boundValue(type, tuple.get(partitionColumn)), bound)) {
          return true;
        }
      }
      return false;
    }
    if (partitionColumn != 0) {
      return true;
    }
    Object lower =
        partition.lowerBound().isEmpty()
            ? null
            : Partitioning.boundValue(type, partition.lowerBound().get(0));
    Object upper =
        partition.upperBound().isEmpty()
                || partition.upperBound().get(0).equalsIgnoreCase("MAXVALUE")
            ? null
            : Partitioning.boundValue(type, partition.upperBound().get(0));
    // With more partition columns, rows whose first column equals the upper bound's may still
    // belong here (the bound is a tuple): the first column's range is then closed above.
    boolean upperInclusive = table.partitioning().columns().size() > 1;
    Object value = bound.value();
    Integer lowerOrder = lower == null ? Integer.valueOf(-1) : compare(lower, value);
    Integer upperOrder = upper == null ? Integer.valueOf(1) : compare(upper, value);
    if (lowerOrder == null || upperOrder == null) {
      return true;
    }
    boolean upperAbove = upperInclusive ? upperOrder >= 0 : upperOrder > 0;
    return switch (bound.comparison()) {
      case EQUAL -> lowerOrder <= 0 && upperAbove;
      case NOT_EQUAL -> true;
      case LESS -> lowerOrder < 0;
      case LESS_OR_EQUAL -> lowerOrder <= 0;
      case GREATER_OR_EQUAL -> upperAbove;
      case GREATER -> {
        if (upper == null || upperInclusive) {
          yield upperOrder > 0;
        }
        // Some x with value < x < upper: for integers and dates, the successor of value.
        Object successor = successor(value);
        Integer order = successor == null ? null : compare(upper, successor);
        yield order == null ? upperOrder > 0 : order > 0;
      }
    };
  }

  /** Whether a partition value satisfies the bound. */
  private static boolean satisfies(Object partitionValue, ColumnBound bound) {
    Integer order = compare(partitionValue, bound.value());
    if (order == null) {
      return true;
    }
    return switch (bound.comparison()) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case LESS -> order < 0;
      case LESS_OR_EQUAL -> order <= 0;
      case GREATER -> order > 0;
      case GREATER_OR_EQUAL -> order >= 0;
    };
  }

  private static Object successor(Object value) {
    return switch (value) {
      case Long number when number != Long.MAX_VALUE -> number + 1;
      case LocalDate date -> date.plusDays(1);
      default -> null;
    };
  }

  /**
   * The order of a partition value and a bound constant, or null when not comparable. Strings are
   * not compared: a string bound compares raw bytes ({@link ColumnBound#ofStrings}), which rows are
   * not routed to partitions by.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Integer compare(Object partitionValue, Object constant) {
    if (partitionValue instanceof String || constant instanceof String) {
      return null;
    }
    if (partitionValue.getClass() == constant.getClass()
        && partitionValue instanceof Comparable comparable) {
      return Integer.signum(comparable.compareTo(constant));
    }
    BigDecimal left = exactDecimal(partitionValue);
    BigDecimal right = exactDecimal(constant);
    return left == null || right == null ? null : Integer.signum(left.compareTo(right));
  }

  private static BigDecimal exactDecimal(Object value) {
    return switch (value) {
      case Long integer -> BigDecimal.valueOf(integer);
      case BigInteger integer -> new BigDecimal(integer);
      case BigDecimal decimal -> decimal;
      default -> null;
    };
  }

  private static int indexOfIgnoreCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
