package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.hash.BytesGroupHashTable;
import dev.basalt.exec.hash.KeySerializer;
import dev.basalt.exec.hash.LongGroupHashTable;
import java.util.Arrays;
import java.util.List;

/**
 * The groups of one grouping set of a hash aggregation: maps each row of a batch to a dense group
 * id (in order of first appearance) and keeps each group's key values for the output.
 *
 * <p>One key of a fixed-width type (integers, dates, BOOLEAN, DOUBLE) goes through a {@link
 * LongGroupHashTable} with NULL as a group of its own; other keys (several columns, strings,
 * decimals) are serialized per row by a {@link KeySerializer} and go through a {@link
 * BytesGroupHashTable}; string keys with dictionary codes are serialized once per combination of
 * codes in a batch instead. No key: every row is group 0. DOUBLE keys are normalized first: -0.0 is
 * 0.0 and all NaNs are one NaN, so that values SQL considers equal form one group.
 *
 * <p>Not thread safe; owned by one {@link HashAggregateOperator}.
 */
final class GroupKeys {
  private final List<DataType> types;
  private final LongGroupHashTable longTable;
  private final BytesGroupHashTable bytesTable;
  private final KeyStore[] stores;
  private int nullGroup = -1;
  private int groupCount;
  private final KeySerializer serializer = new KeySerializer();

  GroupKeys(List<DataType> types) {
    this.types = List.copyOf(types);
    boolean fixedWidth =
        types.size() == 1
            && (types.get(0).physical() == PhysicalType.LONG
                || types.get(0).physical() == PhysicalType.DOUBLE);
    this.longTable = fixedWidth ? new LongGroupHashTable(1024) : null;
    this.bytesTable = !fixedWidth && !types.isEmpty() ? new BytesGroupHashTable(1024) : null;
    this.stores = new KeyStore[types.size()];
    for (int i = 0; i < stores.length; i++) {
      stores[i] = new KeyStore(types.get(i));
    }
  }

  int groupCount() {
    return groupCount;
  }

  /** Makes sure group 0 exists when there is no key (an aggregate over empty input). */
  void ensureSingleGroup() {
    if (types.isEmpty() && groupCount == 0) {
      groupCount = 1;
    }
  }

  /** Fills {@code groupIds[0 .. rowCount - 1]} with the groups of the rows of {@code keys}. */
  void groupIds(List<ColumnVector> keys, int rowCount, int[] groupIds) {
    groupIds(keys, null, rowCount, groupIds);
  }

  /**
   * Fills {@code groupIds[row]} with the group of row {@code row} of {@code keys} for the rows
   * {@code positions[0 .. count)} (a batch's selection; {@code null}: rows {@code 0 .. count - 1});
   * the entries of other rows are left as they are, and only the given rows add groups.
   */
  void groupIds(List<ColumnVector> keys, int[] positions, int count, int[] groupIds) {
    if (types.isEmpty()) {
      for (int i = 0; i < count; i++) {
        groupIds[positions == null ? i : positions[i]] = 0;
      }
      if (count > 0) {
        ensureSingleGroup();
      }
    } else if (longTable != null) {
      fixedWidthGroupIds(keys.get(0), positions, count, groupIds);
    } else {
      serializedGroupIds(keys, positions, count, groupIds);
    }
  }

  /**
   * Like {@link #groupIds} but adds no group: a row whose key has no group yet gets -1 (used once a
   * spilling aggregation's table is full).
   */
  void existingGroupIds(List<ColumnVector> keys, int rowCount, int[] groupIds) {
    if (types.isEmpty()) {
      Arrays.fill(groupIds, 0, rowCount, groupCount > 0 ? 0 : -1);
      return;
    }
    if (longTable != null) {
      ColumnVector key = keys.get(0);
      LongVector longs = key instanceof LongVector vector ? vector : null;
      DoubleVector doubles = key instanceof DoubleVector vector ? vector : null;
      for (int row = 0; row < rowCount; row++) {
        if (key.isNull(row)) {
          groupIds[row] = nullGroup;
          continue;
        }
        long value =
            longs != null ? longs.getLong(row) : KeySerializer.doubleKey(doubles.getDouble(row));
        groupIds[row] = longTable.find(value);
      }
      return;
    }
    for (int row = 0; row < rowCount; row++) {
      int length = serializer.serialize(keys, row);
      groupIds[row] = bytesTable.find(serializer.buffer(), 0, length);
    }
  }

