package dev.basalt.sql.ddl;

import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.TableMeta;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The text of {@code SHOW CREATE TABLE} in Doris 2.1's format. Stateless. */
final class CreateTableFormatter {
  private CreateTableFormatter() {}

  static String format(TableMeta table) {
    StringBuilder text = new StringBuilder();
    text.append("CREATE TABLE `").append(table.name()).append("` (\n");
    // A hidden sequence column is left out: the sequence_type property recreates it.
    List<ColumnMeta> visibleColumns = HiddenColumns.visible(table);
    for (int i = 0; i < visibleColumns.size(); i++) {
      text.append("  ").append(column(visibleColumns.get(i)));
      text.append(i + 1 < visibleColumns.size() ? ",\n" : "\n");
    }
    text.append(") ENGINE=OLAP\n");
    if (!table.keyColumns().isEmpty()) {
      text.append(table.keysType().sqlName())
          .append(" KEY(")
          .append(backticked(table.keyColumns()))
          .append(")\n");
    }
    text.append("COMMENT ")
        .append(quote(table.comment().isEmpty() ? "OLAP" : table.comment(), '\''))
        .append('\n');
    if (table.partitioning().kind() != PartitionKind.NONE) {
      String columns = backticked(table.partitioning().columns());
      if (!table.partitioning().autoTimeUnit().isEmpty()) {
        columns =
            "date_trunc("
                + columns
                + ", '"
                + table.partitioning().autoTimeUnit().toLowerCase(java.util.Locale.ROOT)
                + "')";
      }
      text.append(table.partitioning().auto() ? "AUTO PARTITION BY " : "PARTITION BY ")
          .append(table.partitioning().kind())
          .append('(')
          .append(columns)
          .append(")\n(");
      List<PartitionMeta> partitions = table.partitions();
      if (partitions.isEmpty()) {
        text.append(")\n");
      }
      for (int i = 0; i < partitions.size(); i++) {
        text.append(partition(table, partitions.get(i)));
        text.append(i + 1 < partitions.size() ? ",\n" : ")\n");
      }
    }
    Distribution distribution = table.distribution();
    text.append("DISTRIBUTED BY ");
    if (distribution.kind() == DistributionKind.HASH) {
      text.append("HASH(").append(backticked(distribution.columns())).append(')');
    } else {
      text.append("RANDOM");
    }
    text.append(" BUCKETS ")
        .append(distribution.autoBuckets() ? "AUTO" : String.valueOf(distribution.bucketCount()))
        .append('\n');
    text.append("PROPERTIES (\n");
    Map<String, String> properties =
        TableProperties.forDisplay(table.properties(), table.keysType() == KeysType.UNIQUE_KEYS);
    text.append(
        properties.entrySet().stream()
            .map(e -> quote(e.getKey(), '"') + " = " + quote(e.getValue(), '"'))
            .collect(Collectors.joining(",\n")));
    text.append("\n);");
    return text.toString();
  }

  static String column(ColumnMeta column) {
    StringBuilder text = new StringBuilder();
    text.append('`').append(column.name()).append("` ").append(column.type().sqlName());
    if (column.aggregation() != AggregationType.NONE) {
      text.append(' ').append(column.aggregation());
    }
    text.append(column.nullable() ? " NULL" : " NOT NULL");
    if (column.autoIncrement()) {
      text.append(" AUTO_INCREMENT(").append(column.autoIncrementStart()).append(')');
    }
    DefaultValue defaultValue = column.defaultValue();
    switch (defaultValue.kind()) {
      case NULL -> text.append(" DEFAULT NULL");
      case LITERAL -> text.append(" DEFAULT ").append(quote(defaultValue.literal(), '"'));
      case CURRENT_TIMESTAMP ->
          text.append(" DEFAULT CURRENT_TIMESTAMP")
              .append(defaultValue.precision() > 0 ? "(" + defaultValue.precision() + ")" : "");
      case NONE -> {}
    }
    if (!column.comment().isEmpty()) {
      text.append(" COMMENT ").append(quote(column.comment(), '\''));
    }
    return text.toString();
  }

  private static String partition(TableMeta table, PartitionMeta partition) {
    String prefix = "PARTITION " + partition.name() + " VALUES ";
    if (table.partitioning().kind() == PartitionKind.LIST) {
      boolean single = table.partitioning().columns().size() == 1;
      String values =
          partition.listValues().stream()
              .map(tuple -> single ? quote(tuple.get(0), '"') : "(" + quotedList(tuple) + ")")
              .collect(Collectors.joining(","));
      return prefix + "IN (" + values + ")";
    }
    String lower =
        partition.lowerBound().isEmpty() ? minimums(table) : quotedList(partition.lowerBound());
    String upper =
        partition.upperBound().isEmpty() ? "MAXVALUE" : quotedList(partition.upperBound());
    return prefix + "[(" + lower + "), (" + upper + "))";
  }

  private static String minimums(TableMeta table) {
    return table.partitioning().columns().stream()
        .map(c -> quote(PartitionValues.minimum(table.column(c).orElseThrow().type()), '"'))
        .collect(Collectors.joining(", "));
  }

  private static String quotedList(List<String> values) {
    return values.stream().map(v -> quote(v, '"')).collect(Collectors.joining(", "));
  }

  static String backticked(List<String> names) {
    return names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
  }

  static String quote(String value, char quote) {
    return quote + value.replace("\\", "\\\\").replace(String.valueOf(quote), "\\" + quote) + quote;
  }
}
