package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.zip.CRC32;

/**
 * Non-cryptographic hash functions (the digests {@code md5}, {@code sha1}, {@code sha2} are string
 * functions).
 *
 * <ul>
 *   <li>{@code murmur_hash3_32(s, ...)}: INT, Doris's MurmurHash3 x86 32-bit of the UTF-8 bytes
 *       with seed 104729; each further argument is hashed with the previous result as its seed.
 *       NULL if any argument is NULL.
 *   <li>{@code crc32(s)}: BIGINT, MySQL's CRC-32 of the UTF-8 bytes (0 to 2^32 - 1).
 * </ul>
 *
 * The MurmurHash3 algorithm is Austin Appleby's (public domain), written here from their
 * description. Stateless and thread safe.
 */
public final class HashFunctions {
  /** The seed Doris starts {@code murmur_hash3_32} with. */
  public static final int MURMUR3_32_SEED = 104729;

  private HashFunctions() {}

  /** The reference of the {@code murmur_hash3_32} kernel (which converts arguments per vector). */
  static final ScalarFunctionResolver MURMUR_HASH3_32_ROW_WISE =
      types ->
          types.isEmpty()
              ? null
              : RowWiseScalarFunction.of(
                  "murmur_hash3_32",
                  DataType.INT,
                  types,
                  Collections.nCopies(types.size(), DataType.STRING),
                  (a, c) -> {
                    int hash = MURMUR3_32_SEED;
                    for (Object value : a) {
                      hash = murmur3x86Hash32(utf8(value), hash);
                    }
                    return (long) hash;
                  });

  static final ScalarFunctionResolver CRC32_ROW_WISE =
      Signatures.rowWise(
          "crc32",
          DataType.BIGINT,
          List.of(DataType.STRING),
          (a, c) -> {
            CRC32 crc = new CRC32();
            crc.update(utf8(a[0]));
            return crc.getValue();
          });

  private static final ScalarFunction MURMUR_HASH3_32 = murmurHash3("murmur_hash3_32");

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(
        types ->
            types.isEmpty()
                ? null
                : StringKernels.withArgumentsAs(
                    MURMUR_HASH3_32, Collections.nCopies(types.size(), DataType.STRING)),
        "murmur_hash3_32");
    builder.scalar(
        VectorKernels.forString(
            VectorKernels.bytesToLong(
                "crc32",
                DataType.BIGINT,
                (bytes, offset, length) -> {
                  CRC32 crc = new CRC32();
                  crc.update(bytes, offset, length);
                  return crc.getValue();
                }),
            CRC32_ROW_WISE),
        "crc32");
  }

  /**
   * The typed kernel of {@code murmur_hash3_32(s, ...)} on string vectors: each argument hashed
   * with the previous result as its seed; NULL if any argument is NULL.
   */
  private static ScalarFunction murmurHash3(String name) {
    return new StringKernels.LongResult(name, DataType.INT) {
      @Override
      IntToLongFunction bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector[] texts = arguments.toArray(BytesVector[]::new);
        int[] masks = new int[texts.length];
        for (int i = 0; i < texts.length; i++) {
          masks[i] = Kernels.rowMask(texts[i], rowCount);
        }
        return row -> {
          int hash = MURMUR3_32_SEED;
          for (int i = 0; i < texts.length; i++) {
            int at = row & masks[i];
            hash =
                murmur3x86Hash32(
                    texts[i].rawBytes(), texts[i].offset(at), texts[i].byteLength(at), hash);
          }
          return hash;
        };
      }
    };
  }

  private static byte[] utf8(Object value) {
    return ((String) value).getBytes(StandardCharsets.UTF_8);
  }

  /** MurmurHash3 x86 32-bit. */
  public static int murmur3x86Hash32(byte[] data, int seed) {
    return murmur3x86Hash32(data, 0, data.length, seed);
  }

  /** MurmurHash3 x86 32-bit of {@code data[start, start + length)}. */
  static int murmur3x86Hash32(byte[] data, int start, int length, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int hash = seed;
    int blocks = length / 4;
    for (int block = 0; block < blocks; block++) {
      int offset = start + block * 4;
      int k =
          (data[offset] & 0xff)
              | (data[offset + 1] & 0xff) << 8
              | (data[offset + 2] & 0xff) << 16
              | (data[offset + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      hash ^= k;
      hash = Integer.rotateLeft(hash, 13);
      hash = hash * 5 + 0xe6546b64;
    }
    int tail = start + blocks * 4;
    int k = 0;
    switch (length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        hash ^= k;
        break;
      default:
        break;
    }
    hash ^= length;
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return hash;
  }
}
