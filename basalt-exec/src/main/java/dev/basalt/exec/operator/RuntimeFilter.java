package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.Values;
import dev.basalt.exec.hash.BytesGroupHashTable;
import dev.basalt.exec.hash.KeySerializer;
import dev.basalt.exec.hash.LongGroupHashTable;
import dev.basalt.exec.hash.LongTupleHashTable;
import dev.basalt.exec.hash.SplitBlockBloomFilter;
import dev.basalt.exec.memory.MemoryReservation;
import java.math.BigDecimal;

/**
 * The keys of one column of a hash join's build side, handed to the scan of its probe side so that
 * the scan drops rows that cannot match before it decodes their other columns: bounds for zone maps
 * ({@link #lowerBound}, {@link #upperBound}: integers, dates, datetimes, DOUBLE, DECIMAL and
 * strings) and a membership test ({@link #retainMatching}), one of the {@link Kind}s: a bitmap over
 * {@code [min, max]} for integer keys whose range is small ({@link #MAX_BITMAP_BITS}; TPC-H's keys
 * are dense), else the join's own table when that key alone is hashed there (an exact IN of any
 * size, no copy), else an exact IN list of at most {@link #MAX_IN_KEYS} distinct keys, else a
 * {@link SplitBlockBloomFilter} sized from the join's distinct key count.
 *
 * <p>Keys compare as the join compares them ({@link HashJoinOperator}, {@link KeySerializer}):
 * integers, dates and datetimes as longs; DOUBLE as {@link KeySerializer#doubleKey} (-0.0 is 0.0,
 * NaN matches NaN); DECIMAL (scaled-long or 128-bit, of the join's one scale) and LARGEINT as their
 * 128-bit unscaled values; strings as their UTF-8 bytes, trailing spaces included (the join does
 * not pad CHAR). A NULL key never passes (the join only publishes for keys compared with {@code
 * =}). A test may keep rows without a match (a Bloom filter's false positives) but never drops one
 * with a match.
 *
 * <p>A {@link HashJoinOperator} publishes it once its build is complete, before it reads its probe
 * side; scans open after that. A filter that was never published (the join did not qualify, spilled
 * its build, or its memory reservation was refused) filters nothing. Published state is immutable
 * and read through a volatile field, so parallel scan threads may test keys concurrently.
 *
 * <p>Adaptive cut-off: a scan tests keys through {@link #apply}, which counts the rows tested and
 * kept (all copies of a parallel scan together) and, at the end of each window of {@link
 * #JUDGED_ROWS} tested rows, switches the filter off for the rest of the scan when it kept more
 * than {@link #MAX_KEPT_SHARE_WORDS} of them ({@link #MAX_KEPT_SHARE_HASHED} for keys hashed from
 * bytes or 128 bits): such a filter costs its test plus the gather of every other column for the
 * rows kept (a batch that keeps all its rows is handed on without a copy), about what the join
 * saves on the few rows dropped (measured: docs/benchmarks.md, "Runtime filters: adaptive
 * cut-off"). Its min/max stay zone-map bounds ({@link #lowerBound}), which cost nothing per row. A
 * filter switched off stays off (a key order that makes the first rows unselective and later ones
 * selective is not caught).
 */
public final class RuntimeFilter {
  /** The widest key range kept as a bitmap: 2^23 bits, 1 MiB. */
  static final long MAX_BITMAP_BITS = 1L << 23;

  /** The most distinct keys kept as an exact IN list; more go to a Bloom filter. */
  static final int MAX_IN_KEYS = 1024;

  /** The rows tested per judgement of the filter's selectivity (16 batches of 4,096 rows). */
  static final long JUDGED_ROWS = 1L << 16;

  /**
   * The share of tested rows above which a filter on keys tested as one 64-bit word (integers,
   * dates, datetimes, DOUBLE) is switched off: about where the filter and no filter cost the same
   * server CPU on an integer key (docs/benchmarks.md, "Runtime filters: adaptive cut-off").
   */
  static final double MAX_KEPT_SHARE_WORDS = 0.85;

  /**
   * The same for keys hashed from their bytes or 128 bits (strings, DECIMAL, LARGEINT), whose test
   * costs about what the join's probe of the row does: measured on string keys.
   */
  static final double MAX_KEPT_SHARE_HASHED = 0.5;

