package dev.basalt.exec.function.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

  /** Seeded: the word-at-a-time search against a byte-by-byte one, on small alphabets. */
  @Test
  void agreesWithANaiveSearch() {
    long seed = 20261207L;
    Random random = new Random(seed);
    for (int round = 0; round < 50_000; round++) {
      byte[] haystack = randomBytes(random, random.nextInt(70));
      byte[] needle = randomBytes(random, random.nextInt(5));
      int from = haystack.length == 0 ? 0 : random.nextInt(haystack.length + 1);
      int to = from + random.nextInt(haystack.length - from + 1);
      assertThat(ByteSearch.indexOf(haystack, from, to, needle))
          .as("seed %d, round %d", seed, round)
          .isEqualTo(naive(haystack, from, to, needle));
    }
  }

  @Test
  void findsBytesAboveSevenBitsAndZeroBytes() {
    byte[] haystack = {1, 0, 0, (byte) 0xff, (byte) 0x80, 0, 1, 0, 0, 0, 0, (byte) 0xff, 1};
    assertThat(ByteSearch.indexOf(haystack, 0, haystack.length, new byte[] {0, 1})).isEqualTo(5);
    assertThat(ByteSearch.indexOf(haystack, 0, haystack.length, new byte[] {(byte) 0xff, 1}))
        .isEqualTo(11);
    assertThat(ByteSearch.indexOf(haystack, 0, 12, new byte[] {(byte) 0xff, 1})).isEqualTo(-1);
    assertThat(ByteSearch.indexOf(haystack, 3, 3, new byte[0])).isEqualTo(3);
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] alphabet = {'a', 'b', 0, 1, (byte) 0x80, (byte) 0xff};
    int size = random.nextBoolean() ? 2 : alphabet.length;
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = alphabet[random.nextInt(size)];
    }
    return bytes;
  }

  private static int naive(byte[] haystack, int from, int to, byte[] needle) {
    if (needle.length == 0) {
      return from;
    }
    outer:
    for (int i = from; i + needle.length <= to; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
