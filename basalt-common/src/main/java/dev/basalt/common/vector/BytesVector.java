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
 * dictionary reads the vector as any other; kernels that know it (filters, GROUP BY) do their work
 * once per entry and look the result up per row. Entries need not be distinct (a batch spanning two
 * pages carries both pages' dictionaries one after the other); a NULL row's code is meaningless and
 * must not be read. The codes may be given as a {@link CodeSource} that fills them on the first
 * call of {@link #dictionaryCodes()}, so that a scan whose consumers never ask for them pays
 * nothing for them. All arrays are shared, never modified, and live as long as the vector. Safe to
 * read from several threads (codes filled twice at worst, never seen half filled).
 */
public final class BytesVector implements ColumnVector {
  private final DataType type;
  private final byte[] bytes;
  private final int[] offsets;
  private final boolean[] nulls;
  private final int size;
  private final boolean mayHaveNulls;
  private final BytesVector dictionary;

  /** Where the codes come from until {@link #filledCodes} is set; {@code null} without codes. */
  private final CodeSource codeSource;

  /**
   * The codes once filled. Read and written without locking: the holder's final field guarantees
   * that a thread seeing it sees the whole array; a thread seeing {@code null} fills its own.
   */
  private FilledCodes filledCodes;

  /**
   * Fills a vector's dictionary codes when they are first asked for. Called at most once per vector
   * and thread; must not keep {@code codes}. Implementations hold what they read (a page's codes,
   * the positions a gather took) and nothing that changes later.
   */
  @FunctionalInterface
  public interface CodeSource {
    /** Writes row {@code i}'s code into {@code codes[i]} for every row {@code i < size}. */
    void fill(int[] codes, int size);
  }

  private record FilledCodes(int[] codes) {}

  /** Takes ownership of the arrays; {@code offsets} has {@code size + 1} entries. */
  public BytesVector(DataType type, byte[] bytes, int[] offsets, boolean[] nulls, int size) {
    this(type, bytes, offsets, nulls, size, null, null, null);
  }

  private BytesVector(
      DataType type,
      byte[] bytes,
      int[] offsets,
      boolean[] nulls,
      int size,
      CodeSource codeSource,
      FilledCodes filledCodes,
      BytesVector dictionary) {
    this.type = type;
    this.bytes = bytes;
    this.offsets = offsets;
    this.nulls = nulls;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
    this.codeSource = codeSource;
    this.filledCodes = filledCodes;
    this.dictionary = dictionary;
  }

  /**
   * The same rows, also described by {@code codes} into {@code dictionary} (a vector of the same
   * type without NULLs): the non-NULL row {@code i} must equal entry {@code codes[i]}. Shares every
   * array; {@code codes} has at least {@link #size()} entries.
   */
  public BytesVector withDictionary(int[] codes, BytesVector dictionary) {
    if (codes.length < size) {
      throw new IllegalArgumentException("a dictionary needs a code per row");
    }
    checkDictionary(dictionary);
    FilledCodes filled = new FilledCodes(codes);
    CodeSource copy = (into, rows) -> System.arraycopy(codes, 0, into, 0, rows);
    return new BytesVector(type, bytes, offsets, nulls, size, copy, filled, dictionary);
  }

  /**
   * The same rows, described by codes into {@code dictionary} (as {@link #withDictionary(int[],
   * BytesVector)}) that {@code source} fills when {@link #dictionaryCodes()} is first called.
   */
  public BytesVector withDictionary(CodeSource source, BytesVector dictionary) {
    checkDictionary(dictionary);
    return new BytesVector(type, bytes, offsets, nulls, size, source, null, dictionary);
  }

  private static void checkDictionary(BytesVector dictionary) {
    if (dictionary.mayHaveNulls() || dictionary.dictionary != null) {
      throw new IllegalArgumentException("a dictionary has no NULL entry and no dictionary");
    }
  }

  /** Whether {@link #dictionaryCodes()} and {@link #dictionary()} are set. */
  public boolean hasDictionary() {
    return dictionary != null;
  }

  /**
   * Each row's entry in {@link #dictionary()} (meaningless for NULL rows; at least {@link #size()}
   * entries), or {@code null}; filled by the vector's {@link CodeSource} on the first call.
   */
  public int[] dictionaryCodes() {
    if (dictionary == null) {
      return null;
    }
    FilledCodes filled = filledCodes;
    if (filled == null) {
      int[] codes = new int[size];
      codeSource.fill(codes, size);
      filled = new FilledCodes(codes);
      filledCodes = filled;
    }
    return filled.codes();
  }

  /**
   * Where {@link #dictionaryCodes()} come from until they are filled ({@code null} without codes):
   * for gathers that carry the codes on without filling them.
   */
  public CodeSource dictionaryCodeSource() {
    return codeSource;
  }

  /** The codes if some caller already had them filled, else {@code null} (fills nothing). */
  public int[] filledDictionaryCodes() {
    FilledCodes filled = filledCodes;
    return filled == null ? null : filled.codes();
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
        codeSource,
        filledCodes,
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