  /** How a published filter tests membership. */
  public enum Kind {
    /** A bitmap over the integer keys' {@code [min, max]}: exact. */
    BITMAP,
    /** A hash set of the keys (an IN list, or the join's own table): exact. */
    IN,
    /** A {@link SplitBlockBloomFilter}: about 1% false positives. */
    BLOOM
  }

  private volatile Keys keys;

  /** Set once the filter's tests keep too many rows ({@link #apply}); never cleared. */
  private volatile boolean switchedOff;

  /** Rows tested and kept since the scan began, and in the current window (under the lock). */
  private long rowsTested;

  private long rowsKept;
  private long windowTested;
  private long windowKept;

  /** Rows tested when the filter was switched off, or -1 (under the lock). */
  private long switchedOffAfter = -1;

  /**
   * Published state. Exactly one of {@code bitmap}, {@code words}, {@code pairs}, {@code strings}
   * and {@code bloom} is set; {@code min}/{@code max} bound integer keys ({@code physical} LONG).
   *
   * @param words LONG keys, or DOUBLE keys as {@link KeySerializer#doubleKey}
   * @param pairs DECIMAL and LARGEINT keys as 128-bit halves (high, low)
   * @param strings string keys' bytes
   */
  private record Keys(
      PhysicalType physical,
      Object lowerBound,
      Object upperBound,
      long min,
      long max,
      long[] bitmap,
      LongGroupHashTable words,
      LongTupleHashTable pairs,
      BytesGroupHashTable strings,
      SplitBlockBloomFilter bloom) {
    Kind kind() {
      return bitmap != null ? Kind.BITMAP : bloom != null ? Kind.BLOOM : Kind.IN;
    }
  }

  /**
   * What a filter knows of its keys' range before choosing its membership test: zone-map bounds
   * ({@code lower}/{@code upper}, or null) and, for LONG keys, {@code min}/{@code max}.
   */
  private record Bounds(PhysicalType physical, Object lower, Object upper, long min, long max) {
    /** The published state with these bounds and one of the membership tests set. */
    Keys keys(
        long[] bitmap,
        LongGroupHashTable words,
        LongTupleHashTable pairs,
        BytesGroupHashTable strings,
        SplitBlockBloomFilter bloom) {
      return new Keys(physical, lower, upper, min, max, bitmap, words, pairs, strings, bloom);
    }
  }

  /** String keys without bounds: none, or a smallest or largest key that is not UTF-8. */
  private static final Bounds STRING_BOUNDS = new Bounds(PhysicalType.BYTES, null, null, 0, 0);

  /**
   * The smallest and largest string key, by UTF-8 bytes unsigned (the join compares bytes, trailing
   * spaces included, and zone maps order strings so), as Strings; {@link #STRING_BOUNDS} when there
   * is no key or one of the two is not well-formed UTF-8 (its String would not keep its order).
   */
  private static Bounds stringBounds(BytesVector keys, int rowCount) {
    byte[] bytes = keys.rawBytes();
    int min = -1;
    int max = -1;
    for (int row = 0; row < rowCount; row++) {
      if (keys.isNull(row)) {
        continue;
      }
      if (min < 0 || compareKeys(bytes, keys, row, min) < 0) {
        min = row;
      }
      if (max < 0 || compareKeys(bytes, keys, row, max) > 0) {
        max = row;
      }
    }
    if (min < 0) {
      return STRING_BOUNDS;
    }
    String lower = utf8(bytes, keys.offset(min), keys.byteLength(min));
    String upper = utf8(bytes, keys.offset(max), keys.byteLength(max));
    return lower == null || upper == null
        ? STRING_BOUNDS
        : new Bounds(PhysicalType.BYTES, lower, upper, 0, 0);
  }

  private static int compareKeys(byte[] bytes, BytesVector keys, int row, int other) {
    return java.util.Arrays.compareUnsigned(
        bytes,
        keys.offset(row),
        keys.offset(row) + keys.byteLength(row),
        bytes,
        keys.offset(other),
        keys.offset(other) + keys.byteLength(other));
  }

