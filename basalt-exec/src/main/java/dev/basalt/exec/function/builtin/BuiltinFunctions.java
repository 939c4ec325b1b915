package dev.basalt.exec.function.builtin;

import dev.basalt.exec.function.FunctionFamily;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.aggregate.AggregateFunctions;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.exec.function.scalar.ArithmeticFunctions;
import dev.basalt.exec.function.scalar.BitwiseFunctions;
import dev.basalt.exec.function.scalar.ComparisonFunctions;
import dev.basalt.exec.function.scalar.ConditionalFunctions;
import dev.basalt.exec.function.scalar.DateTimeFunctions;
import dev.basalt.exec.function.scalar.HashFunctions;
import dev.basalt.exec.function.scalar.MathFunctions;
import dev.basalt.exec.function.scalar.PatternFunctions;
import dev.basalt.exec.function.scalar.StringFunctions;
import dev.basalt.exec.function.scalar.UuidFunctions;

/**
 * Basalt's built-in scalar functions, aggregates and casts, as one {@link FunctionFamily}: the only
 * place that knows both the registry and every function class, so that {@code exec.function} does
 * not import {@code exec.function.scalar}, {@code exec.function.aggregate} or {@code
 * exec.function.cast}, which import it. Stateless.
 */
public final class BuiltinFunctions implements FunctionFamily {
  @Override
  public void register(FunctionRegistry.Builder builder) {
    ArithmeticFunctions.register(builder);
    ComparisonFunctions.register(builder);
    PatternFunctions.register(builder);
    StringFunctions.register(builder);
    MathFunctions.register(builder);
    DateTimeFunctions.register(builder);
    ConditionalFunctions.register(builder);
    HashFunctions.register(builder);
    BitwiseFunctions.register(builder);
    UuidFunctions.register(builder);
    AggregateFunctions.register(builder);
    builder.casts(Casts::resolve);
  }
}
