package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Accumulates values of one {@link DataType} and produces an immutable {@link ColumnVector}.
 *
 * <p>Typed appends ({@link #appendLong}, {@link #appendDouble}, ...) must match the type's physical
 * layout; {@link #appendObject} accepts the representation of {@link Values}. A builder is used by
 * one thread and may be reused after {@link #build()}, which resets it.
 *
 * <p>Decimals are gathered as unscaled longs at the type's scale (the layout {@link DecimalVector}
 * prefers) for as long as every value fits one, then as unscaled 128-bit integers ({@link Int128}
 * halves), and as {@link BigDecimal}s only from the first value that is neither (more digits than
 * the scale): copying an unboxed vector's rows (compaction, sorting) then never boxes a value.
 * LARGEINT values are gathered as 128-bit halves.
 */
public final class ColumnVectorBuilder {
  private final DataType type;
  private int size;
  private boolean[] nulls;

  /** LONG values, unscaled DECIMALs, and the low halves of 128-bit values. */
  private long[] longs;

  /** The high halves of LARGEINT values and of 128-bit DECIMALs; else null. */
  private long[] highs;

  private double[] doubles;

  /** DECIMAL values once one was not an integer at the type's scale; else null. */
  private Object[] objects;

  private byte[] bytes;
  private int[] offsets;
  private int byteCount;

  public ColumnVectorBuilder(DataType type) {
    this(type, 16);
  }

  public ColumnVectorBuilder(DataType type, int initialCapacity) {
    this.type = type;
    reset(Math.max(initialCapacity, 1));
  }

  private void reset(int capacity) {
    clear();
    switch (type.physical()) {
      case LONG, DECIMAL -> longs = new long[capacity];
      case DOUBLE -> doubles = new double[capacity];
      case LARGEINT -> {
        longs = new long[capacity];
        highs = new long[capacity];
      }
      case BYTES -> {
        bytes = new byte[capacity * 8];
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

  private void ensureCapacity() {
    int capacity = capacityOf();
    if (size < capacity) {
      return;
    }
    int newCapacity = capacity * 2;
    switch (type.physical()) {
      case LONG -> longs = Arrays.copyOf(longs, newCapacity);
      case DOUBLE -> doubles = Arrays.copyOf(doubles, newCapacity);
      case DECIMAL -> {
        if (objects != null) {
          objects = Arrays.copyOf(objects, newCapacity);
        } else {
          longs = Arrays.copyOf(longs, newCapacity);
          if (highs != null) {
            highs = Arrays.copyOf(highs, newCapacity);
          }
        }
      }
      case LARGEINT -> {
        longs = Arrays.copyOf(longs, newCapacity);
        highs = Arrays.copyOf(highs, newCapacity);
      }
      case BYTES -> offsets = Arrays.copyOf(offsets, newCapacity + 1);
    }
    if (nulls != null) {
      nulls = Arrays.copyOf(nulls, newCapacity);
    }
  }

  private int capacityOf() {
    return switch (type.physical()) {
      case LONG -> longs.length;
      case DOUBLE -> doubles.length;
      case DECIMAL -> objects != null ? objects.length : longs.length;
      case LARGEINT -> longs.length;
      case BYTES -> offsets.length - 1;
    };
  }

  public ColumnVectorBuilder appendNull() {
    ensureCapacity();
    if (nulls == null) {
      nulls = new boolean[capacityOf()];
    }
    nulls[size] = true;
    if (offsets != null) {
      offsets[size + 1] = byteCount;
    }
    size++;
    return this;
  }

  public ColumnVectorBuilder appendLong(long value) {
    ensureCapacity();
    longs[size++] = value;
    return this;
  }

  public ColumnVectorBuilder appendDouble(double value) {
    ensureCapacity();
    doubles[size++] = value;
    return this;
  }

  public ColumnVectorBuilder appendDecimal(BigDecimal value) {
    if (value == null) {
      return appendNull();
    }
    if (objects == null) {
      Long unscaled = DecimalVector.unscaledLong(value, type.scale());
      if (unscaled != null) {
        return appendUnscaledDecimal(unscaled);
      }
      BigInteger integer = DecimalVector.unscaledInteger(value, type.scale());
      if (integer != null && Int128.fits(integer)) {
        return appendInt128(Int128.high(integer), Int128.low(integer));
      }
      boxDecimals();
    }
    ensureCapacity();
    objects[size++] = value;
    return this;
  }

  /** Appends the decimal {@code unscaled / 10^scale} at the type's scale. */
  public ColumnVectorBuilder appendUnscaledDecimal(long unscaled) {
    if (objects != null) {
      return appendDecimal(BigDecimal.valueOf(unscaled, type.scale()));
    }
    ensureCapacity();
    if (highs != null) {
      highs[size] = unscaled >> 63;
    }
    longs[size++] = unscaled;
    return this;
  }

  /**
   * Appends the 128-bit integer {@code high:low} ({@link Int128}): a LARGEINT, or the unscaled
   * value of a DECIMAL at the type's scale.
   */
  public ColumnVectorBuilder appendInt128(long high, long low) {
    if (highs == null) {
      if (objects != null) {
        return appendDecimal(new BigDecimal(Int128.toBigInteger(high, low), type.scale()));
      }
      if (Int128.fitsLong(high, low)) {
        return appendUnscaledDecimal(low);
      }
      widenDecimals();
    }
    ensureCapacity();
    highs[size] = high;
    longs[size++] = low;
    return this;
  }

  /** Moves the decimals gathered as scaled longs to the 128-bit layout (a value did not fit). */
  private void widenDecimals() {
    highs = new long[longs.length];
    for (int i = 0; i < size; i++) {
      highs[i] = longs[i] >> 63;
    }
  }

  /** Moves the unboxed decimals gathered so far to the boxed layout (a value was neither). */
  private void boxDecimals() {
    objects = new Object[longs.length];
    for (int i = 0; i < size; i++) {
      if (nulls == null || !nulls[i]) {
        objects[i] =
            highs == null
                ? BigDecimal.valueOf(longs[i], type.scale())
                : new BigDecimal(Int128.toBigInteger(highs[i], longs[i]), type.scale());
      }
    }
    longs = null;
    highs = null;
  }

  /** Appends a LARGEINT value ({@code null} is SQL NULL), which must fit 128 bits. */
  public ColumnVectorBuilder appendLargeInt(BigInteger value) {
    if (value == null) {
      return appendNull();
    }
    if (!Int128.fits(value)) {
      throw new IllegalArgumentException("LARGEINT value " + value + " needs more than 128 bits");
    }
    return appendInt128(Int128.high(value), Int128.low(value));
  }

  /**
   * Makes room for {@code total} bytes of values in all (a string column's), so a builder whose
   * final size is known grows its byte buffer once instead of doubling it (which holds the old and
   * the new buffer at once, up to three times the data).
   */
  public ColumnVectorBuilder reserveBytes(int total) {
    if (bytes != null && total > bytes.length) {
      bytes = Arrays.copyOf(bytes, total);
    }
    return this;
  }

  public ColumnVectorBuilder appendBytes(byte[] value, int offset, int length) {
    ensureCapacity();
    if (byteCount + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, byteCount + length));
    }
    System.arraycopy(value, offset, bytes, byteCount, length);
    byteCount += length;
    offsets[++size] = byteCount;
    return this;
  }

  public ColumnVectorBuilder appendString(String value) {
    if (value == null) {
      return appendNull();
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return appendBytes(utf8, 0, utf8.length);
  }

  /** Appends a value in the representation of {@link Values}; {@code null} appends SQL NULL. */
  public ColumnVectorBuilder appendObject(Object value) {
    if (value == null) {
      return appendNull();
    }
    return switch (type.physical()) {
      case LONG -> appendLong(Values.toLong(type, value));
      case DOUBLE -> appendDouble(((Number) value).doubleValue());
      case DECIMAL -> appendDecimal((BigDecimal) value);
      case LARGEINT -> appendLargeInt((BigInteger) value);
      case BYTES ->
          value instanceof byte[] binary
              ? appendBytes(binary, 0, binary.length)
              : appendString((String) value);
    };
  }

  /** Appends row {@code row} of {@code source}, which must have the same physical layout. */
  public ColumnVectorBuilder appendFrom(ColumnVector source, int row) {
    if (source.isNull(row)) {
      return appendNull();
    }
    return switch (source) {
      case LongVector v -> appendLong(v.getLong(row));
      case DoubleVector v -> appendDouble(v.getDouble(row));
      case DecimalVector v when v.isScaledLong() && v.scale() == type.scale() ->
          appendUnscaledDecimal(v.getUnscaled(row));
      case DecimalVector v when v.isInt128() && v.scale() == type.scale() ->
          appendInt128(v.getHigh(row), v.getLow(row));
      case DecimalVector v -> appendDecimal(v.getDecimal(row));
      case LargeIntVector v -> appendInt128(v.getHigh(row), v.getLow(row));
      case BytesVector v -> appendBytes(v.rawBytes(), v.offset(row), v.byteLength(row));
    };
  }

  /** Returns the vector of everything appended so far and resets this builder. */
  public ColumnVector build() {
    int capacity = Math.max(size, 16);
    ColumnVector vector = vector();
    reset(capacity);
    return vector;
  }

  /**
   * Returns the vector of everything appended so far, for a builder that is not used again: no
   * arrays are allocated for a next vector, as {@link #build} does. The builder must not be used
   * afterwards.
   */
  public ColumnVector buildLast() {
    ColumnVector vector = vector();
    clear();
    return vector;
  }

  /** Forgets every value and array. */
  private void clear() {
    size = 0;
    nulls = null;
    longs = null;
    highs = null;
    doubles = null;
    objects = null;
    bytes = null;
    offsets = null;
    byteCount = 0;
  }

  private ColumnVector vector() {
    return switch (type.physical()) {
      case LONG -> new LongVector(type, longs, nulls, size);
      case DOUBLE -> new DoubleVector(type, doubles, nulls, size);
      case DECIMAL ->
          objects != null
              ? new DecimalVector(type, Arrays.copyOf(objects, size, BigDecimal[].class), size)
              : highs != null
                  ? new DecimalVector(type, highs, longs, nulls, size)
                  : new DecimalVector(type, longs, nulls, size);
      case LARGEINT -> new LargeIntVector(type, highs, longs, nulls, size);
      case BYTES -> new BytesVector(type, bytes, offsets, nulls, size);
    };
  }

  /** A vector of {@code size} copies of one value (the representation of {@link Values}). */
  public static ColumnVector constant(DataType type, Object value, int size) {
    if (value instanceof BigDecimal decimal) {
      Long unscaled = DecimalVector.unscaledLong(decimal, type.scale());
      if (unscaled != null) {
        long[] values = new long[size];
        Arrays.fill(values, unscaled);
        return new DecimalVector(type, values, null, size);
      }
      BigInteger integer = DecimalVector.unscaledInteger(decimal, type.scale());
      if (integer != null && Int128.fits(integer)) {
        long[] highs = new long[size];
        long[] lows = new long[size];
        Arrays.fill(highs, Int128.high(integer));
        Arrays.fill(lows, Int128.low(integer));
        return new DecimalVector(type, highs, lows, null, size);
      }
    }
    if (value instanceof BigInteger integer && type.physical() == PhysicalType.LARGEINT) {
      long[] highs = new long[size];
      long[] lows = new long[size];
      Arrays.fill(highs, Int128.high(integer));
      Arrays.fill(lows, Int128.low(integer));
      return new LargeIntVector(type, highs, lows, null, size);
    }
    if (value != null) {
      // One conversion, then the value repeated: literals are evaluated once per batch.
      switch (type.physical()) {
        case LONG -> {
          long[] values = new long[size];
          Arrays.fill(values, Values.toLong(type, value));
          return new LongVector(type, values, null, size);
        }
        case DOUBLE -> {
          double[] values = new double[size];
          Arrays.fill(values, ((Number) value).doubleValue());
          return new DoubleVector(type, values, null, size);
        }
        case BYTES -> {
          byte[] one =
              ((BytesVector) new ColumnVectorBuilder(type, 1).appendObject(value).build())
                  .getBytes(0);
          byte[] bytes = new byte[Math.multiplyExact(one.length, size)];
          int[] offsets = new int[size + 1];
          for (int i = 0; i < size; i++) {
            System.arraycopy(one, 0, bytes, i * one.length, one.length);
            offsets[i + 1] = (i + 1) * one.length;
          }
          return new BytesVector(type, bytes, offsets, null, size);
        }
        default -> {}
      }
    }
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, size);
    for (int i = 0; i < size; i++) {
      builder.appendObject(value);
    }
    return builder.build();
  }
}
