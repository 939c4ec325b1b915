package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.LongVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class LocalExchangeOperatorTest {
  private static final List<DataType> TYPES = List.of(DataType.BIGINT);

  /** Produces {@code batches} batches of longs {@code [start, start + batches * 100)}. */
  private static final class Counting implements Operator {
    private final long start;
    private final int batches;
    private final Set<String> threads;
    private final RuntimeException failAfterFirst;
    private int produced;
    boolean closed;

    Counting(long start, int batches, Set<String> threads, RuntimeException failAfterFirst) {
      this.start = start;
      this.batches = batches;
      this.threads = threads;
      this.failAfterFirst = failAfterFirst;
    }

    @Override
    public List<DataType> outputTypes() {
      return TYPES;
    }

    @Override
    public Batch next() {
      threads.add(Thread.currentThread().getName());
      if (produced == 1 && failAfterFirst != null) {
        throw failAfterFirst;
      }
      if (produced == batches) {
        return null;
      }
      long[] values = new long[100];
      for (int i = 0; i < values.length; i++) {
        values[i] = start + produced * 100L + i;
      }
      produced++;
      return new Batch(List.of(new LongVector(DataType.BIGINT, values, null, 100)), 100);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void everyRowOfEveryCopyArrivesOnceAndCopiesRunOnTheirOwnThreads() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Counting> inputs =
        List.of(
            new Counting(0, 50, threads, null),
            new Counting(5_000, 50, threads, null),
            new Counting(10_000, 7, threads, null));
    List<Long> seen = new ArrayList<>();
    try (LocalExchangeOperator exchange = new LocalExchangeOperator(new ArrayList<>(inputs))) {
      for (Batch batch = exchange.next(); batch != null; batch = exchange.next()) {
        LongVector vector = (LongVector) batch.column(0);
        for (int row = 0; row < batch.rowCount(); row++) {
          seen.add(vector.getLong(row));
        }
      }
      assertThat(exchange.next()).isNull();
    }
    List<Long> expected = new ArrayList<>();
    for (long value = 0; value < 5_000; value++) {
      expected.add(value);
      expected.add(5_000 + value);
    }
    for (long value = 10_000; value < 10_700; value++) {
      expected.add(value);
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(threads).hasSize(3).allMatch(name -> name.startsWith("basalt-pipeline-"));
    assertThat(inputs).allMatch(input -> input.closed);
  }

  @Test
  void aFailingCopyFailsTheQueryWithItsOwnError() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    BasaltException failure = new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    List<Counting> inputs =
        List.of(new Counting(0, 1_000, threads, null), new Counting(0, 10, threads, failure));
    try (LocalExchangeOperator exchange = new LocalExchangeOperator(new ArrayList<>(inputs))) {
      assertThatThrownBy(
              () -> {
                while (exchange.next() != null) {
                  // Drain until the failure surfaces.
                }
              })
          .isSameAs(failure);
    }
    assertThat(inputs).allMatch(input -> input.closed);
  }

  @Test
  void closingEarlyStopsTheCopies() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Counting> inputs =
        List.of(
            new Counting(0, 1_000_000, threads, null), new Counting(0, 1_000_000, threads, null));
    LocalExchangeOperator exchange = new LocalExchangeOperator(new ArrayList<>(inputs));
    assertThat(exchange.next()).isNotNull();
    exchange.close();
    assertThat(inputs).allMatch(input -> input.closed && input.produced < 1_000_000);
  }
}
