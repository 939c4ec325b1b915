package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed sort against a simple reference: seeded random rows of every physical type (NULLs, -0.0
 * and 0.0, NaN, strings with multibyte characters, trailing spaces and shared prefixes, wide
 * decimals that do not fit a long) sorted by random keys, directions and NULL placements, with
 * random OFFSET/LIMIT (full sorts and TopN), in memory and spilled by a tiny budget, must come out
 * exactly as a stable sort of the boxed rows by {@link SortKey#comparator} orders them.
 */
class SortOperatorRandomTest {
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.DOUBLE,
          DataType.varchar(32),
          DataType.DATE,
          DataType.DATETIME,
          DataType.decimal(10, 2),
          DataType.decimal(38, 4),
          DataType.LARGEINT,
          DataType.BOOLEAN,
          DataType.STRING);

  private static final String[] WORDS = {
    "",
    " ",
    "a",
    "a ",
    "a  ",
    "ab",
    "abcdefgh",
    "abcdefghi",
    "abcdefgh ",
    "Ä",
    "é",
    "e\u0301",
    "日本",
    "日本語",
    "\uD83D\uDE00",
    "\uFF21",
    "z",
    "Z",
    "abcdefgh\u00e9",
    "abcdefgh\uD83D\uDE00"
  };

  @TempDir Path spill;

  @Test
  void typedSortEqualsTheBoxedReference() throws IOException {
    for (long seed = 1; seed <= 30; seed++) {
      Random random = new Random(seed);
      int rowCount = random.nextInt(4) == 0 ? random.nextInt(50) : random.nextInt(10_000);
      List<Object[]> rows = rows(random, rowCount);
      List<SortKey> keys = new ArrayList<>();
      int keyCount = 1 + random.nextInt(3);
      for (int k = 0; k < keyCount; k++) {
        keys.add(
            new SortKey(random.nextInt(TYPES.size()), random.nextBoolean(), random.nextBoolean()));
      }
      long offset = random.nextInt(3) == 0 ? random.nextInt(Math.max(1, rowCount + 10)) : 0;
      long fetch =
          switch (random.nextInt(4)) {
            case 0 -> -1;
            case 1 -> random.nextInt(10);
            case 2 -> random.nextInt(Math.max(1, rowCount));
            default -> 2_000_000;
          };
      // A TopN holds only its limit and never spills: only full sorts get the tiny budget.
      boolean tinyBudget = (fetch < 0 || fetch == 2_000_000) && random.nextBoolean();
      List<Object[]> expected = new ArrayList<>(rows);
      expected.sort(SortKey.comparator(keys));
      int from = (int) Math.min(offset, expected.size());
      int to = fetch < 0 ? expected.size() : (int) Math.min(expected.size(), from + fetch);
      List<Object[]> window = expected.subList(from, to);

      // Small enough that every sort of more than 8,000 rows spills (a 128-bit value counts its
      // 17 bytes).
      long limit = tinyBudget ? 750_000 : 1L << 30;
      QueryMemoryBudget budget =
          new QueryMemoryBudget(new MemoryPool(limit), limit, "random-sort", spill);
      List<Object[]> actual = new ArrayList<>();
      String context =
          "seed %d: %d rows, keys %s, offset %d, fetch %d, budget %d"
              .formatted(seed, rowCount, keys, offset, fetch, limit);
      try (SortOperator sort =
          new SortOperator(new ValuesOperator(TYPES, rows), keys, offset, fetch, budget)) {
        Batch first = sort.next();
        if (tinyBudget && rowCount > 8_000) {
          assertThat(files(spill)).as("%s: the sort spilled", context).isNotEmpty();
        }
        for (Batch batch = first; batch != null; batch = sort.next()) {
          assertThat(batch.rowCount()).isBetween(1, Batch.DEFAULT_SIZE);
          for (int row = 0; row < batch.rowCount(); row++) {
            actual.add(RowBuffer.row(batch, row));
          }
        }
      }
      assertThat(actual).as(context).hasSameSizeAs(window);
      for (int i = 0; i < window.size(); i++) {
        assertThat(actual.get(i)).as("%s, row %d", context, i).containsExactly(window.get(i));
      }
      assertThat(files(spill)).as("%s: spill files are deleted at close", context).isEmpty();
      assertThat(budget.used()).as(context).isZero();
    }
  }

  private static List<Object[]> rows(Random random, int count) {
    List<Object[]> rows = new ArrayList<>(count);
    // Few distinct values per column, so that ties on leading keys are common.
    int spread = 1 + random.nextInt(200);
    for (int i = 0; i < count; i++) {
      Object[] row = new Object[TYPES.size()];
      row[0] =
          (long) (random.nextInt(spread) - spread / 2)
              * (random.nextInt(20) == 0 ? Long.MAX_VALUE / spread : 1);
      row[1] =
          switch (random.nextInt(12)) {
            case 0 -> -0.0;
            case 1 -> 0.0;
            case 2 -> Double.NaN;
            case 3 -> Double.NEGATIVE_INFINITY;
            case 4 -> Double.POSITIVE_INFINITY;
            default -> (random.nextInt(spread) - spread / 2) / 4.0;
          };
      row[2] = word(random) + (random.nextBoolean() ? word(random) : "");
      row[3] = LocalDate.of(1960, 1, 1).plusDays(random.nextInt(spread) * 97L);
      row[4] =
          LocalDateTime.of(1969, 12, 31, 23, 0)
              .plusSeconds(random.nextInt(spread) * 7919L)
              .plusNanos(random.nextInt(3) * 1000L);
      row[5] = BigDecimal.valueOf(random.nextInt(spread) - spread / 2, 2);
      row[6] =
          random.nextInt(3) == 0
              ? new BigDecimal(
                  BigInteger.TEN
                      .pow(25)
                      .multiply(BigInteger.valueOf(random.nextInt(spread) - spread / 2)),
                  4)
              : BigDecimal.valueOf(random.nextInt(spread), 4);
      row[7] =
          BigInteger.valueOf(random.nextInt(spread)).shiftLeft(random.nextInt(3) * 50).negate();
      row[8] = random.nextBoolean();
      row[9] = word(random);
      for (int column = 0; column < row.length; column++) {
        if (random.nextInt(8) == 0) {
          row[column] = null;
        }
      }
      rows.add(row);
    }
    return rows;
  }

  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }

  private static List<Path> files(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    }
  }
}
