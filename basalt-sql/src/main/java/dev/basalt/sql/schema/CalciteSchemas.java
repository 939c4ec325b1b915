package dev.basalt.sql.schema;

import dev.basalt.sql.type.CalciteTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * Exposes a {@link SchemaProvider} to Calcite as a root schema with one sub-schema per database.
 */
public final class CalciteSchemas {
  private CalciteSchemas() {}

  public static CalciteSchema root(SchemaProvider provider) {
    CalciteSchema root = CalciteSchema.createRootSchema(false, false);
    for (String database : provider.databaseNames()) {
      root.add(database, new DatabaseSchema(provider, database));
    }
    return root;
  }

  /** The tables of one database, listed lazily when Calcite first asks. */
  private static final class DatabaseSchema extends AbstractSchema {
    private final SchemaProvider provider;
    private final String database;

    DatabaseSchema(SchemaProvider provider, String database) {
      this.provider = provider;
      this.database = database;
    }

    @Override
    protected Map<String, Table> getTableMap() {
      Map<String, Table> tables = new LinkedHashMap<>();
      for (TableDescriptor table : provider.tables(database)) {
        tables.put(table.name(), new BasaltTable(table));
      }
      return tables;
    }

    @Override
    public boolean isMutable() {
      return false;
    }

    @Override
    public Schema snapshot(org.apache.calcite.schema.SchemaVersion version) {
      return this;
    }
  }

  /** A Calcite table backed by a {@link TableDescriptor}; the plan converter unwraps it. */
  public static final class BasaltTable extends AbstractTable {
    private final TableDescriptor descriptor;

    BasaltTable(TableDescriptor descriptor) {
      this.descriptor = descriptor;
    }

    public TableDescriptor descriptor() {
      return descriptor;
    }

    /**
     * The row count for Calcite's cost model. No keys are declared: NDV from ANALYZE is an
     * estimate, and Calcite would use a declared key to remove outer joins.
     */
    @Override
    public Statistic getStatistic() {
      Double rows = descriptor.statistics().get().rowCount();
      return rows == null ? Statistics.UNKNOWN : Statistics.of(rows, List.of());
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataTypeFactory.Builder builder = typeFactory.builder();
      for (ColumnDescriptor column : descriptor.columns()) {
        builder.add(
            column.name(), CalciteTypes.toCalcite(typeFactory, column.type(), column.nullable()));
      }
      return builder.build();
    }
  }
}
