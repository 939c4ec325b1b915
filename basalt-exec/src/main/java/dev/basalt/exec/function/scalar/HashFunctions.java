package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.FunctionRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
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

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(
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
                    }),
        "murmur_hash3_32");
    builder.scalar(
        Signatures.rowWise(
            "crc32",
            DataType.BIGINT,
            java.util.List.of(DataType.STRING),
            (a, c) -> {
              CRC32 crc = new CRC32();
              crc.update(utf8(a[0]));
              return crc.getValue();
            }),
        "crc32");
  }

  private static byte[] utf8(Object value) {
    return ((String) value).getBytes(StandardCharsets.UTF_8);
  }

  /** MurmurHash3 x86 32-bit. */
  public static int murmur3x86Hash32(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int hash = seed;
    int blocks = data.length / 4;
    for (int block = 0; block < blocks; block++) {
      int offset = block * 4;
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
    int tail = blocks * 4;
    int k = 0;
    switch (data.length & 3) {
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
    hash ^= data.length;
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return hash;
  }
}
