package dev.basalt.load.streamload;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import java.time.ZoneId;
import java.util.List;

/**
 * The expressions of a Stream Load's {@code columns} header ({@code k1, tmp, v = tmp * 10}),
 * compiled once per load by the SQL engine and evaluated per batch: the input batch holds the
 * source fields (in {@code columns} order, as nullable strings, as Doris types them), the output
 * one vector per expression with the expression's own type, one value per input row. Used by one
 * load's thread.
 */
@FunctionalInterface
public interface DerivedColumns {
  List<ColumnVector> evaluate(Batch sourceFields);

  /** Compiles expressions over the source fields; implemented by the server's SQL engine. */
  @FunctionalInterface
  interface Compiler {
    /**
     * @param database the loaded table's database (the current database of the expressions)
     * @param sourceNames the source field names, as columns the expressions may use
     * @param expressions SQL expressions, e.g. {@code tmp * 10}
     * @throws dev.basalt.common.error.BasaltException for an expression that does not compile
     */
    DerivedColumns compile(
        String database, List<String> sourceNames, List<String> expressions, ZoneId zone);
  }
}
