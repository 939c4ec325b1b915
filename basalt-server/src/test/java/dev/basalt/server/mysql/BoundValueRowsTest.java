package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binary COM_STMT_EXECUTE parameters, and COM_STMT_BULK_EXECUTE parameter sets, read into typed
 * columns.
 */
class BoundValueRowsTest {

  /** One parameter: its wire type (with 0x8000 when unsigned) and its value's bytes, or null. */
  private record Parameter(int type, byte[] value) {}

  private static Parameter longLong(long value, boolean unsigned) {
    byte[] bytes = new byte[8];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (value >>> (8 * i));
    }
    return new Parameter(TYPE_LONGLONG | (unsigned ? 0x8000 : 0), bytes);
  }

  private static Parameter tiny(int value, boolean unsigned) {
    return new Parameter(TYPE_TINY | (unsigned ? 0x8000 : 0), new byte[] {(byte) value});
  }

  private static Parameter doubleValue(double value) {
    Parameter bits = longLong(Double.doubleToLongBits(value), false);
    return new Parameter(TYPE_DOUBLE, bits.value());
  }

  private static Parameter text(int type, byte[] bytes) {
    byte[] value = new byte[bytes.length + 1];
    value[0] = (byte) bytes.length;
    System.arraycopy(bytes, 0, value, 1, bytes.length);
    return new Parameter(type, value);
  }

  private static Parameter string(String value) {
    return text(TYPE_VAR_STRING, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Parameter decimal(String value) {
    return text(TYPE_NEWDECIMAL, value.getBytes(StandardCharsets.US_ASCII));
  }

  private static Parameter time(int hours, int minutes, int seconds) {
    return new Parameter(
        TYPE_TIME, new byte[] {8, 0, 0, 0, 0, 0, (byte) hours, (byte) minutes, (byte) seconds});
  }

  private static Parameter nullValue() {
    return new Parameter(TYPE_VAR_STRING, null);
  }

  /** The values of one row converted to {@code types}, as text. */
  private static List<String> row(List<DataType> types, Parameter... parameters) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    byte[] nulls = new byte[(parameters.length + 7) / 8];
    int[] wireTypes = new int[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      wireTypes[i] = parameters[i].type();
      if (parameters[i].value() == null) {
        nulls[i / 8] |= (byte) (1 << (i % 8));
      }
    }
    payload.writeBytes(nulls);
    for (Parameter parameter : parameters) {
      if (parameter.value() != null) {
        payload.writeBytes(parameter.value());
      }
    }
    BoundValueRows rows =
        new BoundValueRows(payload.toByteArray(), 0, nulls.length, wireTypes, parameters.length, 1);
    String[] names = new String[types.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = "c" + i;
    }
    List<String> values = new ArrayList<>();
    try (BatchStream batches = rows.batches(types.toArray(DataType[]::new), names)) {
      Batch batch = batches.next();
      for (int i = 0; i < types.size(); i++) {
        values.add(String.valueOf(batch.column(i).getObject(0)));
      }
      assertThat(batches.next()).isNull();
    }
    return values;
  }

  @Test
  void valuesConvertToTheirColumnsTypes() {
    assertThat(
            row(
                List.of(
                    DataType.BIGINT,
                    DataType.decimal(15, 2),
                    DataType.varchar(10),
                    DataType.DATE,
                    DataType.SMALLINT,
                    DataType.INT,
                    DataType.DOUBLE,
                    DataType.decimal(5, 2),
                    DataType.decimal(5, 2),
                    DataType.varchar(10),
                    DataType.INT,
                    DataType.decimal(38, 10)),
                longLong(42, false),
                decimal("12.345"),
                string("héllo 🙂"),
                string("2024-02-29"),
                tiny(255, true),
                tiny(-1, false),
                doubleValue(1.5),
                doubleValue(1.5),
                longLong(7, false),
                time(13, 5, 9),
                nullValue(),
                decimal("-12345678901234567890.0123456789")))
        .containsExactly(
            "42",
            "12.35",
            "héllo 🙂",
            "2024-02-29",
            "255",
            "-1",
            "1.5",
            "1.50",
            "7.00",
            "13:05:09",
            "null",
            "-12345678901234567890.0123456789");
  }

  /**
   * Rows past the sample the string columns are sized from: short strings first, then longer and
   * NULL ones than the sample promised, over two batches; every value reads back as bound.
   */
  @Test
  void stringsOfManyRowsReadBackWhateverTheSampleSuggested() {
    int rowCount = BoundValueRows.BATCH_ROWS + 904;
    int width = 3;
    List<Parameter> parameters = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int row = 0; row < rowCount; row++) {
      String shortText = row < 100 ? "s" + (row % 10) : "longer text " + "x".repeat(row % 200);
      String other = row % 7 == 0 ? null : "v" + row;
      parameters.add(longLong(row, false));
      parameters.add(string(shortText));
      parameters.add(other == null ? nullValue() : string(other));
      expected.add(row + "|" + shortText + "|" + other);
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    byte[] nulls = new byte[(parameters.size() + 7) / 8];
    int[] wireTypes = new int[parameters.size()];
    for (int i = 0; i < parameters.size(); i++) {
      wireTypes[i] = parameters.get(i).type();
      if (parameters.get(i).value() == null) {
        nulls[i / 8] |= (byte) (1 << (i % 8));
      }
    }
    payload.writeBytes(nulls);
    for (Parameter parameter : parameters) {
      if (parameter.value() != null) {
        payload.writeBytes(parameter.value());
      }
    }
    BoundValueRows rows =
        new BoundValueRows(payload.toByteArray(), 0, nulls.length, wireTypes, width, rowCount);
    List<String> actual = new ArrayList<>();
    try (BatchStream batches =
        rows.batches(
            new DataType[] {DataType.BIGINT, DataType.varchar(300), DataType.STRING},
            new String[] {"k", "a", "b"})) {
      for (Batch batch = batches.next(); batch != null; batch = batches.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          actual.add(
              batch.column(0).getObject(row)
                  + "|"
                  + batch.column(1).getObject(row)
                  + "|"
                  + batch.column(2).getObject(row));
        }
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void aValueOutsideItsColumnsRangeFailsWithItsRow() {
    assertThatThrownBy(() -> row(List.of(DataType.BIGINT), longLong(-1, true)))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("for column 'c0' at row 1");
    assertThatThrownBy(() -> row(List.of(DataType.decimal(5, 2)), longLong(100_000, false)))
        .hasMessageContaining("'100000' for column 'c0' at row 1");
    assertThatThrownBy(() -> row(List.of(DataType.decimal(5, 2)), decimal("1000.00")))
        .hasMessageContaining("'1000.00' for column 'c0'");
    assertThatThrownBy(() -> row(List.of(DataType.TINYINT), longLong(128, false)))
        .hasMessageContaining("'128' for column 'c0'");
  }

  @Test
  void stringsThatAreNotUtf8AreRefused() {
    assertThatThrownBy(
            () ->
                row(
                    List.of(DataType.varchar(10)),
                    text(TYPE_VAR_STRING, new byte[] {'a', (byte) 0xC3, 'b'})))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("Invalid utf8mb4 character string: 'C3");
    // Longer strings are checked eight bytes at a time: a bad byte past the first word, and a
    // valid multi-byte character straddling a word boundary.
    byte[] longBad = "abcdefghijklmnopq?rs".getBytes(StandardCharsets.US_ASCII);
    longBad[17] = (byte) 0xC3;
    assertThatThrownBy(() -> row(List.of(DataType.varchar(40)), text(TYPE_VAR_STRING, longBad)))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("Invalid utf8mb4 character string: 'C3'");
    assertThat(row(List.of(DataType.varchar(40)), string("abcdefgé and more 🙂 text")))
        .containsExactly("abcdefgé and more 🙂 text");
  }

  /**
   * A bulk packet's parameter sets for {@code INSERT ... VALUES (?, ?), (?, ?)}: each set binds
   * both rows, NULLs come as indicator bytes, and the parameter index wraps at the statement's four
   * placeholders (the second set's types are the first set's).
   */
  @Test
  void bulkParameterSetsBecomeRowsOfTheirTemplate() {
    Parameter[] set = {longLong(1, false), string("one"), longLong(2, false), string("two")};
    int[] wireTypes = new int[set.length];
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (int s = 0; s < 3; s++) {
      for (int i = 0; i < set.length; i++) {
        wireTypes[i] = set[i].type();
        if (s == 1 && i == 1) {
          payload.write(BULK_NULL);
        } else {
          payload.write(BULK_VALUE);
          payload.writeBytes(set[i].value());
        }
      }
    }
    byte[] bytes = payload.toByteArray();
    BoundValueRows rows = BoundValueRows.ofBulk(bytes, 0, wireTypes, 2);
    assertThat(rows.rowCount()).isEqualTo(6);
    List<String> read = new ArrayList<>();
    try (BatchStream batches =
        rows.batches(
            new DataType[] {DataType.BIGINT, DataType.varchar(5)}, new String[] {"k", "v"})) {
      Batch batch = batches.next();
      for (int row = 0; row < batch.rowCount(); row++) {
        read.add(batch.column(0).getObject(row) + "=" + batch.column(1).getObject(row));
      }
      assertThat(batches.next()).isNull();
    }
    assertThat(read).containsExactly("1=one", "2=two", "1=null", "2=two", "1=one", "2=two");

    assertThatThrownBy(
            () ->
                BoundValueRows.ofBulk(
                    java.util.Arrays.copyOf(bytes, bytes.length - 2), 0, wireTypes, 2))
        .isInstanceOf(MalformedPacketException.class);
    ByteArrayOutputStream withDefault = new ByteArrayOutputStream();
    withDefault.write(BULK_DEFAULT); // no value follows a DEFAULT
    for (int i = 1; i < set.length; i++) {
      withDefault.write(BULK_VALUE);
      withDefault.writeBytes(set[i].value());
    }
    assertThatThrownBy(() -> BoundValueRows.ofBulk(withDefault.toByteArray(), 0, wireTypes, 2))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("DEFAULT and IGNORE indicators");
  }
}
