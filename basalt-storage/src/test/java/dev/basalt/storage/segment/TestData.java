package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random column values (boxed, as {@code Values} represents them) and batch helpers. */
final class TestData {
  static final List<DataType> ALL_TYPES =
      List.of(
          DataType.BOOLEAN,
          DataType.TINYINT,
          DataType.SMALLINT,
          DataType.INT,
          DataType.BIGINT,
          DataType.LARGEINT,
          DataType.FLOAT,
          DataType.DOUBLE,
          DataType.decimal(38, 10),
          DataType.decimal(9, 2),
          DataType.decimal(18, 0),
          DataType.DATE,
          DataType.DATETIME,
          DataType.datetime(6),
          DataType.character(10),
          DataType.varchar(100),
          DataType.STRING);

  private static final String[] WORDS = {
    "", "a", "basalt", "é", "中文字符", "😀 emoji", "Doris", "x y z", "\u0000nul", "ÿ"
  };

  /** How values are spread, to steer automatic encoding choices. */
  enum Shape {
    /** Uniform over the type's whole range. */
    RANDOM,
    /** Few distinct values (dictionary, narrow frame of reference). */
    LOW_CARDINALITY,
    /** Increasing (delta). */
    SORTED
  }

  private TestData() {}

  static List<Object> values(
      DataType type, int count, double nullFraction, Shape shape, Random random) {
    List<Object> values = new ArrayList<>(count);
    long sortedBase = random.nextInt(1000);
    for (int i = 0; i < count; i++) {
      if (random.nextDouble() < nullFraction) {
        values.add(null);
        continue;
      }
      long pick =
          switch (shape) {
            case RANDOM -> random.nextLong();
            case LOW_CARDINALITY -> random.nextInt(7);
            case SORTED -> sortedBase + i * 3L + random.nextInt(3);
          };
      values.add(value(type, pick, shape == Shape.RANDOM, random));
    }
    return values;
  }

  /** A value derived from {@code pick}; {@code wide} also mixes in extremes. */
  static Object value(DataType type, long pick, boolean wide, Random random) {
    boolean extreme = wide && random.nextInt(20) == 0;
    return switch (type.kind()) {
      case BOOLEAN -> (pick & 1) == 1;
      case TINYINT -> extreme ? (random.nextBoolean() ? -128L : 127L) : (long) (byte) pick;
      case SMALLINT -> extreme ? (random.nextBoolean() ? -32768L : 32767L) : (long) (short) pick;
      case INT ->
          extreme
              ? (long) (random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE)
              : (long) (int) pick;
      case BIGINT -> extreme ? (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : pick;
      case LARGEINT -> {
        if (extreme) {
          yield random.nextBoolean()
              ? BigInteger.ONE.shiftLeft(127).negate()
              : BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
        }
        yield wide
            ? new BigInteger(127, random).subtract(BigInteger.ONE.shiftLeft(126))
            : BigInteger.valueOf(pick);
      }
      case FLOAT -> {
        if (extreme) {
          float[] special = {
            Float.NaN,
            -0.0f,
            0.0f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE,
            Float.MAX_VALUE
          };
          yield (double) special[random.nextInt(special.length)];
        }
        yield wide ? (double) Float.intBitsToFloat((int) pick) : (double) (float) (pick / 4.0);
      }
      case DOUBLE -> {
        if (extreme) {
          double[] special = {
            Double.NaN,
            -0.0,
            0.0,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE,
            Double.MAX_VALUE
          };
          yield special[random.nextInt(special.length)];
        }
        yield wide ? Double.longBitsToDouble(pick) : pick / 8.0;
      }
      case DECIMAL -> {
        BigInteger unscaled;
        if (wide) {
          BigInteger limit = BigInteger.TEN.pow(type.precision());
          unscaled = new BigInteger(limit.bitLength() + 8, random).mod(limit);
          if (random.nextBoolean()) {
            unscaled = unscaled.negate();
          }
          if (extreme) {
            unscaled = limit.subtract(BigInteger.ONE).negate();
          }
        } else {
          unscaled = BigInteger.valueOf(pick);
        }
        yield new BigDecimal(unscaled, type.scale());
      }
      case DATE -> LocalDate.ofEpochDay(wide ? random.nextLong(-719528, 2932896) : pick);
      case DATETIME -> {
        long micros =
            wide
                ? random.nextLong(-62135596800_000000L, 253402300799_000000L)
                : 1_700_000_000_000_000L + pick * 1_000_000L;
        if (type.scale() == 0) {
          micros = Math.floorDiv(micros, 1_000_000L) * 1_000_000L;
        }
        yield dev.basalt.common.vector.Values.datetimeFromEpochMicros(micros);
      }
      case CHAR, VARCHAR, STRING -> {
        if (!wide) {
          yield WORDS[Math.floorMod(pick, WORDS.length)];
        }
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
          text.append(
              random.nextInt(4) == 0
                  ? WORDS[random.nextInt(WORDS.length)]
                  : String.valueOf((char) ('a' + random.nextInt(26))));
        }
        yield text.toString();
      }
      case BITMAP, HLL, QUANTILE_STATE -> {
        // Opaque bytes: the segment stores sketches as it stores strings.
        byte[] bytes = new byte[wide ? random.nextInt(40) : 1 + (int) Math.floorMod(pick, 8)];
        random.nextBytes(bytes);
        yield bytes;
      }
      case NULL -> null;
    };
  }

  static ColumnVector vector(DataType type, List<Object> values, int from, int to) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, Math.max(1, to - from));
    for (int i = from; i < to; i++) {
      builder.appendObject(values.get(i));
    }
    return builder.build();
  }

  /** Appends {@code columns} (one value list per schema column) in batches of varying size. */
  static void appendAll(
      SegmentWriter writer, List<SegmentColumn> schema, List<List<Object>> columns, Random random) {
    int rows = columns.isEmpty() ? 0 : columns.get(0).size();
    int start = 0;
    while (start < rows) {
      int end = Math.min(rows, start + 1 + random.nextInt(5000));
      List<ColumnVector> vectors = new ArrayList<>();
      for (int c = 0; c < schema.size(); c++) {
        vectors.add(vector(schema.get(c).type(), columns.get(c), start, end));
      }
      writer.append(new Batch(vectors, end - start));
      start = end;
    }
  }

  /** Drains {@code stream} into one boxed value list per column, checking batch limits. */
  static List<List<Object>> drain(BatchStream stream, int columnCount) {
    List<List<Object>> columns = new ArrayList<>();
    for (int c = 0; c < columnCount; c++) {
      columns.add(new ArrayList<>());
    }
    try (stream) {
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        assertThat(batch.rowCount()).isBetween(1, Batch.DEFAULT_SIZE);
        assertThat(batch.columnCount()).isEqualTo(columnCount);
        for (int c = 0; c < columnCount; c++) {
          ColumnVector vector = batch.column(c);
          for (int row = 0; row < batch.rowCount(); row++) {
            columns.get(c).add(vector.getObject(row));
          }
        }
      }
    }
    return columns;
  }
}
