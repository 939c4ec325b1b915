package dev.basalt.exec.spill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DECIMAL and LARGEINT columns through a spill file: seeded random values of up to 38 digits and
 * 128 bits with NULLs, blocks of selected rows, come back equal and unboxed (scaled longs when
 * every value of a block fits a long, else the 128-bit halves); a boxed DECIMAL vector (more digits
 * than its type's scale) comes back with its values.
 */
class BatchSpillFileTest {
  private static final long SEED = 128L;
  private static final DataType DECIMAL = DataType.decimal(38, 4);

  @TempDir Path directory;

  @Test
  void decimalAndLargeIntColumnsRoundTripAsHalves() {
    Random random = new Random(SEED);
    List<DataType> types = List.of(DECIMAL, DataType.LARGEINT);
    long[] spilled = new long[1];
    BatchSpillFile file = new BatchSpillFile(directory, types, bytes -> spilled[0] += bytes);
    List<BigInteger> expectedDecimals = new ArrayList<>();
    List<BigInteger> expectedIntegers = new ArrayList<>();
    List<Boolean> expectedWide = new ArrayList<>();
    for (int block = 0; block < 12; block++) {
      int rows = 100;
      boolean wideBlock = block % 2 == 1;
      long[] decimalHighs = new long[rows];
      long[] decimalLows = new long[rows];
      long[] integerHighs = new long[rows];
      long[] integerLows = new long[rows];
      boolean[] nulls = new boolean[rows];
      BigInteger[] decimals = new BigInteger[rows];
      BigInteger[] integers = new BigInteger[rows];
      for (int i = 0; i < rows; i++) {
        nulls[i] = i % 7 == 3;
        int bits = wideBlock ? 1 + random.nextInt(126) : 1 + random.nextInt(62);
        BigInteger value = new BigInteger(bits, random);
        decimals[i] = random.nextBoolean() ? value.negate() : value;
        integers[i] = decimals[i];
        decimalHighs[i] = Int128.high(decimals[i]);
        decimalLows[i] = Int128.low(decimals[i]);
        integerHighs[i] = Int128.high(integers[i]);
        integerLows[i] = Int128.low(integers[i]);
      }
      Batch batch =
          new Batch(
              List.of(
                  new DecimalVector(DECIMAL, decimalHighs, decimalLows, nulls.clone(), rows),
                  new LargeIntVector(
                      DataType.LARGEINT, integerHighs, integerLows, nulls.clone(), rows)),
              rows);
      // Every other row, backwards: the file keeps the selection's order.
      int[] selection = new int[rows / 2];
      for (int i = 0; i < selection.length; i++) {
        selection[i] = rows - 1 - 2 * i;
        int row = selection[i];
        expectedDecimals.add(nulls[row] ? null : decimals[row]);
        expectedIntegers.add(nulls[row] ? null : integers[row]);
      }
      boolean anyWide = false;
      for (int row : selection) {
        anyWide |= !nulls[row] && decimals[row].bitLength() >= 64;
      }
      expectedWide.add(anyWide);
      file.append(batch, selection, selection.length);
    }
    file.finishWriting();
    assertTrue(spilled[0] > 0);
    int index = 0;
    int blockIndex = 0;
    try (BatchSpillFile.Reader reader = file.reader()) {
      for (Batch batch = reader.next(); batch != null; batch = reader.next()) {
        DecimalVector decimals = (DecimalVector) batch.column(0);
        ColumnVector integers = batch.column(1);
        assertTrue(decimals.isUnboxed());
        assertEquals(expectedWide.get(blockIndex), decimals.isInt128(), "block " + blockIndex);
        assertTrue(integers instanceof LargeIntVector);
        for (int row = 0; row < batch.rowCount(); row++, index++) {
          BigInteger decimal = expectedDecimals.get(index);
          assertEquals(
              decimal == null ? null : new BigDecimal(decimal, DECIMAL.scale()),
              decimals.getDecimal(row),
              "seed " + SEED + ", row " + index);
          assertEquals(expectedIntegers.get(index), integers.getObject(row));
        }
        blockIndex++;
      }
    }
    assertEquals(expectedDecimals.size(), index);
    file.delete();
  }

  @Test
  void boxedDecimalsKeepTheirDigits() {
    BatchSpillFile file = new BatchSpillFile(directory, List.of(DECIMAL), bytes -> {});
    // 1.00005 has more digits than DECIMAL(38, 4)'s scale: the vector stays boxed.
    BigDecimal[] values = {new BigDecimal("1.00005"), null, new BigDecimal("-2.5")};
    Batch batch = new Batch(List.of(new DecimalVector(DECIMAL, values.clone(), 3)), 3);
    file.append(batch, new int[] {0, 1, 2}, 3);
    try (BatchSpillFile.Reader reader = file.reader()) {
      Batch read = reader.next();
      assertEquals(values[0], read.column(0).getObject(0));
      assertNull(read.column(0).getObject(1));
      assertEquals(0, values[2].compareTo((BigDecimal) read.column(0).getObject(2)));
      assertNull(reader.next());
    }
    file.delete();
  }
}
