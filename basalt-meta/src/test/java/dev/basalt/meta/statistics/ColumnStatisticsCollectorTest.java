package dev.basalt.meta.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ColumnStatisticsCollectorTest {

  @Test
  void integersOverSeveralBatches() {
    ColumnStatisticsCollector collector = new ColumnStatisticsCollector(7, "k", DataType.INT);
    for (int batch = 0; batch < 3; batch++) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.INT);
      for (long value = 0; value < 1000; value++) {
        builder.appendLong(value * 3 - 5);
      }
      builder.appendNull();
      collector.add(builder.build());
    }
    ColumnStatistics stats = collector.result();
    assertThat(stats.columnId()).isEqualTo(7);
    assertThat(stats.count()).isEqualTo(3003);
    assertThat(stats.nullCount()).isEqualTo(3);
    assertThat(stats.ndv()).isBetween(990L, 1010L);
    assertThat(stats.min()).isEqualTo("-5");
    assertThat(stats.max()).isEqualTo("2992");
    assertThat(stats.low()).isEqualTo(-5.0);
    assertThat(stats.high()).isEqualTo(2992.0);
    assertThat(stats.dataSize()).isEqualTo(3000L * 4);
  }

  @Test
  void stringsCompareByUtf8Bytes() {
    ColumnStatisticsCollector collector =
        new ColumnStatisticsCollector(1, "s", DataType.varchar(10));
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.varchar(10));
    for (String value : new String[] {"pear", "Apple", "é", "pear", "apple"}) {
      builder.appendObject(value);
    }
    builder.appendNull();
    collector.add(builder.build());
    ColumnStatistics stats = collector.result();
    assertThat(stats.ndv()).isEqualTo(4);
    assertThat(stats.min()).isEqualTo("Apple");
    assertThat(stats.max()).isEqualTo("é");
    assertThat(stats.low()).isNull();
    assertThat(stats.dataSize()).isEqualTo(4 + 5 + 2 + 4 + 5);
    assertThat(stats.nullFraction()).isEqualTo(1.0 / 6);
  }

  @Test
  void decimalsOfOneValueAtDifferentScalesAreOneValue() {
    DataType type = DataType.decimal(10, 2);
    ColumnStatisticsCollector collector = new ColumnStatisticsCollector(1, "d", type);
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type);
    builder.appendDecimal(new BigDecimal("1.50"));
    builder.appendDecimal(new BigDecimal("1.5"));
    builder.appendDecimal(new BigDecimal("-7.00"));
    collector.add(builder.build());
    ColumnStatistics stats = collector.result();
    assertThat(stats.ndv()).isEqualTo(2);
    assertThat(stats.min()).isEqualTo("-7.00");
    assertThat(stats.max()).isEqualTo("1.50");
    assertThat(stats.high()).isEqualTo(1.5);
  }

  @Test
  void datesAndDatetimesPrintAsSqlText() {
    ColumnStatisticsCollector dates = new ColumnStatisticsCollector(1, "d", DataType.DATE);
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.DATE);
    builder.appendObject(LocalDate.of(1995, 3, 15));
    builder.appendObject(LocalDate.of(1992, 1, 2));
    dates.add(builder.build());
    assertThat(dates.result().min()).isEqualTo("1992-01-02");
    assertThat(dates.result().high()).isEqualTo((double) LocalDate.of(1995, 3, 15).toEpochDay());

    ColumnStatisticsCollector times = new ColumnStatisticsCollector(2, "t", DataType.DATETIME);
    ColumnVectorBuilder timeBuilder = new ColumnVectorBuilder(DataType.DATETIME);
    timeBuilder.appendObject(LocalDateTime.of(2024, 5, 6, 7, 8, 9));
    times.add(timeBuilder.build());
    assertThat(times.result().max()).isEqualTo("2024-05-06 07:08:09");
  }

  @Test
  void onlyNullsHaveNoBounds() {
    ColumnStatisticsCollector collector = new ColumnStatisticsCollector(1, "x", DataType.DOUBLE);
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.DOUBLE);
    builder.appendNull();
    builder.appendNull();
    collector.add(builder.build());
    ColumnStatistics stats = collector.result();
    assertThat(stats.ndv()).isZero();
    assertThat(stats.nullCount()).isEqualTo(2);
    assertThat(stats.min()).isNull();
    assertThat(stats.low()).isNull();
  }

  @Test
  void negativeZeroIsZero() {
    ColumnStatisticsCollector collector = new ColumnStatisticsCollector(1, "x", DataType.DOUBLE);
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.DOUBLE);
    builder.appendDouble(-0.0);
    builder.appendDouble(0.0);
    builder.appendDouble(2.5);
    collector.add(builder.build());
    ColumnStatistics stats = collector.result();
    assertThat(stats.ndv()).isEqualTo(2);
    assertThat(stats.min()).isEqualTo("0.0");
  }
}
