package dev.basalt.exec.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random tests of the group hash tables against a {@link HashMap} reference. */
class GroupHashTablesTest {
  private static final long[] SEEDS = {1, 42, 20261206};

  @Test
  void tupleTableAssignsDenseIdsInOrderOfFirstAppearance() {
    for (long seed : SEEDS) {
      Random random = new Random(seed);
      LongTupleHashTable table = new LongTupleHashTable(3, 4);
      Map<java.util.List<Long>, Integer> reference = new HashMap<>();
      long[] tuples = new long[2 + 3 * 100];
      for (int i = 0; i < 100_000; i++) {
        // Tuples at an offset into a shared array, as the join lays them out.
        int offset = 2 + 3 * random.nextInt(100);
        for (int word = 0; word < 3; word++) {
          tuples[offset + word] = random.nextInt(2) == 0 ? random.nextInt(30) : -random.nextInt(3);
        }
        java.util.List<Long> key =
            java.util.List.of(tuples[offset], tuples[offset + 1], tuples[offset + 2]);
        int expected = reference.computeIfAbsent(key, unused -> reference.size());
        assertThat(table.findOrInsert(tuples, offset))
            .as("seed %d, key %s", seed, key)
            .isEqualTo(expected);
      }
      assertThat(table.groupCount()).as("seed %d", seed).isEqualTo(reference.size());
      long[] probe = new long[3];
      for (Map.Entry<java.util.List<Long>, Integer> entry : reference.entrySet()) {
        for (int word = 0; word < 3; word++) {
          probe[word] = entry.getKey().get(word);
          assertThat(table.key(entry.getValue(), word)).isEqualTo(probe[word]);
        }
        assertThat(table.find(probe, 0)).isEqualTo(entry.getValue());
      }
      long[] absent = {1000, 0, 0};
      assertThat(table.find(absent, 0)).isEqualTo(-1);
    }
  }

  @Test
  void longTableAssignsDenseIdsInOrderOfFirstAppearance() {
    for (long seed : SEEDS) {
      Random random = new Random(seed);
      LongGroupHashTable table = new LongGroupHashTable(4);
      Map<Long, Integer> reference = new HashMap<>();
      for (int i = 0; i < 200_000; i++) {
        long key =
            switch (random.nextInt(4)) {
              case 0 -> random.nextInt(1000);
              case 1 -> random.nextLong();
              case 2 -> (long) random.nextInt(50) << 32;
              default -> -random.nextInt(100);
            };
        int expected = reference.computeIfAbsent(key, unused -> reference.size());
        assertThat(table.findOrInsert(key)).as("seed %d, key %d", seed, key).isEqualTo(expected);
      }
      assertThat(table.groupCount()).as("seed %d", seed).isEqualTo(reference.size());
      for (Map.Entry<Long, Integer> entry : reference.entrySet()) {
        assertThat(table.find(entry.getKey())).isEqualTo(entry.getValue());
        assertThat(table.key(entry.getValue())).isEqualTo(entry.getKey());
      }
      assertThat(table.find(Long.MIN_VALUE + 7))
          .isEqualTo(reference.getOrDefault(Long.MIN_VALUE + 7, -1));
    }
  }

  /**
   * A keyless group (hash aggregation's NULL group) takes the next id, is found by no key (not even
   * 0, the key it stores) before or after the table grows, and later keys get the ids after it.
   */
  @Test
  void longTableKeylessGroupTakesAnIdThatNoKeyFinds() {
    LongGroupHashTable table = new LongGroupHashTable(4);
    assertThat(table.findOrInsert(5)).isEqualTo(0);
    assertThat(table.addKeylessGroup()).isEqualTo(1);
    assertThat(table.find(0)).isEqualTo(-1);
    for (long key = 0; key < 10_000; key++) {
      int expected = key == 5 ? 0 : (int) key + (key < 5 ? 2 : 1);
      assertThat(table.findOrInsert(key)).as("key %d", key).isEqualTo(expected);
    }
    assertThat(table.groupCount()).isEqualTo(10_001);
    assertThat(table.find(0)).isEqualTo(2);
    long[] probes = {5, 0, 9_999, 10_000};
    int[] groups = new int[probes.length];
    table.findAll(probes, probes.length, groups);
    assertThat(groups).containsExactly(0, 2, 10_000, -1);
    assertThatThrownBy(table::addKeylessGroup).isInstanceOf(IllegalStateException.class);
  }

