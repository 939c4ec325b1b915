package dev.basalt.load;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.Values;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the partition of each row of a batch from the table's RANGE or LIST bounds. A single RANGE
 * column stored as a {@code long} (integers, dates, datetimes: the common case) is compared on
 * primitives with bounds parsed once; other shapes compare boxed values. Routing within a partition
 * to its tablet is storage's {@code storage.tablet.DistributionHash}; this stays in basalt-load
 * because partitions are catalog metadata ({@code TableMeta}'s bounds), above tablets. Immutable,
 * thread safe.
 */
public final class PartitionRouter {
  /** Marks a row that fits no partition. */
  public static final int NO_PARTITION = -1;

  private final TableMeta table;
  private final PartitionKind kind;
  private final int[] columns;
  private final DataType[] types;

  /** For the primitive RANGE path: lower (inclusive) and upper (exclusive) bounds per partition. */
  private final long[] lowerBounds;

  private final long[] upperBounds;

  public PartitionRouter(TableMeta table) {
    this.table = table;
    List<String> names = table.partitioning().columns();
    this.kind = names.isEmpty() ? PartitionKind.NONE : table.partitioning().kind();
    this.columns = new int[names.size()];
    this.types = new DataType[names.size()];
    for (int i = 0; i < names.size(); i++) {
      columns[i] = TableWriter.indexOf(table, names.get(i));
      types[i] = table.columns().get(columns[i]).type();
    }
    if (kind == PartitionKind.RANGE
        && columns.length == 1
        && types[0].physical() == PhysicalType.LONG
        && types[0].kind() != TypeKind.BOOLEAN) {
      List<PartitionMeta> partitions = table.partitions();
      lowerBounds = new long[partitions.size()];
      upperBounds = new long[partitions.size()];
      for (int p = 0; p < partitions.size(); p++) {
        PartitionMeta partition = partitions.get(p);
        lowerBounds[p] =
            partition.lowerBound().isEmpty()
                ? Long.MIN_VALUE
                : Values.toLong(types[0], parse(types[0], partition.lowerBound().get(0)));
        upperBounds[p] =
            partition.upperBound().isEmpty()
                    || partition.upperBound().get(0).equalsIgnoreCase("MAXVALUE")
                ? Long.MAX_VALUE
                : Values.toLong(types[0], parse(types[0], partition.upperBound().get(0)));
      }
    } else {
      lowerBounds = null;
      upperBounds = null;
    }
  }

  /** Writes each row's partition index (into {@code table.partitions()}) or NO_PARTITION. */
  public void route(Batch batch, int[] partitionOfRow) {
    int count = batch.rowCount();
    if (kind == PartitionKind.NONE) {
      java.util.Arrays.fill(partitionOfRow, 0, count, 0);
      return;
    }
    if (lowerBounds != null && batch.column(columns[0]) instanceof LongVector keys) {
      for (int row = 0; row < count; row++) {
        partitionOfRow[row] = keys.isNull(row) ? rangeOfNull() : rangeOf(keys.getLong(row));
      }
      return;
    }
    Object[] values = new Object[columns.length];
    for (int row = 0; row < count; row++) {
      for (int i = 0; i < columns.length; i++) {
        values[i] = batch.column(columns[i]).getObject(row);
      }
      partitionOfRow[row] = partitionOf(values);
    }
  }

  private int rangeOf(long value) {
    // Long.MAX_VALUE as an upper bound stands for MAXVALUE or no bound: everything above is in.
    for (int p = 0; p < lowerBounds.length; p++) {
      if (value >= lowerBounds[p] && (value < upperBounds[p] || upperBounds[p] == Long.MAX_VALUE)) {
        return p;
      }
    }
    return NO_PARTITION;
  }

  /** NULL sorts below every value: it belongs to the partition without a lower bound, if any. */
  private int rangeOfNull() {
    for (int p = 0; p < lowerBounds.length; p++) {
      if (lowerBounds[p] == Long.MIN_VALUE) {
        return p;
      }
    }
    return NO_PARTITION;
  }

  /** The partition values of row {@code row} as text, for a "no partition" message. */
  public String describe(Batch batch, int row) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      ColumnVector vector = batch.column(columns[i]);
      values.add(ValueText.format(types[i], vector.getObject(row)));
    }
    return "[DATA_QUALITY_ERROR]no partition for this tuple: "
        + values
        + " in table "
        + table.name();
  }

  private int partitionOf(Object[] values) {
    List<PartitionMeta> partitions = table.partitions();
    for (int p = 0; p < partitions.size(); p++) {
      PartitionMeta partition = partitions.get(p);
      if (kind == PartitionKind.RANGE && inRange(partition, values)) {
        return p;
      }
      if (kind == PartitionKind.LIST && inList(partition, values)) {
        return p;
      }
    }
    return NO_PARTITION;
  }

  private boolean inRange(PartitionMeta partition, Object[] values) {
    int lower = compareTuple(values, partition.lowerBound());
    int upper =
        partition.upperBound().isEmpty() ? -1 : compareTuple(values, partition.upperBound());
    return (partition.lowerBound().isEmpty() || lower >= 0) && upper < 0;
  }

  /** Lexicographic comparison of the row's partition values with a (possibly shorter) bound. */
  private int compareTuple(Object[] values, List<String> bound) {
    for (int i = 0; i < bound.size() && i < columns.length; i++) {
      Object value = values[i];
      if (value == null) {
        return -1;
      }
      if (bound.get(i).equalsIgnoreCase("MAXVALUE")) {
        return -1;
      }
      int order = compareNullsFirst(value, parse(types[i], bound.get(i)));
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  private boolean inList(PartitionMeta partition, Object[] values) {
    for (List<String> tuple : partition.listValues()) {
      boolean matches = true;
      for (int i = 0; i < tuple.size() && i < columns.length && matches; i++) {
        Object value = values[i];
        Object bound =
            tuple.get(i) == null || tuple.get(i).equalsIgnoreCase("NULL")
                ? null
                : parse(types[i], tuple.get(i));
        matches =
            value == null ? bound == null : bound != null && compareNullsFirst(value, bound) == 0;
      }
      if (matches) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareNullsFirst(Object left, Object right) {
    if (left == null || right == null) {
      return left == right ? 0 : left == null ? -1 : 1;
    }
    return ((Comparable) left).compareTo(right);
  }

  static Object parse(DataType type, String literal) {
    return Partitioning.boundValue(type, literal);
  }
}
