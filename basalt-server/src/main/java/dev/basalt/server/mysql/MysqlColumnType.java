package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;

import dev.basalt.common.type.DataType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a Basalt {@link DataType} is described in a MySQL column definition: wire type, charset,
 * column length, flags and decimals.
 *
 * <table>
 *   <caption>Type mapping</caption>
 *   <tr><th>Basalt</th><th>MySQL type</th><th>length</th><th>notes</th></tr>
 *   <tr><td>BOOLEAN</td><td>TINY</td><td>1</td><td>both drivers read TINY(1) as Boolean</td></tr>
 *   <tr><td>TINYINT / SMALLINT / INT / BIGINT</td><td>TINY / SHORT / LONG / LONGLONG</td><td>4 / 6 / 11 / 20</td><td></td></tr>
 *   <tr><td>LARGEINT</td><td>STRING, charset 33</td><td>40 characters</td><td>as Doris: drivers return a String
 *       (getLong / getBigDecimal still parse it)</td></tr>
 *   <tr><td>FLOAT / DOUBLE</td><td>FLOAT / DOUBLE</td><td>12 / 22</td><td>decimals 31 (not fixed)</td></tr>
 *   <tr><td>DECIMAL(p, s)</td><td>NEWDECIMAL</td><td>p + 2</td><td>decimals s</td></tr>
 *   <tr><td>DATE</td><td>DATE</td><td>10</td><td></td></tr>
 *   <tr><td>DATETIME(s)</td><td>DATETIME</td><td>19 (+ 1 + s)</td><td>decimals s</td></tr>
 *   <tr><td>CHAR(n) / VARCHAR(n)</td><td>STRING / VAR_STRING, charset 33</td><td>3n bytes</td><td></td></tr>
 *   <tr><td>STRING</td><td>BLOB, charset 33</td><td>2^32 - 1</td><td>a text column: drivers return a String</td></tr>
 *   <tr><td>BITMAP / HLL / QUANTILE_STATE</td><td>STRING, charset 33</td><td>2^32 - 1</td><td>every
 *       value is sent as NULL, as Doris does (read them with their functions)</td></tr>
 *   <tr><td>NULL</td><td>NULL</td><td>0</td><td></td></tr>
 * </table>
 *
 * <p>Numbers and dates carry charset 63 (binary) and (except BOOLEAN) the BINARY flag; numbers the
 * NUM flag; non-nullable columns NOT_NULL. Immutable.
 */
record MysqlColumnType(int type, int charset, long length, int flags, int decimals) {
  private static final long MAX_LENGTH = 0xFFFFFFFFL;
  private static final int MAX_BYTES_PER_CHARACTER = 3;
  private static final int NOT_FIXED_DECIMALS = 31;