  /**
   * Keys in runs (a table clustered by the key), the last run's key remembered between calls: the
   * same ids as the reference, also when a run's key comes back later, when the first key is 0 (the
   * remembered key's initial value) and across the table's growth.
   */
  @Test
  void longTableAssignsTheSameIdsToKeysInRuns() {
    for (long seed : SEEDS) {
      Random random = new Random(seed);
      LongGroupHashTable table = new LongGroupHashTable(4);
      Map<Long, Integer> reference = new HashMap<>();
      long key = 0;
      for (int run = 0; run < 20_000; run++) {
        int length = 1 + random.nextInt(7);
        for (int i = 0; i < length; i++) {
          int expected = reference.computeIfAbsent(key, unused -> reference.size());
          assertThat(table.findOrInsert(key))
              .as("seed %d, run %d, key %d", seed, run, key)
              .isEqualTo(expected);
        }
        key = random.nextInt(3) == 0 ? random.nextInt(500) : key + 1 + random.nextInt(3);
      }
      assertThat(table.groupCount()).isEqualTo(reference.size());
      for (Map.Entry<Long, Integer> entry : reference.entrySet()) {
        assertThat(table.find(entry.getKey())).isEqualTo(entry.getValue());
      }
    }
  }

  @Test
  void longTableFindAllAgreesWithFindForPresentAndAbsentKeys() {
    for (long seed : SEEDS) {
      Random random = new Random(seed);
      LongGroupHashTable table = new LongGroupHashTable(4);
      // Few distinct values in a narrow range: many collisions on the home slots.
      for (int i = 0; i < 5_000; i++) {
        table.findOrInsert(random.nextInt(3_000) * 64L);
      }
      long[] probes = new long[1_000];
      int[] groups = new int[probes.length];
      for (int round = 0; round < 20; round++) {
        int count = random.nextInt(probes.length + 1);
        for (int i = 0; i < count; i++) {
          probes[i] = random.nextBoolean() ? random.nextInt(6_000) * 32L : random.nextLong();
        }
        table.findAll(probes, count, groups);
        for (int i = 0; i < count; i++) {
          assertThat(groups[i])
              .as("seed %d key %d", seed, probes[i])
              .isEqualTo(table.find(probes[i]));
        }
      }
    }
  }

  @Test
  void bytesTableComparesWholeKeysAndCopiesThem() {
    for (long seed : SEEDS) {
      Random random = new Random(seed);
      BytesGroupHashTable table = new BytesGroupHashTable(2);
      Map<String, Integer> reference = new HashMap<>();
      byte[] buffer = new byte[64];
      for (int i = 0; i < 100_000; i++) {
        String key =
            random.nextInt(10) == 0
                ? ""
                : "k" + random.nextInt(5000) + "x".repeat(random.nextInt(20));
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int offset = random.nextInt(8);
        System.arraycopy(bytes, 0, buffer, offset, bytes.length);
        int expected = reference.computeIfAbsent(key, unused -> reference.size());
        assertThat(table.findOrInsert(buffer, offset, bytes.length))
            .as("seed %d, key '%s'", seed, key)
            .isEqualTo(expected);
        // The caller's buffer is reused: the table must have copied the key.
        java.util.Arrays.fill(buffer, (byte) 0x5A);
      }
      assertThat(table.groupCount()).as("seed %d", seed).isEqualTo(reference.size());
    }
  }
}
