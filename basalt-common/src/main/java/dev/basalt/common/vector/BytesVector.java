package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A vector of strings stored as one UTF-8 byte array with offsets: row {@code i} spans {@code
 * bytes[offsets[i] .. offsets[i + 1])}.
 *
 * <p>A vector read from dictionary-encoded pages may also carry its rows' dictionary codes ({@link
 * #dictionaryCodes()}): row {@code i}, when not NULL, holds the same bytes as entry {@code
 * codes[i]} of {@link #dictionary()}. The bytes are always there too, so code that ignores the
 * dictionary reads the vector as any other; kernels that know it (filters with a constant, GROUP
 * BY) do their work once per entry and look the result up per row. Entries need not be distinct (a
 * batch spanning two pages carries both pages' dictionaries one after the other); a NULL row's code
 * is meaningless and must not be read. Both arrays are shared, never modified, and live as long as
 * the vector.
 */
public final class BytesVector implements ColumnVector {
  private final DataType type;
  private final byte[] bytes;
  private final int[] offsets;
  private final boolean[] nulls;
  private final int size;
  private final boolean mayHaveNulls;
  private final int[] codes;
  private final BytesVector dictionary;

  /** Takes ownership of the arrays; {@code offsets} has {@code size + 1} entries. */
  public BytesVector(DataType type, byte[] bytes, int[] offsets, boolean[] nulls, int size) {
    this(type, bytes, offsets, nulls, size, null, null);
  }

  private BytesVector(
      DataType type,
      byte[] bytes,
      int[] offsets,
      boolean[] nulls,
      int size,
      int[] codes,
      BytesVector dictionary) {
    this.type = type;
    this.bytes = bytes;
    this.offsets = offsets;
    this.nulls = nulls;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
    this.codes = codes;
    this.dictionary = dictionary;
  }

  /**
   * The same rows, also described by {@code codes} into {@code dictionary} (a vector of the same
   * type without NULLs): the non-NULL row {@code i} must equal entry {@code codes[i]}. Shares every
   * array; {@code codes} has at least {@link #size()} entries.
   */
  public BytesVector withDictionary(int[] codes, BytesVector dictionary) {
    if (codes.length < size || dictionary.mayHaveNulls() || dictionary.dictionary != null) {
      throw new IllegalArgumentException("a dictionary needs a code per row and no NULL entry");
    }
    return new BytesVector(type, bytes, offsets, nulls, size, codes, dictionary);
  }

  /** Whether {@link #dictionaryCodes()} and {@link #dictionary()} are set. */
  public boolean hasDictionary() {
    return codes != null;
  }

  /** Each row's entry in {@link #dictionary()} (meaningless for NULL rows), or {@code null}. */
  public int[] dictionaryCodes() {
    return codes;
  }

  /** The distinct-ish values the rows' codes point into, or {@code null}; never has NULLs. */
  public BytesVector dictionary() {
    return dictionary;
  }

  @Override
  public DataType type() {
    return type;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isNull(int row) {
    return NullMask.isNull(nulls, row);
  }

  @Override
  public boolean mayHaveNulls() {
    return mayHaveNulls;
  }

  @Override
  public BytesVector withType(DataType other) {
    return new BytesVector(
        other,
        bytes,
        offsets,
        nulls,
        size,
        codes,
        dictionary == null ? null : dictionary.withType(other));
  }

  /** A copy of the UTF-8 bytes at {@code row}. */
  public byte[] getBytes(int row) {
    return Arrays.copyOfRange(bytes, offsets[row], offsets[row + 1]);
  }

  /**
   * The shared backing array, for kernels that scan bytes without copying; row {@code i} spans
   * {@code [offset(i), offset(i) + byteLength(i))}. Callers must not modify it.
   */
  public byte[] rawBytes() {
    return bytes;
  }

  /** Where row {@code row} starts in {@link #rawBytes()}. */
  public int offset(int row) {
    return offsets[row];
  }

  public int byteLength(int row) {
    return offsets[row + 1] - offsets[row];
  }

  public String getString(int row) {
    return new String(bytes, offsets[row], offsets[row + 1] - offsets[row], StandardCharsets.UTF_8);
  }

  /**
   * A string, or for a sketch type ({@link dev.basalt.common.type.TypeKind#isSketch}) its bytes.
   */
  @Override
  public Object getObject(int row) {
    if (isNull(row)) {
      return null;
    }
    return type.kind().isSketch() ? getBytes(row) : getString(row);
  }
}
