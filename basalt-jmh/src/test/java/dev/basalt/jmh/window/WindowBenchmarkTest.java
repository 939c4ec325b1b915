package dev.basalt.jmh.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.LongVector;
import dev.basalt.jmh.RunOnce;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowBenchmarkTest {
  private static final String[] FRAMES = {"growing", "sliding", "whole"};

  @Test
  void runsOnceForEveryFrame() throws Exception {
    RunOnce.run(WindowBenchmark.class, FRAMES.length);
  }

  /**
   * Every row comes out with its four aggregates; COUNT(v) (no NULLs) is the frame's size: the rows
   * so far in the partition (growing), at most 21 (sliding), or the partition's size (whole).
   */
  @Test
  void computesEveryRowsFrame() {
    for (String frame : FRAMES) {
      WindowBenchmark benchmark = new WindowBenchmark();
      benchmark.frame = frame;
      benchmark.setUp();
      List<Batch> batches = benchmark.outputBatches();
      assertThat(batches.stream().mapToLong(Batch::rowCount).sum())
          .as(frame)
          .isEqualTo(WindowBenchmark.ROWS);
      long[] partitionSizes = new long[WindowBenchmark.GROUPS];
      for (Batch batch : batches) {
        LongVector groups = (LongVector) batch.columns().get(1);
        for (int row = 0; row < batch.rowCount(); row++) {
          partitionSizes[(int) groups.getLong(row)]++;
        }
      }
      for (Batch batch : batches) {
        LongVector groups = (LongVector) batch.columns().get(1);
        LongVector counts = (LongVector) batch.columns().get(8);
        for (int row = 0; row < batch.rowCount(); row++) {
          long count = counts.getLong(row);
          long size = partitionSizes[(int) groups.getLong(row)];
          switch (frame) {
            case "growing" -> assertThat(count).as(frame).isBetween(1L, size);
            case "sliding" -> assertThat(count).as(frame).isBetween(Math.min(11L, size), 21L);
            default -> assertThat(count).as(frame).isEqualTo(size);
          }
        }
      }
    }
  }
}
