package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  private static final List<DataType> TYPES = List.of(DataType.BIGINT);
  private static final int ROWS_PER_BATCH = 1_000;

  @TempDir Path spill;

  /** Produces {@code batches} batches of the longs {@code 0, 1, 2, ...}; counts its passes. */
  private static final class Numbers implements Operator {
    private final int batches;
    private int produced;
    int exhausted;
    int closed;

    Numbers(int batches) {
      this.batches = batches;
    }

    @Override
    public List<DataType> outputTypes() {
      return TYPES;
    }

    @Override
    public Batch next() {
      if (produced == batches) {
        exhausted++;
        return null;
      }
      long[] values = new long[ROWS_PER_BATCH];
      for (int i = 0; i < values.length; i++) {
        values[i] = (long) produced * ROWS_PER_BATCH + i;
      }
      produced++;
      return new Batch(
          List.of(new LongVector(DataType.BIGINT, values, null, ROWS_PER_BATCH)), ROWS_PER_BATCH);
    }

    @Override
    public void close() {
      closed++;
    }
  }

  private static List<Long> drain(Operator operator) {
    List<Long> values = new ArrayList<>();
    for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
      LongVector vector = (LongVector) batch.column(0);
      for (int row = 0; row < batch.rowCount(); row++) {
        values.add(vector.getLong(row));
      }
    }
    return values;
  }

  private static List<Long> expected(int batches) {
    return Stream.iterate(0L, value -> value + 1).limit((long) batches * ROWS_PER_BATCH).toList();
  }

  private long files() throws IOException {
    try (Stream<Path> listing = Files.list(spill)) {
      return listing.count();
    } catch (java.nio.file.NoSuchFileException e) {
      return 0;
    }
  }

  @Test
  void everyReaderGetsEveryRowInOrderFromOnePassOverTheInput() {
    Numbers input = new Numbers(20);
    QueryMemoryBudget budget = QueryMemoryBudget.unlimited();
    Spool spool = new Spool(input, budget);
    Operator first = spool.reader();
    Operator second = spool.reader();
    assertThat(drain(second)).isEqualTo(expected(20));
    assertThat(drain(first)).isEqualTo(expected(20));
    assertThat(input.exhausted).as("the input is read once").isEqualTo(1);
    first.close();
    assertThat(input.closed).isEqualTo(1);
    assertThat(budget.used()).as("the spool holds its batches").isPositive();
    second.close();
    second.close();
    assertThat(input.closed).isEqualTo(1);
    assertThat(budget.used()).as("the last reader frees them").isZero();
  }

  @Test
  void rowsPastTheBudgetSpillAndAreReadBackByEachReader() throws IOException {
    Numbers input = new Numbers(200);
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "spool-spill", spill);
    Spool spool = new Spool(input, budget);
    Operator first = spool.reader();
    Operator second = spool.reader();
    assertThat(drain(first)).isEqualTo(expected(200));
    assertThat(files()).as("the spool spilled").isEqualTo(1);
    assertThat(drain(second)).isEqualTo(expected(200));
    assertThat(budget.peak()).isLessThanOrEqualTo(200_000);
    assertThat(input.exhausted).isEqualTo(1);
    first.close();
    second.close();
    assertThat(files()).as("the last reader deletes the file").isZero();
    assertThat(budget.used()).isZero();
  }

  @Test
  void withoutASpillDirectoryTheStatementFailsWithMemLimitExceeded() {
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "spool-no-spill", null);
    Spool spool = new Spool(new Numbers(200), budget);
    Operator reader = spool.reader();
    assertThatThrownBy(() -> drain(reader))
        .isInstanceOfSatisfying(
            BasaltException.class,
            error -> assertThat(error.code()).isEqualTo(ErrorCode.MEMORY_LIMIT_EXCEEDED))
        .hasMessageContaining("SpoolOperator");
    reader.close();
    assertThat(budget.used()).isZero();
  }
}
