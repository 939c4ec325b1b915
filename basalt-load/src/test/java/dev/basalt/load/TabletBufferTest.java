package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.tablet.SequenceOrder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A tablet buffer holds its rows in chunks ({@link TabletBuffer#CHUNK_ROWS} rows each): rows
 * appended in batches of any size and any subset, across several chunks, come back in key order
 * (stable), as slices (in key order, and in arrival order) and as the last row of each key exactly
 * as a list of the rows says; with strings of varied lengths, NULLs, and DECIMALs that one chunk
 * holds as objects and the others as scaled longs.
 */
class TabletBufferTest {
  private static final long SEED = 20261207L;

  private static final List<ColumnMeta> COLUMNS =
      List.of(
          ColumnMeta.of("k", DataType.BIGINT),
          ColumnMeta.of("s", DataType.varchar(80)),
          ColumnMeta.of("d", DataType.decimal(38, 2)),
          ColumnMeta.of("x", DataType.DOUBLE),
          ColumnMeta.of("seq", DataType.BIGINT));

  private static TableMeta table() {
    return TableMeta.definition(
        "t",
        KeysType.DUP_KEYS,
        List.of("k"),
        COLUMNS,
        Partitioning.NONE,
        List.of(),
        new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
        Map.of(),
        "");
  }

  /** One row of the reference: k, s, d, x, seq (nulls as null). */
  private record Row(Long k, String s, BigDecimal d, Double x, Long seq) {
    Object get(int column) {
      return switch (column) {
        case 0 -> k;
        case 1 -> s;
        case 2 -> d;
        case 3 -> x;
        default -> seq;
      };
    }
  }

  private static final Comparator<Long> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<String> STRINGS_NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  @Test
  void rowsAcrossChunksSortSliceAndDeduplicateAsTheReference() {
    Random random = new Random(SEED);
    for (int[] keys : List.of(new int[] {0}, new int[] {0, 1})) {
      TabletBuffer buffer = new TabletBuffer(1, table(), keys);
      List<Row> reference = new ArrayList<>();
      long lastBytes = 0;
      while (reference.size() < 3 * TabletBuffer.CHUNK_ROWS + 777) {
        int batchRows = 1 + random.nextInt(random.nextBoolean() ? 40 : 1500);
        List<Row> batchRowsList = new ArrayList<>();
        for (int i = 0; i < batchRows; i++) {
          batchRowsList.add(randomRow(random, reference.size() + i));
        }
        // A random subset of the batch's rows, in order (as routing to tablets picks them).
        int[] picked = new int[batchRows];
        int count = 0;
        for (int i = 0; i < batchRows; i++) {
          if (random.nextInt(4) != 0) {
            picked[count++] = i;
          }
        }
        buffer.append(batch(batchRowsList), picked, count);
        for (int i = 0; i < count; i++) {
          reference.add(batchRowsList.get(picked[i]));
        }
        assertThat(buffer.rowCount()).as("seed %d", SEED).isEqualTo(reference.size());
        long bytes = buffer.estimatedBytes();
        assertThat(bytes).isGreaterThanOrEqualTo(lastBytes);
        lastBytes = bytes;
      }
      Comparator<Integer> byKey = (left, right) -> compareKeys(reference, keys, left, right);
      Integer[] expected = new Integer[reference.size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = i;
      }
      Arrays.sort(expected, byKey); // stable
      int[] order = buffer.sortedOrder();
      assertThat(Arrays.stream(order).boxed().toList())
          .as("seed %d, keys %s", SEED, Arrays.toString(keys))
          .isEqualTo(Arrays.asList(expected));

      for (int start = 0; start < order.length; start += 3000) {
        int end = Math.min(order.length, start + 3000);
        Batch slice = buffer.slice(order, start, end);
        for (int i = start; i < end; i++) {
          Row row = reference.get(order[i]);
          for (int column = 0; column < COLUMNS.size(); column++) {
            assertThat(normalized(slice.column(column).getObject(i - start)))
                .as("seed %d, row %d column %d", SEED, order[i], column)
                .isEqualTo(normalized(row.get(column)));
          }
        }
      }

      // Slices of rows in arrival order (rows that came sorted by the key), of any length and
      // across chunk boundaries: copied a chunk's stretch at a time, the same values.
      int[] arrival = new int[reference.size()];
      for (int i = 0; i < arrival.length; i++) {
        arrival[i] = i;
      }
      for (int start = 0; start < arrival.length; ) {
        int end = Math.min(arrival.length, start + 1 + random.nextInt(6000));
        Batch slice = buffer.slice(arrival, start, end);
        for (int i = start; i < end; i++) {
          for (int column = 0; column < COLUMNS.size(); column++) {
            assertThat(normalized(slice.column(column).getObject(i - start)))
                .as("seed %d, arrival row %d column %d", SEED, i, column)
                .isEqualTo(normalized(reference.get(i).get(column)));
          }
        }
        start = end;
      }

      int[] last = buffer.lastOfEachKey(4);
      List<Integer> expectedLast = new ArrayList<>();
      int winner = -1;
      for (int i = 0; i < expected.length; i++) {
        int row = expected[i];
        if (winner < 0 || newerWins(reference.get(row), reference.get(winner))) {
          winner = row;
        }
        if (i + 1 == expected.length || byKey.compare(row, expected[i + 1]) != 0) {
          expectedLast.add(winner);
          winner = -1;
        }
      }
      assertThat(Arrays.stream(last).boxed().toList()).as("seed %d", SEED).isEqualTo(expectedLast);
    }
  }

  private static boolean newerWins(Row row, Row winner) {
    return SequenceOrder.newerWins(
        row.seq() == null,
        row.seq() == null ? 0 : row.seq(),
        winner.seq() == null,
        winner.seq() == null ? 0 : winner.seq());
  }

  private static int compareKeys(List<Row> rows, int[] keys, int left, int right) {
    Row a = rows.get(left);
    Row b = rows.get(right);
    int order = NULLS_FIRST.compare(a.k(), b.k());
    if (order != 0 || keys.length == 1) {
      return order;
    }
    return STRINGS_NULLS_FIRST.compare(a.s(), b.s());
  }

  private static Row randomRow(Random random, int position) {
    Long k = random.nextInt(50) == 0 ? null : (long) random.nextInt(3000);
    String s = null;
    if (random.nextInt(10) != 0) {
      char[] chars = new char[random.nextInt(random.nextInt(20) == 0 ? 70 : 12)];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = (char) ('a' + random.nextInt(3));
      }
      s = new String(chars);
    }
    BigDecimal d =
        random.nextInt(7) == 0
            ? null
            : position > TabletBuffer.CHUNK_ROWS + 100 && random.nextInt(500) == 0
                // Too wide for a scaled long: that chunk's column turns to objects.
                ? new BigDecimal("123456789012345678901234.5" + random.nextInt(10))
                : BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 2);
    Double x = random.nextInt(5) == 0 ? null : random.nextDouble();
    Long seq = random.nextInt(6) == 0 ? null : (long) random.nextInt(5);
    return new Row(k, s, d, x, seq);
  }

  private static Batch batch(List<Row> rows) {
    List<ColumnVector> vectors = new ArrayList<>();
    for (int column = 0; column < COLUMNS.size(); column++) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(COLUMNS.get(column).type());
      for (Row row : rows) {
        builder.appendObject(row.get(column));
      }
      vectors.add(builder.build());
    }
    return new Batch(vectors, rows.size());
  }

  /** DECIMALs compared by value (their scale may differ), everything else as it is. */
  private static Object normalized(Object value) {
    return value instanceof BigDecimal decimal ? decimal.setScale(2) : value;
  }
}
