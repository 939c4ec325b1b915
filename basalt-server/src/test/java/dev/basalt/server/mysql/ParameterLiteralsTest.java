package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParameterLiteralsTest {

  private static String read(int type, boolean unsigned, int... bytes) {
    byte[] payload = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      payload[i] = (byte) bytes[i];
    }
    PayloadReader reader = new PayloadReader(payload);
    String literal = ParameterLiterals.read(reader, type, unsigned);
    assertThat(reader.hasRemaining()).as("all bytes consumed").isFalse();
    return literal;
  }

  @Test
  void integersSignedAndUnsigned() {
    assertThat(read(TYPE_TINY, false, 0xFF)).isEqualTo("-1");
    assertThat(read(TYPE_TINY, true, 0xFF)).isEqualTo("255");
    assertThat(read(TYPE_SHORT, false, 0x00, 0x80)).isEqualTo("-32768");
    assertThat(read(TYPE_LONG, false, 0xFF, 0xFF, 0xFF, 0x7F)).isEqualTo("2147483647");
    assertThat(read(TYPE_LONG, true, 0xFF, 0xFF, 0xFF, 0xFF)).isEqualTo("4294967295");
    assertThat(read(TYPE_LONGLONG, false, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
        .isEqualTo("-1");
    assertThat(read(TYPE_LONGLONG, true, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
        .isEqualTo("18446744073709551615");
  }

  @Test
  void floatingPointAndDecimals() {
    int floatBits = Float.floatToIntBits(0.1f);
    assertThat(read(TYPE_FLOAT, false, floatBits, floatBits >> 8, floatBits >> 16, floatBits >> 24))
        .isEqualTo("0.1");
    long doubleBits = Double.doubleToLongBits(-2.5e20);
    int[] bytes = new int[8];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (int) (doubleBits >> (8 * i));
    }
    assertThat(read(TYPE_DOUBLE, false, bytes)).isEqualTo("-2.5e+20");
    assertThat(read(TYPE_NEWDECIMAL, false, 5, '-', '1', '.', '5', '0')).isEqualTo("-1.50");
    assertThat(read(TYPE_NEWDECIMAL, false, 3, '1', ';', 'x')).isEqualTo("'1;x'");
  }

  @Test
  void temporalValues() {
    assertThat(read(TYPE_DATE, false, 4, 0xE8, 0x07, 2, 29)).isEqualTo("'2024-02-29'");
    assertThat(read(TYPE_DATE, false, 0)).isEqualTo("'0000-00-00'");
    assertThat(read(TYPE_DATETIME, false, 4, 0xE8, 0x07, 2, 29)).isEqualTo("'2024-02-29 00:00:00'");
    assertThat(read(TYPE_TIMESTAMP, false, 7, 0xE8, 0x07, 2, 29, 13, 45, 10))
        .isEqualTo("'2024-02-29 13:45:10'");
    // 123456 microseconds = 0x01E240
    assertThat(read(TYPE_DATETIME, false, 11, 0xE8, 0x07, 2, 29, 13, 45, 10, 0x40, 0xE2, 0x01, 0))
        .isEqualTo("'2024-02-29 13:45:10.123456'");
    assertThat(read(TYPE_TIME, false, 8, 1, 1, 0, 0, 0, 2, 3, 4)).isEqualTo("'-26:03:04'");
    assertThat(read(TYPE_TIME, false, 12, 0, 0, 0, 0, 0, 10, 0, 0, 1, 0, 0, 0))
        .isEqualTo("'10:00:00.000001'");
    assertThat(read(TYPE_TIME, false, 0)).isEqualTo("'00:00:00'");
  }

  @Test
  void stringsAreQuotedSoThatNoInputEndsTheLiteral() {
    assertThat(ParameterLiterals.quote("it's")).isEqualTo("'it''s'");
    assertThat(ParameterLiterals.quote("a\\' OR 1=1 -- ")).isEqualTo("'a\\\\'' OR 1=1 -- '");
    assertThat(ParameterLiterals.quote("nul\0byte")).isEqualTo("'nul\\0byte'");
    assertThat(ParameterLiterals.quote("héllo 🙂")).isEqualTo("'héllo 🙂'");
  }

  @Test
  void stringTypesReadLengthEncodedBytesAndNonUtf8BecomesHex() {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    byte[] text = "x'y".getBytes(StandardCharsets.UTF_8);
    payload.write(text.length);
    payload.writeBytes(text);
    payload.write(2);
    payload.write(0xFF);
    payload.write(0x00);
    PayloadReader reader = new PayloadReader(payload.toByteArray());
    assertThat(ParameterLiterals.read(reader, TYPE_VAR_STRING, false)).isEqualTo("'x''y'");
    assertThat(ParameterLiterals.read(reader, TYPE_BLOB, false)).isEqualTo("X'FF00'");
    assertThat(reader.hasRemaining()).isFalse();
  }

  @Test
  void nullType() {
    assertThat(read(TYPE_NULL, false)).isEqualTo("NULL");
  }
}
