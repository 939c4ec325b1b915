package dev.basalt.meta.statistics;

/**
 * A HyperLogLog sketch of the number of distinct 64-bit hashes it has seen (Flajolet, Fusy,
 * Gandouet, Meunier, "HyperLogLog: the analysis of a near-optimal cardinality estimation
 * algorithm", 2007), with linear counting for small cardinalities as in Heule, Nunkesser, Hall,
 * "HyperLogLog in Practice", 2013. With {@value #PRECISION} bits of precision it keeps {@value
 * #REGISTERS} one-byte registers (16 KiB) and estimates within about 1 % (standard error 1.04 /
 * sqrt(registers)), whatever the number of values.
 *
 * <p>Callers hash values themselves ({@link #mix} spreads the bits of a long); two sketches merge
 * by taking the register-wise maximum. Not thread safe.
 */
public final class HyperLogLog {
  static final int PRECISION = 14;
  static final int REGISTERS = 1 << PRECISION;
  private static final double ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

  private final byte[] registers = new byte[REGISTERS];

  /** Adds one already well-mixed 64-bit hash. */
  public void addHash(long hash) {
    int index = (int) (hash >>> (64 - PRECISION));
    // The rank of the first 1-bit in the remaining 50 bits (a guard bit bounds it at 51).
    long rest = (hash << PRECISION) | (1L << (PRECISION - 1));
    byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
    if (rank > registers[index]) {
      registers[index] = rank;
    }
  }

  /** Adds every value {@code other} has seen. */
  public void merge(HyperLogLog other) {
    for (int i = 0; i < REGISTERS; i++) {
      if (other.registers[i] > registers[i]) {
        registers[i] = other.registers[i];
      }
    }
  }

  /** The estimated number of distinct hashes added. */
  public long estimate() {
    double sum = 0;
    int zeros = 0;
    for (byte register : registers) {
      sum += Math.scalb(1.0, -register);
      if (register == 0) {
        zeros++;
      }
    }
    double raw = ALPHA * REGISTERS * REGISTERS / sum;
    if (raw <= 2.5 * REGISTERS && zeros > 0) {
      // Linear counting: exact enough, and unbiased, while many registers are still empty.
      return Math.round(REGISTERS * Math.log((double) REGISTERS / zeros));
    }
    return Math.round(raw);
  }

  /** A 64-bit finalizer (MurmurHash3's fmix64) that spreads every input bit over the output. */
  public static long mix(long value) {
    long h = value;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** A 64-bit hash of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static long hashBytes(byte[] bytes, int offset, int length) {
    long h = 0x9E3779B97F4A7C15L ^ length;
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      long word =
          (bytes[i] & 0xFFL)
              | (bytes[i + 1] & 0xFFL) << 8
              | (bytes[i + 2] & 0xFFL) << 16
              | (bytes[i + 3] & 0xFFL) << 24
              | (bytes[i + 4] & 0xFFL) << 32
              | (bytes[i + 5] & 0xFFL) << 40
              | (bytes[i + 6] & 0xFFL) << 48
              | (bytes[i + 7] & 0xFFL) << 56;
      h = Long.rotateLeft(h ^ mix(word), 27) * 0x9E3779B97F4A7C15L;
    }
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (bytes[i] & 0xFFL) << shift;
    }
    return mix(h ^ mix(tail ^ 0x632BE59BD9B4E019L));
  }
}
