package dev.basalt.exec.function.sketch;

/**
 * The 64-bit MurmurHash3 variant Doris's {@code bitmap_hash64} uses ({@code murmur_hash3_x64_64},
 * seed 0): the x64 mixing of Austin Appleby's public-domain MurmurHash3 over 8-byte blocks with a
 * single 64-bit state, written here from that description. {@code bitmap_hash64('hello')} is
 * 15231136565543391023 as in Doris's documentation. Stateless.
 */
final class Murmur3 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Murmur3() {}

  static long x64Hash64(byte[] data) {
    long hash = 0;
    int blocks = data.length / 8;
    for (int block = 0; block < blocks; block++) {
      long k = 0;
      for (int i = 7; i >= 0; i--) {
        k = k << 8 | (data[block * 8 + i] & 0xffL);
      }
      hash ^= scramble(k);
      hash = Long.rotateLeft(hash, 27);
      hash = hash * 5 + 0x52dce729;
    }
    int tail = blocks * 8;
    int rest = data.length & 7;
    if (rest > 0) {
      long k = 0;
      for (int i = rest - 1; i >= 0; i--) {
        k ^= (data[tail + i] & 0xffL) << (i * 8);
      }
      hash ^= scramble(k);
    }
    hash ^= data.length;
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash;
  }

  private static long scramble(long k) {
    k *= C1;
    k = Long.rotateLeft(k, 31);
    return k * C2;
  }
}
