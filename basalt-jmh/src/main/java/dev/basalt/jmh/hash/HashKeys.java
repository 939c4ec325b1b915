package dev.basalt.jmh.hash;

import java.util.Random;

/**
 * Seeded key streams shared by the hash-table benchmarks: {@code rows} keys drawn from {@code
 * distinct} values, in a random order, as a group-by or a join build side sees them.
 */
final class HashKeys {
  /** Rows per benchmark invocation: scores are per row ({@code @OperationsPerInvocation}). */
  static final int ROWS = 1 << 20;

  /** The group count of the operators' first table (GroupKeys), so inserts include growth. */
  static final int INITIAL_GROUPS = 1024;

  private HashKeys() {}

  /**
   * {@code rows} numbers in {@code [0, distinct)}, each appearing at least once when {@code rows >=
   * distinct}, in a random order.
   */
  static int[] keyNumbers(int rows, int distinct, long seed) {
    Random random = new Random(seed);
    int[] numbers = new int[rows];
    for (int i = 0; i < rows; i++) {
      numbers[i] = i < distinct ? i : random.nextInt(distinct);
    }
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = numbers[i];
      numbers[i] = numbers[j];
      numbers[j] = swap;
    }
    return numbers;
  }

  /**
   * {@link #keyNumbers} spread over the 64-bit range by an odd multiplier (so they stay distinct
   * and are not a dense run).
   */
  static long[] longKeys(int rows, int distinct, long seed) {
    int[] numbers = keyNumbers(rows, distinct, seed);
    long[] keys = new long[rows];
    for (int i = 0; i < rows; i++) {
      keys[i] = numbers[i] * 0x9E3779B97F4A7C15L;
    }
    return keys;
  }

  /** Keys that were never inserted when the inserted ones came from {@link #longKeys}. */
  static long[] missingLongKeys(int rows, long seed) {
    Random random = new Random(seed);
    long[] keys = new long[rows];
    for (int i = 0; i < rows; i++) {
      keys[i] = random.nextLong() | 1L;
    }
    return keys;
  }
}
