package dev.basalt.storage.tablet;

import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteOrder;

/**
 * The bucket hash of {@code DISTRIBUTED BY HASH(columns)}: a 64-bit hash of the binary encoding of
 * the distribution columns' values, specified exactly in docs/format.md ("Bucket hash") so that
 * every writer routes a row to the same bucket. Column at a time: {@link #mix} folds one column
 * into the running hashes of a batch's rows.
 *
 * <p>Stateless and thread safe.
 */
public final class DistributionHash {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long NULL_VALUE = 0x6A09E667F3BCC908L;
  private static final long BYTES_MULTIPLIER = 0x87C37B91114253D5L;
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private DistributionHash() {}

  /** Murmur3's 64-bit finalizer. */
  static long finalizeHash(long value) {
    long k = value;
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }

  private static long combine(long hash, long valueHash) {
    return finalizeHash(hash * GOLDEN + valueHash);
  }

  /** The bucket of a row hash: the hash as an unsigned number modulo the bucket count. */
  public static int bucketOf(long rowHash, int bucketCount) {
    return (int) Long.remainderUnsigned(rowHash, bucketCount);
  }

  /**
   * Folds column {@code vector} into {@code hashes[0 .. count)} (start from zeros; columns in the
   * order of the DISTRIBUTED BY clause).
   */
  public static void mix(ColumnVector vector, long[] hashes, int count) {
    switch (vector) {
      case LongVector longs -> {
        for (int row = 0; row < count; row++) {
          hashes[row] = combine(hashes[row], longs.isNull(row) ? NULL_VALUE : longs.getLong(row));
        }
      }
      case DoubleVector doubles -> {
        for (int row = 0; row < count; row++) {
          hashes[row] =
              combine(
                  hashes[row],
                  doubles.isNull(row) ? NULL_VALUE : doubleBits(doubles.getDouble(row)));
        }
      }
      case DecimalVector decimals -> {
        int scale = vector.type().scale();
        for (int row = 0; row < count; row++) {
          BigDecimal value = decimals.getDecimal(row);
          hashes[row] =
              combine(
                  hashes[row],
                  value == null
                      ? NULL_VALUE
                      : integerHash(value.setScale(scale, RoundingMode.HALF_UP).unscaledValue()));
        }
      }
      case LargeIntVector largeInts -> {
        for (int row = 0; row < count; row++) {
          BigInteger value = largeInts.getLargeInt(row);
          hashes[row] = combine(hashes[row], value == null ? NULL_VALUE : integerHash(value));
        }
      }
      case BytesVector strings -> {
        byte[] bytes = strings.rawBytes();
        for (int row = 0; row < count; row++) {
          hashes[row] =
              combine(
                  hashes[row],
                  strings.isNull(row)
                      ? NULL_VALUE
                      : bytesHash(bytes, strings.offset(row), strings.byteLength(row)));
        }
      }
    }
  }

  /** {@code -0.0} hashes as {@code 0.0} (they are equal in SQL); NaNs as the canonical NaN. */
  private static long doubleBits(double value) {
    return value == 0 ? 0L : Double.doubleToLongBits(value);
  }

  /** An integer that fits 64 bits hashes as itself; a wider one as its two's-complement bytes. */
  private static long integerHash(BigInteger value) {
    if (value.bitLength() < 64) {
      return value.longValue();
    }
    byte[] bytes = value.toByteArray();
    return bytesHash(bytes, 0, bytes.length);
  }

  /**
   * Bytes, 8 at a time as little-endian words, the last partial word zero-padded: {@code h =
   * length; for each word w: h = rotl(h ^ (w * M), 31) * GOLDEN}; finally {@code fmix64(h)}.
   */
  static long bytesHash(byte[] bytes, int offset, int length) {
    long hash = length;
    int position = offset;
    int end = offset + length;
    while (position + 8 <= end) {
      long word = (long) LITTLE_ENDIAN_LONG.get(bytes, position);
      hash = Long.rotateLeft(hash ^ (word * BYTES_MULTIPLIER), 31) * GOLDEN;
      position += 8;
    }
    if (position < end) {
      long word = 0;
      for (int shift = 0; position < end; position++, shift += 8) {
        word |= (bytes[position] & 0xFFL) << shift;
      }
      hash = Long.rotateLeft(hash ^ (word * BYTES_MULTIPLIER), 31) * GOLDEN;
    }
    return finalizeHash(hash);
  }
}