  /** The bytes as a String when they are well-formed UTF-8, else null. */
  private static String utf8(byte[] bytes, int offset, int length) {
    try {
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (java.nio.charset.CharacterCodingException notUtf8) {
      return null;
    }
  }

  /** Whether a join key of this type can be filtered (the join compares it by value). */
  public static boolean supports(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN,
          TINYINT,
          SMALLINT,
          INT,
          BIGINT,
          LARGEINT,
          FLOAT,
          DOUBLE,
          DECIMAL,
          DATE,
          DATETIME,
          CHAR,
          VARCHAR,
          STRING ->
          true;
      default -> false;
    };
  }

  /**
   * The {@link Kind}s a filter on a key of this type may take, for EXPLAIN (which one is decided
   * when the build is complete).
   */
  public static String possibleKinds(DataType type) {
    return switch (type.physical()) {
      case LONG -> "bitmap, IN or bloom";
      case DOUBLE, DECIMAL, LARGEINT -> "IN or bloom";
      case BYTES -> "IN or bloom";
    };
  }

  /**
   * Publishes the non-null values of {@code keys[0, rowCount)} (the build side's key column, of
   * type {@code type}): bounds, then the first {@link Kind} that fits (see the class comment).
   * {@code joinTable} is the join's own table when it hashes this key alone as a long (LONG keys,
   * or DOUBLE keys as {@link KeySerializer#doubleKey}), else null; {@code distinctKeys} is at least
   * the number of distinct keys (the join's group count) and sizes a Bloom filter. What the filter
   * holds is reserved in {@code memory}; when that is refused the filter stays unpublished.
   */
  void publish(
      DataType type,
      ColumnVector keys,
      int rowCount,
      int distinctKeys,
      LongGroupHashTable joinTable,
      MemoryReservation memory) {
    Keys published =
        switch (type.physical()) {
          case LONG -> longKeys(type, (LongVector) keys, rowCount, distinctKeys, joinTable, memory);
          case DOUBLE -> doubleKeys((DoubleVector) keys, rowCount, distinctKeys, joinTable, memory);
          case DECIMAL, LARGEINT -> wideKeys(type, keys, rowCount, distinctKeys, memory);
          case BYTES -> stringKeys((BytesVector) keys, rowCount, distinctKeys, memory);
        };
    if (published != null) {
      this.keys = published;
    }
  }

  /** Publishes the keys of a join's own table of LONG keys (tests; see the other publish). */
  void publish(LongGroupHashTable table, MemoryReservation memory) {
    long[] values = new long[table.groupCount()];
    for (int group = 0; group < values.length; group++) {
      values[group] = table.key(group);
    }
    publish(
        DataType.BIGINT,
        new LongVector(DataType.BIGINT, values, null, values.length),
        values.length,
        values.length,
        table,
        memory);
  }

