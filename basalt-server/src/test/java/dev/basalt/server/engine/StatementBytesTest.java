package dev.basalt.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.sql.parser.DorisParser;
import dev.basalt.sql.parser.Statement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Literals read in place from the bytes a client sent (a COM_QUERY payload): the same rows as from
 * the statement's text, for every kind of literal, and nothing read outside the statement's bytes.
 */
class StatementBytesTest {
  private static final DataType[] TYPES = {
    DataType.TINYINT,
    DataType.BIGINT,
    DataType.decimal(8, 2),
    DataType.DOUBLE,
    DataType.BOOLEAN,
    DataType.varchar(20),
    DataType.STRING,
    DataType.DATE,
    DataType.DATETIME
  };
  private static final String[] NAMES = {"t", "b", "d", "x", "f", "v", "s", "day", "at"};

  private static final String VALUES =
      "VALUES (-128, -9223372036854775807, -12.5, -1.5e-3, TRUE, 'it\\'s ''q''', \"é\\n\\t\\\\\","
          + " '2024-02-29', '2024-02-29 23:59:58'),\n"
          + "(127, 0, 0.005, 1E10, false, '日本語 ✓', '𝄞 clef', \"2000-01-01\", '1999-12-31 00:00:00'),"
          + " (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

  @Test
  void literalsReadFromThePacketAreTheLiteralsOfTheText() {
    for (String sql :
        List.of(
            "INSERT INTO t VALUES (1)",
            "INSERT INTO t " + VALUES,
            "  \n\tINSERT INTO `tâble` (t, b, d, x, f, v, s, day, at) " + VALUES + "  \n",
            "INSERT INTO `表` (`列`, b, d, x, f, v, s, day, at) " + VALUES)) {
      Statement.Insert insert = (Statement.Insert) DorisParser.parse(sql.strip());
      byte[] utf8 = sql.getBytes(StandardCharsets.UTF_8);
      // The payload's command byte before the text, and bytes after the statement that must not
      // be read (a packet buffer may be larger than its statement).
      byte[] payload = new byte[1 + utf8.length + 8];
      payload[0] = 3;
      System.arraycopy(utf8, 0, payload, 1, utf8.length);
      Arrays.fill(payload, 1 + utf8.length, payload.length, (byte) ',');
      int lead = sql.length() - sql.stripLeading().length();
      StatementBytes bytes = new StatementBytes(sql, lead, payload, 1);
      LiteralRows inPlace = bytes.literalRows(insert.source(), insert.sourceOffset());
      LiteralRows fromText = LiteralRows.of(insert.source());
      assertThat(inPlace).as(sql).isNotNull();
      assertThat(inPlace.width()).isEqualTo(fromText.width());
      assertThat(inPlace.rowCount()).isEqualTo(fromText.rowCount());
      DataType[] types = Arrays.copyOf(TYPES, inPlace.width());
      String[] names = Arrays.copyOf(NAMES, inPlace.width());
      assertThat(rows(inPlace.batches(types, names)))
          .as(sql)
          .isEqualTo(rows(fromText.batches(types, names)));
    }
  }

  @Test
  void everyKindOfLiteralReadsAsItsValue() {
    String sql = "INSERT INTO t " + VALUES;
    Statement.Insert insert = (Statement.Insert) DorisParser.parse(sql);
    byte[] utf8 = sql.getBytes(StandardCharsets.UTF_8);
    List<List<Object>> rows =
        rows(
            new StatementBytes(sql, 0, utf8, 0)
                .literalRows(insert.source(), insert.sourceOffset())
                .batches(TYPES, NAMES));
    assertThat(rows.get(0))
        .containsExactly(
            -128L,
            -9223372036854775807L,
            new BigDecimal("-12.50"),
            -1.5e-3,
            true,
            "it's 'q'",
            "é\n\t\\",
            LocalDate.of(2024, 2, 29),
            LocalDateTime.of(2024, 2, 29, 23, 59, 58));
    assertThat(rows.get(1))
        .containsExactly(
            127L,
            0L,
            new BigDecimal("0.01"),
            1e10,
            false,
            "日本語 ✓",
            "𝄞 clef",
            LocalDate.of(2000, 1, 1),
            LocalDateTime.of(1999, 12, 31, 0, 0));
    assertThat(rows.get(2)).containsOnlyNulls().hasSize(TYPES.length);
  }

  @Test
  void aSourceThatIsNotAllLiteralsIsLeftToThePlannerAlsoFromBytes() {
    for (String sql :
        List.of(
            "INSERT INTO t VALUES (1 + 1)",
            "INSERT INTO t VALUES (- 1)",
            "INSERT INTO t VALUES (now())",
            "INSERT INTO t VALUES ('日本', concat('a', 'b'))",
            "INSERT INTO t VALUES (1) /* comment */",
            "INSERT INTO t VALUES ('open)")) {
      Statement.Insert insert = (Statement.Insert) DorisParser.parse(sql);
      byte[] utf8 = sql.getBytes(StandardCharsets.UTF_8);
      // A closing parenthesis right after the statement's bytes must not complete it.
      byte[] payload = Arrays.copyOf(utf8, utf8.length + 2);
      payload[utf8.length] = '\'';
      payload[utf8.length + 1] = ')';
      assertThat(
              new StatementBytes(sql, 0, payload, 0)
                  .literalRows(insert.source(), insert.sourceOffset()))
          .as(sql)
          .isNull();
    }
  }

  private static List<List<Object>> rows(BatchStream batches) {
    List<List<Object>> rows = new ArrayList<>();
    for (Batch batch = batches.next(); batch != null; batch = batches.next()) {
      for (int r = 0; r < batch.rowCount(); r++) {
        List<Object> row = new ArrayList<>();
        for (int c = 0; c < batch.columnCount(); c++) {
          row.add(batch.column(c).getObject(r));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
