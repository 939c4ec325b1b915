package dev.basalt.sql.ddl;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.ArrayList;
import java.util.List;

/** Builds the small result set of a SHOW statement row by row. Used by one thread. */
final class ShowRows {
  static final DataType TEXT = DataType.varchar(DataType.MAX_VARCHAR_LENGTH);

  private final List<ResultColumn> columns = new ArrayList<>();
  private final List<ColumnVectorBuilder> builders = new ArrayList<>();
  private int rowCount;

  /** Text columns named {@code names}. */
  static ShowRows text(String... names) {
    ShowRows rows = new ShowRows();
    for (String name : names) {
      rows.column(name, TEXT);
    }
    return rows;
  }

  ShowRows column(String name, DataType type) {
    columns.add(ResultColumn.computed(name, type));
    builders.add(new ColumnVectorBuilder(type));
    return this;
  }

  /** Appends a row of values in the representation of {@code Values}; {@code null} is NULL. */
  ShowRows row(Object... values) {
    if (values.length != builders.size()) {
      throw new IllegalArgumentException(
          values.length + " values for " + builders.size() + " columns");
    }
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      if (value instanceof Integer number) {
        value = number.longValue();
      }
      builders.get(i).appendObject(value);
    }
    rowCount++;
    return this;
  }

  ResultSet build() {
    if (rowCount == 0) {
      return new ResultSet(columns, BatchStream.of(List.of()));
    }
    List<ColumnVector> vectors = new ArrayList<>();
    for (ColumnVectorBuilder builder : builders) {
      vectors.add(builder.build());
    }
    return new ResultSet(columns, BatchStream.of(List.of(new Batch(vectors, rowCount))));
  }
}