  private static Keys longKeys(
      DataType type,
      LongVector keys,
      int rowCount,
      int distinctKeys,
      LongGroupHashTable joinTable,
      MemoryReservation memory) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int nonNull = 0;
    if (joinTable != null) {
      for (int group = 0; group < joinTable.groupCount(); group++) {
        long key = joinTable.key(group);
        min = Math.min(min, key);
        max = Math.max(max, key);
      }
      nonNull = joinTable.groupCount();
    } else {
      for (int row = 0; row < rowCount; row++) {
        if (!keys.isNull(row)) {
          long key = keys.getLong(row);
          min = Math.min(min, key);
          max = Math.max(max, key);
          nonNull++;
        }
      }
    }
    Object lower = null;
    Object upper = null;
    if (nonNull > 0 && type.kind() != TypeKind.BOOLEAN) {
      lower = Values.fromLong(type, min);
      upper = Values.fromLong(type, max);
    }
    Bounds bounds = new Bounds(PhysicalType.LONG, lower, upper, min, max);
    long range = max - min;
    if (nonNull > 0
        && range >= 0
        && range < MAX_BITMAP_BITS
        && memory.tryAdd(8 * (range / 64 + 1))) {
      long[] bitmap = new long[(int) (range / 64 + 1)];
      if (joinTable != null) {
        for (int group = 0; group < joinTable.groupCount(); group++) {
          long bit = joinTable.key(group) - min;
          bitmap[(int) (bit >>> 6)] |= 1L << bit;
        }
      } else {
        for (int row = 0; row < rowCount; row++) {
          if (!keys.isNull(row)) {
            long bit = keys.getLong(row) - min;
            bitmap[(int) (bit >>> 6)] |= 1L << bit;
          }
        }
      }
      return bounds.keys(bitmap, null, null, null, null);
    }
    if (joinTable != null) {
      return bounds.keys(null, joinTable, null, null, null);
    }
    LongGroupHashTable in = wordsIn(keys, null, rowCount);
    if (in != null) {
      return memory.tryAdd(in.estimatedBytes()) ? bounds.keys(null, in, null, null, null) : null;
    }
    SplitBlockBloomFilter bloom =
        bloom(keys, rowCount, distinctKeys, memory, row -> Int128.hashLong(keys.getLong(row)));
    return bloom == null ? null : bounds.keys(null, null, null, null, bloom);
  }

  private static Keys doubleKeys(
      DoubleVector keys,
      int rowCount,
      int distinctKeys,
      LongGroupHashTable joinTable,
      MemoryReservation memory) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    boolean anyNaN = false;
    int nonNull = 0;
    for (int row = 0; row < rowCount; row++) {
      if (!keys.isNull(row)) {
        double key = keys.getDouble(row);
        anyNaN |= Double.isNaN(key);
        min = Math.min(min, key);
        max = Math.max(max, key);
        nonNull++;
      }
    }
    // NaN has no place in SQL's order: with a NaN key, no bounds (zone maps order it last).
    boolean bounded = nonNull > 0 && !anyNaN;
    Bounds bounds =
        new Bounds(
            PhysicalType.DOUBLE,
            bounded ? (Object) min : null,
            bounded ? (Object) max : null,
            0,
            0);
    LongGroupHashTable in = joinTable != null ? joinTable : wordsIn(null, keys, rowCount);
    if (in != null) {
      return joinTable != null || memory.tryAdd(in.estimatedBytes())
          ? bounds.keys(null, in, null, null, null)
          : null;
    }
    SplitBlockBloomFilter bloom =
        bloom(
            keys,
            rowCount,
            distinctKeys,
            memory,
            row -> Int128.hashLong(KeySerializer.doubleKey(keys.getDouble(row))));
    return bloom == null ? null : bounds.keys(null, null, null, null, bloom);
  }

  /**
   * The distinct values of {@code longs} (or of {@code doubles} as {@link KeySerializer#doubleKey})
   * as a table, or null when there are more than {@link #MAX_IN_KEYS}.
   */
  private static LongGroupHashTable wordsIn(LongVector longs, DoubleVector doubles, int rowCount) {
    LongGroupHashTable in = new LongGroupHashTable(16);
    for (int row = 0; row < rowCount; row++) {
      if (longs != null ? !longs.isNull(row) : !doubles.isNull(row)) {
        long word =
            longs != null ? longs.getLong(row) : KeySerializer.doubleKey(doubles.getDouble(row));
        if (in.findOrInsert(word) == MAX_IN_KEYS) {
          return null;
        }
      }
    }
    return in;
  }

  /**
   * DECIMAL keys (the planner's type of LARGEINT too) as 128-bit unscaled values at the type's
   * scale; a build side in the boxed layout (values beyond the type's scale) gets no filter.
   */
  private static Keys wideKeys(
      DataType type, ColumnVector keys, int rowCount, int distinctKeys, MemoryReservation memory) {
    WideKeys wide = WideKeys.of(keys);
    if (wide == null) {
      return null;
    }
    long minHigh = Long.MAX_VALUE;
    long minLow = -1;
    long maxHigh = Long.MIN_VALUE;
    long maxLow = 0;
    int nonNull = 0;
    LongTupleHashTable in = new LongTupleHashTable(2, 16);
    long[] pair = new long[2];
    for (int row = 0; row < rowCount; row++) {
      if (keys.isNull(row)) {
        continue;
      }
      long high = wide.high(row);
      long low = wide.low(row);
      if (Int128.compare(high, low, minHigh, minLow) < 0) {
        minHigh = high;
        minLow = low;
      }
      if (Int128.compare(high, low, maxHigh, maxLow) > 0) {
        maxHigh = high;
        maxLow = low;
      }
      nonNull++;
      if (in != null) {
        pair[0] = high;
        pair[1] = low;
        if (in.findOrInsert(pair, 0) == MAX_IN_KEYS) {
          in = null;
        }
      }
    }
    Object lower = null;
    Object upper = null;
    if (nonNull > 0) {
      int scale = type.kind() == TypeKind.DECIMAL ? type.scale() : 0;
      lower = new BigDecimal(Int128.toBigInteger(minHigh, minLow), scale);
      upper = new BigDecimal(Int128.toBigInteger(maxHigh, maxLow), scale);
    }
    Bounds bounds = new Bounds(PhysicalType.DECIMAL, lower, upper, 0, 0);
    if (in != null) {
      return memory.tryAdd(in.estimatedBytes()) ? bounds.keys(null, null, in, null, null) : null;
    }
    SplitBlockBloomFilter bloom =
        bloom(
            keys,
            rowCount,
            distinctKeys,
            memory,
            row -> Int128.hash(wide.high(row), wide.low(row)));
    return bloom == null ? null : bounds.keys(null, null, null, null, bloom);
  }

  private static Keys stringKeys(
      BytesVector keys, int rowCount, int distinctKeys, MemoryReservation memory) {
    byte[] bytes = keys.rawBytes();
    Bounds bounds = stringBounds(keys, rowCount);
    BytesGroupHashTable in = new BytesGroupHashTable(16);
    for (int row = 0; row < rowCount && in != null; row++) {
      if (!keys.isNull(row)
          && in.findOrInsert(bytes, keys.offset(row), keys.byteLength(row)) == MAX_IN_KEYS) {
        in = null;
      }
    }
    if (in != null) {
      return memory.tryAdd(in.estimatedBytes()) ? bounds.keys(null, null, null, in, null) : null;
    }
    SplitBlockBloomFilter bloom =
        bloom(
            keys,
            rowCount,
            distinctKeys,
            memory,
            row -> BytesGroupHashTable.hash64(bytes, keys.offset(row), keys.byteLength(row)));
    return bloom == null ? null : bounds.keys(null, null, null, null, bloom);
  }

  /**
   * A Bloom filter for {@code distinctKeys} keys, reserved in {@code memory}, holding the {@code
   * hash} of each non-null row of {@code keys[0, rowCount)}; null when the memory is refused.
   */
  private static SplitBlockBloomFilter bloom(
      ColumnVector keys,
      int rowCount,
      int distinctKeys,
      MemoryReservation memory,
      java.util.function.IntToLongFunction hash) {
    if (!memory.tryAdd(SplitBlockBloomFilter.bytesFor(distinctKeys))) {
      return null;
    }
    SplitBlockBloomFilter bloom = new SplitBlockBloomFilter(distinctKeys);
    for (int row = 0; row < rowCount; row++) {
      if (!keys.isNull(row)) {
        bloom.add(hash.applyAsLong(row));
      }
    }
    return bloom;
  }

  /** The 128-bit halves of a DECIMAL or LARGEINT vector without boxing; null when boxed. */
  private record WideKeys(DecimalVector decimals, LargeIntVector integers) {
    static WideKeys of(ColumnVector keys) {
      return switch (keys) {
        case DecimalVector decimals when decimals.isUnboxed() -> new WideKeys(decimals, null);
        case LargeIntVector integers -> new WideKeys(null, integers);
        default -> null;
      };
    }

    long high(int row) {
      return decimals != null ? decimals.getHigh(row) : integers.getHigh(row);
    }

    long low(int row) {
      return decimals != null ? decimals.getLow(row) : integers.getLow(row);
    }
  }

  /** Whether the build side has published its keys. */
  public boolean isReady() {
    return keys != null;
  }

  /** How the published filter tests membership; only when {@link #isReady()}. */
  public Kind kind() {
    return keys.kind();
  }

  /**
   * The smallest build key as a zone-map bound ({@code Values}' boxed form: Long, LocalDate,
   * LocalDateTime, Double, BigDecimal or String), or null when there is none (no keys, a NaN among
   * DOUBLE keys, a string key that is not UTF-8); only when ready.
   */
  public Object lowerBound() {
    return keys.lowerBound();
  }

  /** The largest build key as a zone-map bound, as {@link #lowerBound}; only when ready. */
  public Object upperBound() {
    return keys.upperBound();
  }

  /**
   * What the filter holds, as EXPLAIN ANALYZE shows it on its join: {@code not_published} (the join
   * never built, or its memory was refused), or {@code published kind=... [keys=n] bytes=b [min=x
   * max=y] rows_tested=t rows_kept=k [switched_off_after=r]}: the kind is {@code bitmap}, {@code
   * exact_in} (a hash set: an IN list or the join's own table; bytes: its estimate) or {@code
   * bloom} (keys unknown: it holds hashes), prefixed with {@code min/max+} when the filter has
   * zone-map bounds (not for DOUBLE keys with a NaN); {@code empty} when the build side had no key.
   * The rows are those its scan tested through {@link #apply} and kept, and {@code
   * switched_off_after} the rows tested when it was switched off. Call it once the scan is over
   * (counts read before are partial).
   */
  public String describe() {
    Keys published = keys;
    if (published == null) {
      return "not_published";
    }
    long keyCount;
    long bytes;
    String kind;
    if (published.bitmap() != null) {
      keyCount = 0;
      for (long word : published.bitmap()) {
        keyCount += Long.bitCount(word);
      }
      bytes = 8L * published.bitmap().length;
      kind = "bitmap";
    } else if (published.bloom() != null) {
      keyCount = -1;
      bytes = published.bloom().estimatedBytes();
      kind = "bloom";
    } else {
      keyCount =
          published.words() != null
              ? published.words().groupCount()
              : published.pairs() != null
                  ? published.pairs().groupCount()
                  : published.strings().groupCount();
      bytes =
          published.words() != null
              ? published.words().estimatedBytes()
              : published.pairs() != null
                  ? published.pairs().estimatedBytes()
                  : published.strings().estimatedBytes();
      kind = "exact_in";
    }
    if (keyCount == 0) {
      return "published kind=empty keys=0 bytes=0";
    }
    StringBuilder text = new StringBuilder("published kind=");
    if (published.lowerBound() != null) {
      text.append("min/max+");
    }
    text.append(kind);
    if (keyCount > 0) {
      text.append(" keys=").append(keyCount);
    }
    text.append(" bytes=").append(bytes);
    if (published.lowerBound() != null) {
      text.append(" min=").append(published.lowerBound());
      text.append(" max=").append(published.upperBound());
    }
    synchronized (this) {
      text.append(" rows_tested=").append(rowsTested).append(" rows_kept=").append(rowsKept);
      if (switchedOffAfter >= 0) {
        text.append(" switched_off_after=").append(switchedOffAfter);
      }
    }
    return text.toString();
  }

  /**
   * As {@link #retainMatching}, counting the rows tested and kept, until the filter is switched off
   * (see the class comment), after which it keeps every row. For a scan's batches; thread safe.
   */
  public int apply(ColumnVector keys, int[] selected, int count) {
    if (switchedOff || count == 0) {
      return count;
    }
    int kept = retainMatching(keys, selected, count);
    judge(count, kept);
    return kept;
  }

  /** Whether {@link #apply} has stopped testing keys because they kept too many rows. */
  public boolean isSwitchedOff() {
    return switchedOff;
  }

  /** Counts one batch's test and, at the end of a window, judges it (once per 16 batches). */
  private synchronized void judge(int tested, int kept) {
    rowsTested += tested;
    rowsKept += kept;
    windowTested += tested;
    windowKept += kept;
    if (windowTested >= JUDGED_ROWS) {
      double maxKeptShare =
          switch (keys.physical()) {
            case LONG, DOUBLE -> MAX_KEPT_SHARE_WORDS;
            case DECIMAL, LARGEINT, BYTES -> MAX_KEPT_SHARE_HASHED;
          };
      if (!switchedOff && windowKept > maxKeptShare * windowTested) {
        switchedOffAfter = rowsTested;
        switchedOff = true;
      }
      windowTested = 0;
      windowKept = 0;
    }
  }

  /** Whether a probe row with this (non-null) integer key can find a match; only when ready. */
  public boolean mightMatch(long key) {
    Keys published = keys;
    if (published.physical() != PhysicalType.LONG) {
      return true;
    }
    LongVector one = new LongVector(DataType.BIGINT, new long[] {key}, null, 1);
    return retainMatching(one, new int[] {0}, 1) == 1;
  }

  /**
   * Keeps, of the {@code count} rows listed in {@code selected}, those whose key in {@code keys} is
   * not NULL and can find a match, compacted to the front of {@code selected}; returns how many.
   * {@code keys} is the probe column as the scan decodes it (a LARGEINT column may come as its
   * {@link LargeIntVector}); a vector of a layout the filter does not test (a boxed DECIMAL) keeps
   * every row. Only when ready.
   */
  public int retainMatching(ColumnVector keys, int[] selected, int count) {
    Keys published = this.keys;
    return switch (keys) {
      case LongVector longs when published.physical() == PhysicalType.LONG ->
          retainLongs(published, longs, selected, count);
      case DoubleVector doubles when published.physical() == PhysicalType.DOUBLE ->
          retainDoubles(published, doubles, selected, count);
      case BytesVector strings when published.physical() == PhysicalType.BYTES ->
          retainStrings(published, strings, selected, count);
      default -> {
        WideKeys wide = WideKeys.of(keys);
        yield wide != null && published.physical() == PhysicalType.DECIMAL
            ? retainWide(published, wide, keys.mayHaveNulls(), selected, count)
            : count;
      }
    };
  }

  private static int retainLongs(Keys published, LongVector keys, int[] selected, int count) {
    long min = published.min();
    long max = published.max();
    long[] bitmap = published.bitmap();
    LongGroupHashTable table = published.words();
    SplitBlockBloomFilter bloom = published.bloom();
    boolean mayHaveNulls = keys.mayHaveNulls();
    int kept = 0;
    for (int i = 0; i < count; i++) {
      int row = selected[i];
      if (mayHaveNulls && keys.isNull(row)) {
        continue;
      }
      long key = keys.getLong(row);
      if (key < min || key > max) {
        continue;
      }
      boolean member;
      if (bitmap != null) {
        long bit = key - min;
        member = (bitmap[(int) (bit >>> 6)] & (1L << bit)) != 0;
      } else if (table != null) {
        member = table.find(key) >= 0;
      } else {
        member = bloom.mightContain(Int128.hashLong(key));
      }
      if (member) {
        selected[kept++] = row;
      }
    }
    return kept;
  }

  private static int retainDoubles(Keys published, DoubleVector keys, int[] selected, int count) {
    LongGroupHashTable table = published.words();
    SplitBlockBloomFilter bloom = published.bloom();
    boolean mayHaveNulls = keys.mayHaveNulls();
    int kept = 0;
    for (int i = 0; i < count; i++) {
      int row = selected[i];
      if (mayHaveNulls && keys.isNull(row)) {
        continue;
      }
      long word = KeySerializer.doubleKey(keys.getDouble(row));
      if (table != null ? table.find(word) >= 0 : bloom.mightContain(Int128.hashLong(word))) {
        selected[kept++] = row;
      }
    }
    return kept;
  }

  private static int retainWide(
      Keys published, WideKeys keys, boolean mayHaveNulls, int[] selected, int count) {
    LongTupleHashTable table = published.pairs();
    SplitBlockBloomFilter bloom = published.bloom();
    ColumnVector vector = keys.decimals() != null ? keys.decimals() : keys.integers();
    long[] pair = new long[2];
    int kept = 0;
    for (int i = 0; i < count; i++) {
      int row = selected[i];
      if (mayHaveNulls && vector.isNull(row)) {
        continue;
      }
      long high = keys.high(row);
      long low = keys.low(row);
      boolean member;
      if (table != null) {
        pair[0] = high;
        pair[1] = low;
        member = table.find(pair, 0) >= 0;
      } else {
        member = bloom.mightContain(Int128.hash(high, low));
      }
      if (member) {
        selected[kept++] = row;
      }
    }
    return kept;
  }

  private static int retainStrings(Keys published, BytesVector keys, int[] selected, int count) {
    BytesGroupHashTable table = published.strings();
    SplitBlockBloomFilter bloom = published.bloom();
    byte[] bytes = keys.rawBytes();
    boolean mayHaveNulls = keys.mayHaveNulls();
    int kept = 0;
    for (int i = 0; i < count; i++) {
      int row = selected[i];
      if (mayHaveNulls && keys.isNull(row)) {
        continue;
      }
      int offset = keys.offset(row);
      int length = keys.byteLength(row);
      boolean member =
          table != null
              ? table.find(bytes, offset, length) >= 0
              : bloom.mightContain(BytesGroupHashTable.hash64(bytes, offset, length));
      if (member) {
        selected[kept++] = row;
      }
    }
    return kept;
  }
}
