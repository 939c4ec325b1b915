package dev.basalt.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The single-row literal fast path of INSERT: what it reads, and what it leaves to the planner. */
class LiteralValuesTest {
  @Test
  void oneRowOfPlainLiteralsIsReadWithThePlannersTypes() {
    Batch row = LiteralValues.parse(" values (1, -7, 3000000000, 1.50, -0.05, 'it''s', 'naïve') ");
    assertThat(row).isNotNull();
    assertThat(row.rowCount()).isEqualTo(1);
    assertThat(row.column(0).type()).isEqualTo(DataType.INT);
    assertThat(row.column(0).getObject(0)).isEqualTo(1L);
    assertThat(row.column(1).getObject(0)).isEqualTo(-7L);
    assertThat(row.column(2).type()).isEqualTo(DataType.BIGINT);
    assertThat(row.column(3).type()).isEqualTo(DataType.decimal(3, 2));
    assertThat(row.column(3).getObject(0)).isEqualTo(new BigDecimal("1.50"));
    assertThat(row.column(4).type()).isEqualTo(DataType.decimal(2, 2));
    assertThat(row.column(5).type()).isEqualTo(DataType.character(4));
    assertThat(row.column(5).getObject(0)).isEqualTo("it's");
    assertThat(row.column(6).type()).isEqualTo(DataType.character(5));
    assertThat(row.column(6).getObject(0)).isEqualTo("naïve");
    assertThat(LiteralValues.parse("VALUES(2,'x');")).isNotNull();
  }

  @Test
  void everythingElseIsLeftToThePlanner() {
    for (String source :
        new String[] {
          "VALUES (1), (2)",
          "VALUES (1 + 1)",
          "VALUES (NULL)",
          "VALUES ('a\\\\b')",
          "VALUES ('')",
          "VALUES (1e3)",
          "VALUES (+1)",
          "VALUES (1.)",
          "VALUES (TRUE)",
          "VALUES (99999999999999999999)",
          "VALUES (now())",
          "VALUE (1)",
          "SELECT 1",
          "VALUES (1",
          "VALUES (1) x",
          "VALUES ('" + "y".repeat(256) + "')"
        }) {
      assertThat(LiteralValues.parse(source)).as(source).isNull();
    }
  }
}
