package dev.basalt.load;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * A growable, random-access column of one {@link DataType} in its physical layout ({@code long[]},
 * {@code double[]}, objects for LARGEINT, UTF-8 bytes with offsets for strings) with a null map:
 * what a load buffers per tablet and what the text parsers fill per batch.
 *
 * <p>DECIMAL is held as scaled longs (the unscaled value at the type's scale, as {@link
 * DecimalVector}'s scaled-long layout) while every value fits in 64 bits, whatever the declared
 * precision; the first value that does not fit turns the buffer into {@link BigDecimal} objects for
 * good. So a load of DECIMAL(p &lt;= 18) columns never allocates per value.
 *
 * <p>Unlike {@code ColumnVectorBuilder} it can compare two of its rows (for sorting by key), drop
 * the rows after a given count (a parser's rollback of a rejected row) and copy rows out in the
 * order of a permutation. Not thread safe: one thread owns a buffer.
 */
public final class ColumnBuffer {
  /** Bytes counted per DECIMAL or LARGEINT object (the object, its magnitude array, a pointer). */
  private static final int OBJECT_BYTES = 56;

  private final DataType type;
  private final int scale;
  private int size;
  private boolean[] nulls;
  private boolean anyNull;
  private long[] longs;
  private double[] doubles;
  private Object[] objects;
  private byte[] bytes;
  private int[] offsets;
  private int byteCount;

  public ColumnBuffer(DataType type, int initialCapacity) {
    this(type, initialCapacity, Math.max(initialCapacity, 4) * 8);
  }

  /**
   * A buffer with room for {@code initialCapacity} rows and, for strings, {@code initialBytes}
   * bytes of values (a caller that knows the rows' size spares the buffer its growth copies).
   */
  ColumnBuffer(DataType type, int initialCapacity, int initialBytes) {
    this.type = type;
    this.scale = type.scale();
    int capacity = Math.max(initialCapacity, 4);
    nulls = new boolean[capacity];
    switch (type.physical()) {
      case LONG, DECIMAL -> longs = new long[capacity];
      case DOUBLE -> doubles = new double[capacity];
      case LARGEINT -> objects = new Object[capacity];
      case BYTES -> {
        bytes = new byte[Math.max(initialBytes, 16)];
        offsets = new int[capacity + 1];
      }
    }
  }

  public DataType type() {
    return type;
  }

  public int size() {
    return size;
  }

  /** Rows the buffer has room for before it grows. */
  int capacity() {
    return nulls.length;
  }

  /** Bytes of string values held; 0 for other layouts. */
  int byteCount() {
    return byteCount;
  }

  /** Makes room for {@code capacity} rows in all, exactly that many when it grows. */
  void reserveRows(int capacity) {
    if (capacity > nulls.length) {
      resize(capacity);
    }
  }

  /**
   * Heap bytes the buffer takes, roughly: its arrays as allocated (a buffer grows by half its
   * capacity, and a memory budget must count what is held, not only what is used) and its objects.
   * What the load's memory budgets count.
   */
  public long estimatedBytes() {
    long arrays = nulls.length;
    if (longs != null) {
      arrays += longs.length * 8L;
    }
    if (doubles != null) {
      arrays += doubles.length * 8L;
    }
    if (objects != null) {
      arrays += objects.length * 8L + size * (long) OBJECT_BYTES;
    }
    if (offsets != null) {
      arrays += offsets.length * 4L + bytes.length;
    }
    return arrays;
  }

  private void grow() {
    int capacity = nulls.length;
    if (size < capacity) {
      return;
    }
    resize(capacity + (capacity >> 1) + 16);
  }

  /** Reallocates every array of the layout for {@code newCapacity} rows. */
  private void resize(int newCapacity) {
    nulls = Arrays.copyOf(nulls, newCapacity);
    if (longs != null) {
      longs = Arrays.copyOf(longs, newCapacity);
    }
    if (doubles != null) {
      doubles = Arrays.copyOf(doubles, newCapacity);
    }
    if (objects != null) {
      objects = Arrays.copyOf(objects, newCapacity);
    }
    if (offsets != null) {
      offsets = Arrays.copyOf(offsets, newCapacity + 1);
    }
  }

  public void appendNull() {
    grow();
    nulls[size] = true;
    anyNull = true;
    if (offsets != null) {
      offsets[size + 1] = byteCount;
    }
    size++;
  }

  public void appendLong(long value) {
    grow();
    nulls[size] = false;
    longs[size++] = value;
  }

  public void appendDouble(double value) {
    grow();
    nulls[size] = false;
    doubles[size++] = value;
  }

  /**
   * Appends a DECIMAL value given as its unscaled value at the type's scale (the value is {@code
   * unscaled / 10^scale}).
   */
  public void appendUnscaled(long unscaled) {
    grow();
    nulls[size] = false;
    if (objects == null) {
      longs[size++] = unscaled;
    } else {
      objects[size++] = BigDecimal.valueOf(unscaled, scale);
    }
  }

  /**
   * Appends a DECIMAL ({@link BigDecimal}) or LARGEINT ({@link BigInteger}) value; {@code null}
   * appends SQL NULL.
   */
  public void appendObject(Object value) {
    if (value == null) {
      appendNull();
      return;
    }
    grow();
    nulls[size] = false;
    if (type.physical() == PhysicalType.DECIMAL) {
      setDecimal(size, (BigDecimal) value);
    } else {
      objects[size] = value;
    }
    size++;
  }

  /**
   * Stores a non-null DECIMAL at row {@code position} (whose null flag is set), as a scaled long
   * while the buffer holds those and the value fits, else as an object (turning the buffer's rows
   * {@code [0, position)} into objects first).
   */
  private void setDecimal(int position, BigDecimal value) {
    if (objects == null) {
      Long unscaled = DecimalVector.unscaledLong(value, scale);
      if (unscaled != null) {
        longs[position] = unscaled;
        return;
      }
      objects = new Object[nulls.length];
      for (int row = 0; row < position; row++) {
        if (!nulls[row]) {
          objects[row] = BigDecimal.valueOf(longs[row], scale);
        }
      }
      longs = null;
    }
    objects[position] = value;
  }

  public void appendBytes(byte[] source, int offset, int length) {
    grow();
    if (byteCount + length > bytes.length) {
      bytes =
          Arrays.copyOf(bytes, Math.max(bytes.length + (bytes.length >> 1), byteCount + length));
    }
    System.arraycopy(source, offset, bytes, byteCount, length);
    byteCount += length;
    nulls[size] = false;
    offsets[++size] = byteCount;
  }

  /** Drops every row from {@code newSize} on (a parser's rollback of a half-appended row). */
  public void truncate(int newSize) {
    if (newSize > size) {
      throw new IllegalArgumentException("cannot truncate " + size + " rows to " + newSize);
    }
    if (offsets != null) {
      byteCount = offsets[newSize];
    }
    if (objects != null) {
      Arrays.fill(objects, newSize, size, null);
    }
    size = newSize;
  }

  /** Makes room for {@code needed} rows in all. */
  private void reserve(int needed) {
    if (needed <= nulls.length) {
      return;
    }
    resize(Math.max(needed, nulls.length + (nulls.length >> 1) + 16));
  }

  /**
   * Appends rows {@code rows[0 .. count)} of {@code source}, which has this buffer's physical
   * layout. One type dispatch per call, then a primitive loop.
   */
  public void appendRows(ColumnVector source, int[] rows, int count) {
    appendRows(source, rows, 0, count);
  }

  /**
   * As {@link #appendRows(ColumnVector, int[], int)}, for rows {@code rows[from .. from + count)}.
   */
  public void appendRows(ColumnVector source, int[] rows, int from, int count) {
    if (from != 0) {
      rows = Arrays.copyOfRange(rows, from, from + count);
    }
    reserve(size + count);
    boolean sourceNulls = source.mayHaveNulls();
    if (sourceNulls) {
      for (int i = 0; i < count; i++) {
        if (source.isNull(rows[i])) {
          nulls[size + i] = true;
          anyNull = true;
        } else {
          nulls[size + i] = false;
        }
      }
    } else {
      Arrays.fill(nulls, size, size + count, false);
    }
    switch (source) {
      case LongVector vector -> {
        for (int i = 0; i < count; i++) {
          longs[size + i] = vector.getLong(rows[i]);
        }
      }
      case DoubleVector vector -> {
        for (int i = 0; i < count; i++) {
          doubles[size + i] = vector.getDouble(rows[i]);
        }
      }
      case DecimalVector vector -> {
        if (objects == null && vector.isScaledLong() && vector.scale() == scale) {
          for (int i = 0; i < count; i++) {
            longs[size + i] = vector.getUnscaled(rows[i]);
          }
        } else {
          for (int i = 0; i < count; i++) {
            BigDecimal value = vector.getDecimal(rows[i]);
            if (value != null) {
              setDecimal(size + i, value);
            } else if (objects != null) {
              objects[size + i] = null;
            }
          }
        }
      }
      case LargeIntVector vector -> {
        for (int i = 0; i < count; i++) {
          objects[size + i] = vector.getLargeInt(rows[i]);
        }
      }
      case BytesVector vector -> {
        long total = byteCount;
        for (int i = 0; i < count; i++) {
          total += vector.byteLength(rows[i]);
        }
        if (total > bytes.length) {
          if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a tablet buffer holds at most 2 GiB of strings");
          }
          bytes =
              Arrays.copyOf(
                  bytes,
                  (int)
                      Math.max(
                          total,
                          Math.min(
                              Integer.MAX_VALUE - 16, bytes.length + (long) (bytes.length >> 1))));
        }
        byte[] sourceBytes = vector.rawBytes();
        for (int i = 0; i < count; i++) {
          int row = rows[i];
          int length = vector.byteLength(row);
          System.arraycopy(sourceBytes, vector.offset(row), bytes, byteCount, length);
          byteCount += length;
          offsets[size + i + 1] = byteCount;
        }
      }
    }
    size += count;
  }

  public boolean isNull(int row) {
    return nulls[row];
  }

  /** The value of a LONG row, or a DECIMAL row's unscaled value while {@link #holdsLongs()}. */
  public long getLong(int row) {
    return longs[row];
  }

  /**
   * Whether no row is NULL and rows compare as their {@link #getLong} values (LONG, and DECIMAL
   * while held as scaled longs): the shape of most sort keys, which a sort can then compare without
   * dispatching per pair.
   */
  public boolean holdsLongs() {
    return longs != null && !anyNull;
  }

  /**
   * Compares two rows in the order segments are sorted by: NULL first, then by value (integers,
   * dates and datetimes numerically, floating point by {@link Double#compare}, strings by unsigned
   * bytes, which is code point order for UTF-8).
   */
  public int compare(int left, int right) {
    boolean leftNull = nulls[left];
    boolean rightNull = nulls[right];
    if (leftNull || rightNull) {
      return leftNull == rightNull ? 0 : leftNull ? -1 : 1;
    }
    return switch (type.physical()) {
      case LONG -> Long.compare(longs[left], longs[right]);
      case DOUBLE -> Double.compare(doubles[left], doubles[right]);
      case DECIMAL ->
          objects == null
              ? Long.compare(longs[left], longs[right])
              : ((BigDecimal) objects[left]).compareTo((BigDecimal) objects[right]);
      case LARGEINT -> ((BigInteger) objects[left]).compareTo((BigInteger) objects[right]);
      case BYTES ->
          Arrays.compareUnsigned(
              bytes, offsets[left], offsets[left + 1], bytes, offsets[right], offsets[right + 1]);
    };
  }

  /**
   * {@link #compare} of this buffer's row {@code left} with row {@code right} of {@code other}, a
   * buffer of the same type (another chunk of one column, {@link TabletBuffer}).
   */
  int compare(int left, ColumnBuffer other, int right) {
    if (other == this) {
      return compare(left, right);
    }
    boolean leftNull = nulls[left];
    boolean rightNull = other.nulls[right];
    if (leftNull || rightNull) {
      return leftNull == rightNull ? 0 : leftNull ? -1 : 1;
    }
    return switch (type.physical()) {
      case LONG -> Long.compare(longs[left], other.longs[right]);
      case DOUBLE -> Double.compare(doubles[left], other.doubles[right]);
      case DECIMAL ->
          objects == null && other.objects == null
              ? Long.compare(longs[left], other.longs[right])
              : decimal(left).compareTo(other.decimal(right));
      case LARGEINT -> ((BigInteger) objects[left]).compareTo((BigInteger) other.objects[right]);
      case BYTES ->
          Arrays.compareUnsigned(
              bytes,
              offsets[left],
              offsets[left + 1],
              other.bytes,
              other.offsets[right],
              other.offsets[right + 1]);
    };
  }

  /** A non-null DECIMAL row as a {@link BigDecimal}, whichever layout holds it. */
  private BigDecimal decimal(int row) {
    return objects == null ? BigDecimal.valueOf(longs[row], scale) : (BigDecimal) objects[row];
  }

  /**
   * The rows {@code order[from .. to)} of a column held in chunks as a new immutable vector, in
   * that order: row {@code r} is row {@code r & (2^shift - 1)} of {@code chunks[r >>> shift]}, all
   * of one type ({@link TabletBuffer}'s layout).
   */
  static ColumnVector vector(ColumnBuffer[] chunks, int shift, int[] order, int from, int to) {
    if (chunks.length == 1) {
      return chunks[0].vector(order, from, to);
    }
    int mask = (1 << shift) - 1;
    DataType type = chunks[0].type;
    int count = to - from;
    boolean anyNull = false;
    boolean allLongs = true;
    for (ColumnBuffer chunk : chunks) {
      anyNull |= chunk.anyNull;
      allLongs &= chunk.longs != null;
    }
    boolean[] outNulls = null;
    if (anyNull) {
      outNulls = new boolean[count];
      for (int i = 0; i < count; i++) {
        int row = order[from + i];
        outNulls[i] = chunks[row >>> shift].nulls[row & mask];
      }
    }
    if (allLongs) {
      long[] values = new long[count];
      for (int i = 0; i < count; i++) {
        int row = order[from + i];
        values[i] = chunks[row >>> shift].longs[row & mask];
      }
      return type.physical() == PhysicalType.DECIMAL
          ? new DecimalVector(type, values, outNulls, count)
          : new LongVector(type, values, outNulls, count);
    }
    return switch (type.physical()) {
      case LONG -> throw new IllegalStateException("a LONG column without values");
      case DOUBLE -> {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
          int row = order[from + i];
          values[i] = chunks[row >>> shift].doubles[row & mask];
        }
        yield new DoubleVector(type, values, outNulls, count);
      }
      case DECIMAL -> {
        BigDecimal[] values = new BigDecimal[count];
        for (int i = 0; i < count; i++) {
          int row = order[from + i];
          ColumnBuffer chunk = chunks[row >>> shift];
          int local = row & mask;
          values[i] = chunk.nulls[local] ? null : chunk.decimal(local);
        }
        yield new DecimalVector(type, values, count);
      }
      case LARGEINT -> {
        BigInteger[] values = new BigInteger[count];
        for (int i = 0; i < count; i++) {
          int row = order[from + i];
          values[i] = (BigInteger) chunks[row >>> shift].objects[row & mask];
        }
        yield new LargeIntVector(type, values, count);
      }
      case BYTES -> {
        long total = 0;
        for (int i = 0; i < count; i++) {
          int row = order[from + i];
          int[] offsets = chunks[row >>> shift].offsets;
          int local = row & mask;
          total += offsets[local + 1] - offsets[local];
        }
        if (total > Integer.MAX_VALUE - 16) {
          throw new IllegalStateException("a slice holds at most 2 GiB of strings");
        }
        byte[] values = new byte[(int) total];
        int[] valueOffsets = new int[count + 1];
        int position = 0;
        for (int i = 0; i < count; i++) {
          int row = order[from + i];
          ColumnBuffer chunk = chunks[row >>> shift];
          int local = row & mask;
          int start = chunk.offsets[local];
          int length = chunk.offsets[local + 1] - start;
          System.arraycopy(chunk.bytes, start, values, position, length);
          position += length;
          valueOffsets[i + 1] = position;
        }
        yield new BytesVector(type, values, valueOffsets, outNulls, count);
      }
    };
  }

  /**
   * The rows {@code first .. first + count - 1} of a column held in chunks (the layout of {@link
   * #vector(ColumnBuffer[], int, int[], int, int)}) as a new immutable vector, in that order,
   * copied a chunk's stretch at a time: what that gather gives for an order that keeps the rows as
   * they arrived (a load whose rows come sorted by the table's key), without a lookup per row. Null
   * when the stretches hold DECIMAL or LARGEINT objects; the caller gathers those.
   */
  static ColumnVector vectorOfRange(ColumnBuffer[] chunks, int shift, int first, int count) {
    DataType type = chunks[0].type;
    int mask = (1 << shift) - 1;
    int firstChunk = first >>> shift;
    int lastChunk = (first + count - 1) >>> shift;
    boolean anyNull = false;
    boolean allLongs = true;
    for (int c = firstChunk; c <= lastChunk; c++) {
      anyNull |= chunks[c].anyNull;
      allLongs &= chunks[c].longs != null;
    }
    PhysicalType physical = type.physical();
    if (!allLongs && physical != PhysicalType.DOUBLE && physical != PhysicalType.BYTES) {
      return null;
    }
    boolean[] outNulls = anyNull ? new boolean[count] : null;
    long[] longValues = allLongs ? new long[count] : null;
    double[] doubleValues = !allLongs && physical == PhysicalType.DOUBLE ? new double[count] : null;
    byte[] byteValues = null;
    int[] valueOffsets = null;
    if (!allLongs && physical == PhysicalType.BYTES) {
      long total = 0;
      for (int done = 0; done < count; ) {
        int local = (first + done) & mask;
        int length = Math.min(count - done, mask + 1 - local);
        int[] offsets = chunks[(first + done) >>> shift].offsets;
        total += offsets[local + length] - offsets[local];
        done += length;
      }
      if (total > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("a slice holds at most 2 GiB of strings");
      }
      byteValues = new byte[(int) total];
      valueOffsets = new int[count + 1];
    }
    int position = 0;
    for (int done = 0; done < count; ) {
      ColumnBuffer chunk = chunks[(first + done) >>> shift];
      int local = (first + done) & mask;
      int length = Math.min(count - done, mask + 1 - local);
      if (outNulls != null) {
        System.arraycopy(chunk.nulls, local, outNulls, done, length);
      }
      if (longValues != null) {
        System.arraycopy(chunk.longs, local, longValues, done, length);
      } else if (doubleValues != null) {
        System.arraycopy(chunk.doubles, local, doubleValues, done, length);
      } else {
        int start = chunk.offsets[local];
        int bytes = chunk.offsets[local + length] - start;
        System.arraycopy(chunk.bytes, start, byteValues, position, bytes);
        int shiftBy = position - start;
        for (int i = 1; i <= length; i++) {
          valueOffsets[done + i] = chunk.offsets[local + i] + shiftBy;
        }
        position += bytes;
      }
      done += length;
    }
    if (longValues != null) {
      return physical == PhysicalType.DECIMAL
          ? new DecimalVector(type, longValues, outNulls, count)
          : new LongVector(type, longValues, outNulls, count);
    }
    return doubleValues != null
        ? new DoubleVector(type, doubleValues, outNulls, count)
        : new BytesVector(type, byteValues, valueOffsets, outNulls, count);
  }

  /** The rows {@code order[from .. to)} as a new immutable vector, in that order. */
  public ColumnVector vector(int[] order, int from, int to) {
    int count = to - from;
    boolean[] outNulls = anyNull ? new boolean[count] : null;
    if (outNulls != null) {
      for (int i = 0; i < count; i++) {
        outNulls[i] = nulls[order[from + i]];
      }
    }
    if (longs != null) {
      long[] values = new long[count];
      for (int i = 0; i < count; i++) {
        values[i] = longs[order[from + i]];
      }
      return type.physical() == PhysicalType.DECIMAL
          ? new DecimalVector(type, values, outNulls, count)
          : new LongVector(type, values, outNulls, count);
    }
    return switch (type.physical()) {
      case LONG -> throw new IllegalStateException("a LONG column without values");
      case DOUBLE -> {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
          values[i] = doubles[order[from + i]];
        }
        yield new DoubleVector(type, values, outNulls, count);
      }
      case DECIMAL -> {
        BigDecimal[] values = new BigDecimal[count];
        for (int i = 0; i < count; i++) {
          values[i] = (BigDecimal) objects[order[from + i]];
        }
        yield new DecimalVector(type, values, count);
      }
      case LARGEINT -> {
        BigInteger[] values = new BigInteger[count];
        for (int i = 0; i < count; i++) {
          values[i] = (BigInteger) objects[order[from + i]];
        }
        yield new LargeIntVector(type, values, count);
      }
      case BYTES -> {
        int total = 0;
        for (int i = 0; i < count; i++) {
          int row = order[from + i];
          total += offsets[row + 1] - offsets[row];
        }
        byte[] values = new byte[total];
        int[] valueOffsets = new int[count + 1];
        int position = 0;
        for (int i = 0; i < count; i++) {
          int row = order[from + i];
          int length = offsets[row + 1] - offsets[row];
          System.arraycopy(bytes, offsets[row], values, position, length);
          position += length;
          valueOffsets[i + 1] = position;
        }
        yield new BytesVector(type, values, valueOffsets, outNulls, count);
      }
    };
  }

  /**
   * Everything buffered as one immutable vector, handing over the arrays: the buffer is empty and
   * must not be used afterwards.
   */
  public ColumnVector toVector() {
    boolean[] outNulls = anyNull ? nulls : null;
    return switch (type.physical()) {
      case LONG -> new LongVector(type, longs, outNulls, size);
      case DOUBLE -> new DoubleVector(type, doubles, outNulls, size);
      case DECIMAL ->
          objects == null
              ? new DecimalVector(type, longs, outNulls, size)
              : new DecimalVector(type, Arrays.copyOf(objects, size, BigDecimal[].class), size);
      case LARGEINT ->
          new LargeIntVector(type, Arrays.copyOf(objects, size, BigInteger[].class), size);
      case BYTES -> new BytesVector(type, bytes, offsets, outNulls, size);
    };
  }
}
