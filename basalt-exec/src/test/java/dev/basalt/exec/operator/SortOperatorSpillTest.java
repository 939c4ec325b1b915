package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sort whose rows do not fit its budget spills sorted runs and merges them: seeded random rows
 * (with NULLs, duplicates, strings, dates, decimals) come out exactly as a stable in-memory sort of
 * the same rows orders them, with OFFSET/LIMIT applied; the spill files are gone after close.
 */
class SortOperatorSpillTest {
  private static final List<DataType> TYPES =
      List.of(DataType.BIGINT, DataType.varchar(16), DataType.DATE, DataType.decimal(10, 2));

  @TempDir Path spill;

  @Test
  void aSpilledSortEqualsAStableInMemorySort() throws IOException {
    for (long seed : new long[] {5, 77, 2026}) {
      Random random = new Random(seed);
      List<Object[]> rows = rows(random, 20_000);
      List<SortKey> keys =
          List.of(new SortKey(0, random.nextBoolean(), true), new SortKey(2, true, false));
      List<Object[]> expected = new ArrayList<>(rows);
      expected.sort(SortKey.comparator(keys));
      for (long[] offsetFetch : new long[][] {{0, -1}, {123, -1}, {10, 2_000_000}}) {
        QueryMemoryBudget budget =
            new QueryMemoryBudget(new MemoryPool(300_000), 300_000, "spill-test", spill);
        List<Object[]> actual = new ArrayList<>();
        try (SortOperator sort =
            new SortOperator(
                new ValuesOperator(TYPES, rows), keys, offsetFetch[0], offsetFetch[1], budget)) {
          for (Batch batch = sort.next(); batch != null; batch = sort.next()) {
            for (int row = 0; row < batch.rowCount(); row++) {
              actual.add(RowBuffer.row(batch, row));
            }
          }
          assertThat(files(spill)).as("seed %d: the sort spilled", seed).isNotEmpty();
        }
        int from = (int) Math.min(offsetFetch[0], expected.size());
        List<Object[]> window =
            expected.subList(
                from,
                offsetFetch[1] < 0
                    ? expected.size()
                    : (int) Math.min(expected.size(), from + offsetFetch[1]));
        assertThat(actual)
            .as("seed %d, offset/fetch %s", seed, Arrays.toString(offsetFetch))
            .hasSameSizeAs(window);
        for (int i = 0; i < window.size(); i++) {
          assertThat(actual.get(i)).as("seed %d, row %d", seed, i).containsExactly(window.get(i));
        }
        assertThat(files(spill)).as("spill files are deleted at close").isEmpty();
        assertThat(budget.used()).isZero();
      }
    }
  }

  @Test
  void withoutASpillDirectoryTheSortFailsWithTheMemoryLimit() {
    List<Object[]> rows = rows(new Random(9), 20_000);
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(300_000), 300_000, "no-spill", null);
    try (SortOperator sort =
        new SortOperator(
            new ValuesOperator(TYPES, rows), List.of(new SortKey(1, false, true)), 0, -1, budget)) {
      assertThatThrownBy(sort::next)
          .isInstanceOf(BasaltException.class)
          .hasMessageContaining("MEM_LIMIT_EXCEEDED")
          .hasMessageContaining("SortOperator");
    }
  }

  @Test
  void spillingStopsAtTheSpillLimit() {
    List<Object[]> rows = rows(new Random(11), 60_000);
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(100_000), 100_000, "spill-limit", spill);
    try (SortOperator sort =
        new SortOperator(
            new ValuesOperator(TYPES, rows), List.of(new SortKey(0, false, true)), 0, -1, budget)) {
      assertThatThrownBy(sort::next)
          .isInstanceOf(BasaltException.class)
          .hasMessageContaining("MEM_LIMIT_EXCEEDED")
          .hasMessageContaining("even spilling to disk");
    }
  }

  private static List<Object[]> rows(Random random, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new Object[] {
            random.nextInt(10) == 0 ? null : (long) random.nextInt(500),
            random.nextInt(10) == 0 ? null : "s" + random.nextInt(1000),
            random.nextInt(10) == 0 ? null : LocalDate.of(2020, 1, 1).plusDays(random.nextInt(900)),
            random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(1_000_000), 2)
          });
    }
    return rows;
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
