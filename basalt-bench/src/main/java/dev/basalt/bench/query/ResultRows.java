package dev.basalt.bench.query;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a JDBC result into rows of engine-independent values. */
public final class ResultRows {
  private ResultRows() {}

  /** Reads every row of {@code resultSet}, normalizing each value. */
  public static List<List<Object>> read(ResultSet resultSet) throws SQLException {
    int columnCount = resultSet.getMetaData().getColumnCount();
    List<List<Object>> rows = new ArrayList<>();
    while (resultSet.next()) {
      List<Object> row = new ArrayList<>(columnCount);
      for (int column = 1; column <= columnCount; column++) {
        row.add(normalize(resultSet.getObject(column)));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The column labels of {@code resultSet}. */
  public static List<String> columnNames(ResultSet resultSet) throws SQLException {
    ResultSetMetaData metaData = resultSet.getMetaData();
    List<String> names = new ArrayList<>();
    for (int column = 1; column <= metaData.getColumnCount(); column++) {
      names.add(metaData.getColumnLabel(column));
    }
    return names;
  }

  /**
   * Numbers become {@link BigDecimal} (so that an integer from one engine equals a decimal from the
   * other), text loses trailing blanks (CHAR padding differs between engines), dates and anything
   * else become their {@code toString()}; {@code null} stays {@code null}.
   */
  public static Object normalize(Object value) {
    return switch (value) {
      case null -> null;
      case BigDecimal decimal -> decimal;
      case Long number -> BigDecimal.valueOf(number);
      case Integer number -> BigDecimal.valueOf(number);
      case Short number -> BigDecimal.valueOf(number);
      case Byte number -> BigDecimal.valueOf(number);
      case java.math.BigInteger number -> new BigDecimal(number);
      case Double number when Double.isFinite(number) -> new BigDecimal(number.toString());
      case Float number when Float.isFinite(number) -> new BigDecimal(number.toString());
      case String text -> text.stripTrailing();
      default -> value.toString().stripTrailing();
    };
  }
}
