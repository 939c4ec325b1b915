package dev.basalt.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The literal fast path of INSERT: what it reads, into which types, and what it leaves. */
class LiteralRowsTest {
  private static final DataType[] TYPES = {
    DataType.BIGINT, DataType.decimal(6, 2), DataType.varchar(10), DataType.DATE
  };
  private static final String[] NAMES = {"id", "price", "note", "day"};

  @Test
  void rowsAreReadIntoTheColumnsTypesInBatches() {
    StringBuilder source = new StringBuilder("VALUES ");
    int rows = LiteralRows.BATCH_ROWS + 3;
    for (int i = 0; i < rows; i++) {
      source.append(i == 0 ? "" : ",\n ").append("(").append(i).append(", '1.005', ");
      source.append(i % 2 == 0 ? "'it\\'s'" : "NULL").append(", '2024-01-02')");
    }
    LiteralRows literals = LiteralRows.of(source + " ; ");
    assertThat(literals).isNotNull();
    assertThat(literals.width()).isEqualTo(4);
    assertThat(literals.rowCount()).isEqualTo(rows);
    BatchStream batches = literals.batches(TYPES, NAMES);
    Batch first = batches.next();
    assertThat(first.rowCount()).isEqualTo(LiteralRows.BATCH_ROWS);
    assertThat(first.column(0).type()).isEqualTo(DataType.BIGINT);
    assertThat(first.column(1).getObject(0)).isEqualTo(new BigDecimal("1.01"));
    assertThat(first.column(2).getObject(0)).isEqualTo("it's");
    assertThat(first.column(2).isNull(1)).isTrue();
    assertThat(first.column(3).getObject(0)).isEqualTo(LocalDate.of(2024, 1, 2));
    Batch last = batches.next();
    assertThat(last.rowCount()).isEqualTo(3);
    assertThat(last.column(0).getObject(2)).isEqualTo((long) rows - 1);
    assertThat(batches.next()).isNull();
  }

  @Test
  void aStatementOfMoreValuesThanArePlacedIsScannedAgainAlike() {
    // 17,000 rows of 4 values: more than the checking pass records, so the reading pass scans.
    int rows = 17_000;
    StringBuilder source = new StringBuilder("VALUES ");
    for (int i = 0; i < rows; i++) {
      source.append(i == 0 ? "" : ", ").append("(").append(i).append(", -").append(i % 1000);
      source.append(".5, 'a\\\\b''").append(i).append("', '2024-01-02')");
    }
    LiteralRows literals = LiteralRows.of(source.toString());
    BatchStream batches = literals.batches(TYPES, NAMES);
    long row = 0;
    for (Batch batch = batches.next(); batch != null; batch = batches.next()) {
      for (int r = 0; r < batch.rowCount(); r++, row++) {
        assertThat(batch.column(0).getObject(r)).isEqualTo(row);
        assertThat(batch.column(1).getObject(r))
            .isEqualTo(new BigDecimal("-" + (row % 1000) + ".50"));
        assertThat(batch.column(2).getObject(r)).isEqualTo("a\\b'" + row);
        assertThat(batch.column(3).getObject(r)).isEqualTo(LocalDate.of(2024, 1, 2));
      }
    }
    assertThat(row).isEqualTo(rows);
  }

  @Test
  void aValueThatDoesNotConvertNamesItsRow() {
    LiteralRows literals = LiteralRows.of("VALUES (1, 2, 'a', '2024-01-01'), (2, 3, 'b', 'x')");
    BatchStream batches = literals.batches(TYPES, NAMES);
    assertThatThrownBy(batches::next)
        .isInstanceOf(BasaltException.class)
        .hasMessage("Incorrect date value: 'x' for column 'day' at row 2");
  }

  @Test
  void aRowOfAnotherWidthIsAColumnCountMismatchAtThatRow() {
    assertThatThrownBy(() -> LiteralRows.of("VALUES (1, 2), (3)"))
        .hasMessage("Column count doesn't match value count at row 2");
  }

  @Test
  void everythingElseIsLeftToThePlanner() {
    for (String source :
        new String[] {
          "VALUES (1 + 1)",
          "VALUES (now())",
          "VALUES (_binary'x')",
          "VALUES (X'41')",
          "VALUES (1) /* comment */",
          "VALUES (- 1)",
          "VALUES (1",
          "VALUES (1) x",
          "VALUES ('open)",
          "VALUES (NULLS)",
          "VALUES (" + "9".repeat(DataType.MAX_DECIMAL_PRECISION + 1) + ")",
          "SELECT 1",
          "VALUES ()"
        }) {
      assertThat(LiteralRows.of(source)).as(source).isNull();
    }
  }
}