  private void fixedWidthGroupIds(ColumnVector key, int[] positions, int count, int[] groupIds) {
    boolean nullable = key.mayHaveNulls();
    LongVector longs = key instanceof LongVector vector ? vector : null;
    DoubleVector doubles = key instanceof DoubleVector vector ? vector : null;
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      if (nullable && key.isNull(row)) {
        if (nullGroup < 0) {
          // The table's ids are the aggregation's group ids: the NULL key gets one without a key.
          nullGroup = longTable.addKeylessGroup();
          groupCount++;
          stores[0].appendNull(nullGroup);
        }
        groupIds[row] = nullGroup;
        continue;
      }
      long value =
          longs != null ? longs.getLong(row) : KeySerializer.doubleKey(doubles.getDouble(row));
      int group = longTable.findOrInsert(value);
      if (group == groupCount) {
        groupCount++;
        if (longs != null) {
          stores[0].appendLong(group, value);
        } else {
          stores[0].appendDouble(group, Double.longBitsToDouble(value));
        }
      }
      groupIds[row] = group;
    }
  }

  private void serializedGroupIds(
      List<ColumnVector> keys, int[] positions, int count, int[] groupIds) {
    if (dictionaryGroupIds(keys, positions, count, groupIds)) {
      return;
    }
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      int length = serializer.serialize(keys, row);
      int before = bytesTable.groupCount();
      int group = bytesTable.findOrInsert(serializer.buffer(), 0, length);
      if (group == before) {
        groupCount++;
        for (int column = 0; column < keys.size(); column++) {
          stores[column].appendFrom(group, keys.get(column), row);
        }
      }
      groupIds[row] = group;
    }
  }

  /**
   * The group ids of a batch whose key columns are all strings with dictionary codes ({@link
   * BytesVector#hasDictionary}) that combine into no more key combinations than there are rows:
   * each row's combination of codes (NULL counting as one more code per column) is found in a table
   * of the batch's combinations, and only the first row of each combination is serialized and
   * looked up in the hash table. Groups are numbered, and their keys stored, in the order of first
   * appearance, as on the row path. Returns false, doing nothing, for other batches.
   */
  private boolean dictionaryGroupIds(
      List<ColumnVector> keys, int[] positions, int count, int[] groupIds) {
    int columns = keys.size();
    BytesVector[] strings = new BytesVector[columns];
    int[][] codes = new int[columns][];
    int[] radix = new int[columns];
    long combinations = 1;
    for (int column = 0; column < columns; column++) {
      if (!(keys.get(column) instanceof BytesVector vector) || !vector.hasDictionary()) {
        return false;
      }
      strings[column] = vector;
      codes[column] = vector.dictionaryCodes();
      radix[column] = vector.dictionary().size() + 1; // the last code stands for NULL
      combinations *= radix[column];
      if (combinations > count) {
        return false;
      }
    }
    int[] groupOfCombination = new int[(int) combinations]; // group + 1; 0: not seen yet
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      int combination = 0;
      for (int column = 0; column < columns; column++) {
        BytesVector vector = strings[column];
        int code = vector.isNull(row) ? radix[column] - 1 : codes[column][row];
        combination = combination * radix[column] + code;
      }
      int group = groupOfCombination[combination] - 1;
      if (group < 0) {
        int length = serializer.serialize(keys, row);
        int before = bytesTable.groupCount();
        group = bytesTable.findOrInsert(serializer.buffer(), 0, length);
        if (group == before) {
          groupCount++;
          for (int column = 0; column < columns; column++) {
            stores[column].appendFrom(group, keys.get(column), row);
          }
        }
        groupOfCombination[combination] = group + 1;
      }
      groupIds[row] = group;
    }
    return true;
  }

  /** Key column {@code column} for groups {@code from .. from + count - 1}. */
  ColumnVector keyColumn(int column, int from, int count) {
    return stores[column].build(from, count);
  }

  /** Estimated heap bytes of the hash table and the stored keys. */
  long estimatedBytes() {
    long bytes = 0;
    if (longTable != null) {
      bytes += longTable.estimatedBytes();
    }
    if (bytesTable != null) {
      bytes += bytesTable.estimatedBytes();
    }
    for (KeyStore store : stores) {
      bytes += store.estimatedBytes();
    }
    return bytes;
  }

  /**
   * The key values of one column per group: longs and doubles in primitive arrays, DECIMAL and
   * LARGEINT as 128-bit halves ({@code highs}, with the low halves in {@code longs}) until a key
   * arrives from a boxed DECIMAL vector (a value with more digits than its type's scale), other
   * types as one value object per group (created once per group, not per row).
   */
  private static final class KeyStore {
    private final DataType type;
    private long[] longs;
    private long[] highs;
    private double[] doubles;
    private Object[] objects;
    private boolean[] nulls = new boolean[16];
    private long objectBytes;

    KeyStore(DataType type) {
      this.type = type;
      switch (type.physical()) {
        case LONG -> longs = new long[16];
        case DECIMAL, LARGEINT -> {
          longs = new long[16];
          highs = new long[16];
        }
        case DOUBLE -> doubles = new double[16];
        default -> objects = new Object[16];
      }
    }

    private void ensure(int group) {
      if (group < nulls.length) {
        return;
      }
      int capacity = Math.max(group + 1, nulls.length * 2);
      nulls = Arrays.copyOf(nulls, capacity);
      if (highs != null) {
        highs = Arrays.copyOf(highs, capacity);
      }
      if (longs != null) {
        longs = Arrays.copyOf(longs, capacity);
      } else if (doubles != null) {
        doubles = Arrays.copyOf(doubles, capacity);
      } else {
        objects = Arrays.copyOf(objects, capacity);
      }
    }

    void appendNull(int group) {
      ensure(group);
      nulls[group] = true;
    }

    void appendLong(int group, long value) {
      ensure(group);
      longs[group] = value;
    }

    void appendDouble(int group, double value) {
      ensure(group);
      doubles[group] = value;
    }

    void appendFrom(int group, ColumnVector vector, int row) {
      if (vector.isNull(row)) {
        appendNull(group);
        return;
      }
      if (highs != null) {
        if (vector instanceof DecimalVector decimals
            && decimals.isUnboxed()
            && decimals.scale() == type.scale()) {
          ensure(group);
          highs[group] = decimals.getHigh(row);
          longs[group] = decimals.getLow(row);
          return;
        }
        if (vector instanceof LargeIntVector integers) {
          ensure(group);
          highs[group] = integers.getHigh(row);
          longs[group] = integers.getLow(row);
          return;
        }
        box();
      }
      if (longs != null) {
        appendLong(group, ((LongVector) vector).getLong(row));
      } else if (doubles != null) {
        double value = ((DoubleVector) vector).getDouble(row);
        appendDouble(group, value == 0.0 ? 0.0 : value);
      } else {
        ensure(group);
        Object value = vector.getObject(row);
        objects[group] = value;
        objectBytes += dev.basalt.exec.memory.MemoryEstimates.value(value);
      }
    }

    /** Moves the halves gathered so far to value objects: a boxed DECIMAL key arrived. */
    private void box() {
      objects = new Object[nulls.length];
      for (int group = 0; group < nulls.length; group++) {
        if (!nulls[group]) {
          java.math.BigInteger value = Int128.toBigInteger(highs[group], longs[group]);
          objects[group] =
              type.physical() == PhysicalType.LARGEINT
                  ? value
                  : new java.math.BigDecimal(value, type.scale());
          objectBytes += dev.basalt.exec.memory.MemoryEstimates.value(objects[group]);
        }
      }
      highs = null;
      longs = null;
    }

    ColumnVector build(int from, int count) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(type, count);
      for (int group = from; group < from + count; group++) {
        if (nulls[group]) {
          builder.appendNull();
        } else if (highs != null) {
          builder.appendInt128(highs[group], longs[group]);
        } else if (longs != null) {
          builder.appendLong(longs[group]);
        } else if (doubles != null) {
          builder.appendDouble(doubles[group]);
        } else {
          builder.appendObject(objects[group]);
        }
      }
      return builder.build();
    }

    long estimatedBytes() {
      return nulls.length * 9L
          + objectBytes
          + (objects != null ? 4L * objects.length : 0)
          + (highs != null ? 8L * highs.length : 0);
    }
  }
}
