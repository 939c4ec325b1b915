package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.FunctionRegistry;
import java.util.List;
import java.util.UUID;

/**
 * {@code uuid()}: a random (version 4) UUID as 36 characters, a new one per row, as in MySQL and
 * Doris. The planner treats it as non-deterministic, so it is never folded into a constant, and it
 * is not {@linkplain dev.basalt.exec.function.ScalarFunction#isDeterministic deterministic}: a call
 * is computed for every row. Thread safe ({@link UUID#randomUUID} is).
 */
public final class UuidFunctions {
  private UuidFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(
        types ->
            types.isEmpty()
                ? RowWiseScalarFunction.varying(
                    "uuid",
                    DataType.varchar(36),
                    types,
                    List.of(),
                    (a, c) -> UUID.randomUUID().toString())
                : null,
        "uuid");
  }
}