  static MysqlColumnType of(DataType dataType, boolean nullable) {
    int nullFlag = nullable ? 0 : FLAG_NOT_NULL;
    int numeric = CHARSET_BINARY;
    int numericFlags = nullFlag | FLAG_BINARY | FLAG_NUM;
    return switch (dataType.kind()) {
      // No BINARY flag: Connector/J would return byte[] instead of Boolean for a "binary" TINY(1).
      case BOOLEAN -> new MysqlColumnType(TYPE_TINY, numeric, 1, nullFlag | FLAG_NUM, 0);
      case TINYINT -> new MysqlColumnType(TYPE_TINY, numeric, 4, numericFlags, 0);
      case SMALLINT -> new MysqlColumnType(TYPE_SHORT, numeric, 6, numericFlags, 0);
      case INT -> new MysqlColumnType(TYPE_LONG, numeric, 11, numericFlags, 0);
      case BIGINT -> new MysqlColumnType(TYPE_LONGLONG, numeric, 20, numericFlags, 0);
      case LARGEINT ->
          new MysqlColumnType(
              TYPE_STRING, CHARSET_UTF8_GENERAL_CI, 40 * MAX_BYTES_PER_CHARACTER, nullFlag, 0);
      case FLOAT -> new MysqlColumnType(TYPE_FLOAT, numeric, 12, numericFlags, NOT_FIXED_DECIMALS);
      case DOUBLE ->
          new MysqlColumnType(TYPE_DOUBLE, numeric, 22, numericFlags, NOT_FIXED_DECIMALS);
      case DECIMAL ->
          new MysqlColumnType(
              TYPE_NEWDECIMAL, numeric, dataType.precision() + 2L, numericFlags, dataType.scale());
      case DATE -> new MysqlColumnType(TYPE_DATE, numeric, 10, nullFlag | FLAG_BINARY, 0);
      case DATETIME ->
          new MysqlColumnType(
              TYPE_DATETIME,
              numeric,
              dataType.scale() > 0 ? 20L + dataType.scale() : 19L,
              nullFlag | FLAG_BINARY,
              dataType.scale());
      case CHAR ->
          new MysqlColumnType(
              TYPE_STRING, CHARSET_UTF8_GENERAL_CI, textLength(dataType.length()), nullFlag, 0);
      case VARCHAR ->
          new MysqlColumnType(
              TYPE_VAR_STRING, CHARSET_UTF8_GENERAL_CI, textLength(dataType.length()), nullFlag, 0);
      case STRING ->
          new MysqlColumnType(TYPE_BLOB, CHARSET_UTF8_GENERAL_CI, MAX_LENGTH, nullFlag, 0);
      case BITMAP, HLL, QUANTILE_STATE ->
          new MysqlColumnType(TYPE_STRING, CHARSET_UTF8_GENERAL_CI, MAX_LENGTH, nullFlag, 0);
      case NULL -> new MysqlColumnType(TYPE_NULL, numeric, 0, FLAG_BINARY, 0);
    };
  }

  private static long textLength(int characters) {
    return Math.min(MAX_LENGTH, (long) Math.max(characters, 1) * MAX_BYTES_PER_CHARACTER);
  }

  private static final Pattern TYPE_NAME =
      Pattern.compile("\\s*([a-z_0-9]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?.*");

  /**
   * The Basalt type of a type name as {@code SHOW FULL COLUMNS} prints it ({@code int}, {@code
   * varchar(20)}, {@code decimal(10,2)}, {@code datetime(3)}, Doris's {@code decimalv3(…)}, {@code
   * datev2} ...), for COM_FIELD_LIST. Unknown names describe themselves as VARCHAR.
   */
  static DataType parseTypeName(String typeName) {
    Matcher matcher = TYPE_NAME.matcher(typeName == null ? "" : typeName.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return DataType.varchar(DataType.MAX_VARCHAR_LENGTH);
    }
    String name = matcher.group(1);
    int first = matcher.group(2) == null ? -1 : Integer.parseInt(matcher.group(2));
    int second = matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3));
    return switch (name) {
      case "boolean", "bool" -> DataType.BOOLEAN;
      case "tinyint" -> first == 1 ? DataType.BOOLEAN : DataType.TINYINT;
      case "smallint" -> DataType.SMALLINT;
      case "int", "integer", "mediumint" -> DataType.INT;
      case "bigint" -> DataType.BIGINT;
      case "largeint" -> DataType.LARGEINT;
      case "float" -> DataType.FLOAT;
      case "double" -> DataType.DOUBLE;
      case "decimal", "decimalv2", "decimalv3", "numeric" ->
          DataType.decimal(first < 0 ? 10 : first, second);
      case "date", "datev2" -> DataType.DATE;
      case "datetime", "datetimev2", "timestamp" -> DataType.datetime(Math.max(first, 0));
      case "char" -> DataType.character(first < 0 ? 1 : first);
      case "varchar" -> DataType.varchar(first < 0 ? DataType.MAX_VARCHAR_LENGTH : first);
      case "string", "text" -> DataType.STRING;
      default -> DataType.varchar(DataType.MAX_VARCHAR_LENGTH);
    };
  }
}
