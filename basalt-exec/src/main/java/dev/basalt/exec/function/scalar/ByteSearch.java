package dev.basalt.exec.function.scalar;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Substring search over UTF-8 bytes, eight bytes per step: candidates are the places where the
 * needle's first two bytes both occur, found in a 64-bit word at a time by the classic "has a zero
 * byte" bit trick (Hacker's Delight, 6-1), and only those are compared whole. Text rarely holds a
 * needle's first two bytes side by side, so most words are passed over with a few instructions
 * instead of a compare per byte. Stateless and thread safe.
 */
final class ByteSearch {
  private ByteSearch() {}

  private static final long REPEATED_ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Where {@code needle[needleStart, needleEnd)} first occurs in {@code haystack[from, to)}, or -1;
   * {@code from} for an empty needle (whatever {@code to}).
   */
  static int indexOf(
      byte[] haystack, int from, int to, byte[] needle, int needleStart, int needleEnd) {
    int length = needleEnd - needleStart;
    if (length == 0) {
      return from;
    }
    int lastStart = to - length;
    int i = from;
    if (length >= 2) {
      long first = REPEATED_ONES * (needle[needleStart] & 0xff);
      long second = REPEATED_ONES * (needle[needleStart + 1] & 0xff);
      // Eight candidate starts per step; the word read for the second byte ends at i + 9 <= to.
      for (; i + 7 <= lastStart; i += 8) {
        long differs =
            ((long) LITTLE_ENDIAN_LONG.get(haystack, i) ^ first)
                | ((long) LITTLE_ENDIAN_LONG.get(haystack, i + 1) ^ second);
        // The lowest flagged byte is exact; higher ones may be false alarms (a borrow), so every
        // candidate is compared whole, lowest first.
        long candidates = (differs - REPEATED_ONES) & ~differs & HIGH_BITS;
        while (candidates != 0) {
          int start = i + (Long.numberOfTrailingZeros(candidates) >>> 3);
          if (regionMatches(haystack, start, needle, needleStart, length)) {
            return start;
          }
          candidates &= candidates - 1;
        }
      }
    }
    byte head = needle[needleStart];
    for (; i <= lastStart; i++) {
      if (haystack[i] == head && regionMatches(haystack, i, needle, needleStart, length)) {
        return i;
      }
    }
    return -1;
  }

  /** {@link #indexOf(byte[], int, int, byte[], int, int)} for a whole needle. */
  static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
    return indexOf(haystack, from, to, needle, 0, needle.length);
  }

  private static boolean regionMatches(
      byte[] haystack, int at, byte[] needle, int needleStart, int length) {
    for (int k = 0; k < length; k++) {
      if (haystack[at + k] != needle[needleStart + k]) {
        return false;
      }
    }
    return true;
  }
}
