package dev.basalt.server.engine;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.sketch.SketchValues;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DefaultValue;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Turns a column's declared DEFAULT into a value of the column's type, with the registry's casts.
 */
final class ColumnDefaults {
  private final FunctionRegistry registry;

  ColumnDefaults(FunctionRegistry registry) {
    this.registry = registry;
  }

  /**
   * The default as a boxed value, or {@code null} (no default or DEFAULT NULL). A BITMAP, HLL or
   * QUANTILE_STATE column defaults to the empty sketch, as in Doris.
   */
  Object valueOf(ColumnMeta column) {
    DefaultValue value = column.defaultValue();
    if (column.type().kind().isSketch() && value.kind() == DefaultValue.Kind.NONE) {
      return SketchValues.empty(column.type());
    }
    return switch (value.kind()) {
      case LITERAL -> cast(value.literal(), column.type());
      case CURRENT_TIMESTAMP ->
          cast(
              LocalDateTime.now(ZoneId.systemDefault()).withNano(0).toString().replace('T', ' '),
              column.type());
      default -> null;
    };
  }

  Object cast(String text, DataType type) {
    ColumnVector input = new ColumnVectorBuilder(DataType.STRING, 1).appendString(text).build();
    ColumnVector output =
        registry
            .resolveCast(DataType.STRING, type)
            .evaluate(List.of(input), 1, EvaluationContext.now(ZoneId.systemDefault(), "default"));
    return output.getObject(0);
  }
}
