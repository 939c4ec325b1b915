package dev.basalt.jmh.sort;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.vector.Batch;
import dev.basalt.exec.operator.SortKey;
import dev.basalt.jmh.RunOnce;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortBenchmarkTest {
  private static final String[] ORDERS = {
    "bigint", "decimal_desc", "date_price", "string", "priority_key", "top100"
  };

  @Test
  void runsOnceForEveryOrder() throws Exception {
    RunOnce.run(SortBenchmark.class, ORDERS.length);
  }

  /** Every order returns all rows (100 for the TopN), each not before the previous one. */
  @Test
  void sortsEveryRow() {
    for (String order : ORDERS) {
      SortBenchmark benchmark = new SortBenchmark();
      benchmark.order = order;
      benchmark.setUp();
      List<Batch> batches = benchmark.sortedBatches();
      long rows = batches.stream().mapToLong(Batch::rowCount).sum();
      assertThat(rows).as(order).isEqualTo(order.equals("top100") ? 100 : SortBenchmark.ROWS);
      Batch previous = null;
      int previousRow = -1;
      for (Batch batch : batches) {
        for (int row = 0; row < batch.rowCount(); row++) {
          if (previous != null) {
            assertThat(
                    SortKey.compareRows(
                        previous.columns(), previousRow, batch.columns(), row, benchmark.keys()))
                .as("%s: row order", order)
                .isNotPositive();
          }
          previous = batch;
          previousRow = row;
        }
      }
    }
  }
}
