package dev.basalt.load.streamload;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import java.time.ZoneId;
import java.util.List;

/**
 * SQL expressions over a batch of fields, compiled once per load by the SQL engine and evaluated
 * per batch: the expressions of a Stream Load's {@code columns} header ({@code k1, tmp, v = tmp *
 * 10}), whose fields are the source fields (in {@code columns} order, as nullable strings, as Doris
 * types them), and its {@code where} filter, whose fields are the table's columns after mapping.
 * The output is one vector per expression with the expression's own type, one value per input row.
 * Used by one load's thread.
 */
@FunctionalInterface
public interface DerivedColumns {
  List<ColumnVector> evaluate(Batch sourceFields);

  /** Compiles expressions over the source fields; implemented by the server's SQL engine. */
  @FunctionalInterface
  interface Compiler {
    /**
     * @param database the loaded table's database (the current database of the expressions)
     * @param fieldNames the field names, as columns the expressions may use
     * @param fieldTypes the fields' types (nullable), as the batches hold them
     * @param expressions SQL expressions, e.g. {@code tmp * 10}
     * @throws dev.basalt.common.error.BasaltException for an expression that does not compile
     */
    DerivedColumns compile(
        String database,
        List<String> fieldNames,
        List<DataType> fieldTypes,
        List<String> expressions,
        ZoneId zone);
  }
}
