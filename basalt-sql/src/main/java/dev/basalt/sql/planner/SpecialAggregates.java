package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Supplier;

/**
 * Aggregates that Calcite's rewrites introduce and no user writes: {@code $SUM0} (SUM that is 0
 * rather than NULL on empty input, from COUNT decorrelation), {@code SINGLE_VALUE} (a scalar
 * subquery must return at most one row) and {@code LITERAL_AGG} (a constant per group).
 */
final class SpecialAggregates {
  private SpecialAggregates() {}

  /** An aggregate defined by its accumulator factory. */
  private record Defined(String name, DataType returnType, Supplier<Accumulator> accumulators)
      implements AggregateFunction {
    @Override
    public Accumulator newAccumulator() {
      return accumulators.get();
    }
  }

  static AggregateFunction sumOrZero(AggregateFunction sum) {
    Object zero =
        switch (sum.returnType().physical()) {
          case LONG -> 0L;
          case DOUBLE -> 0.0;
          case DECIMAL -> BigDecimal.ZERO.setScale(sum.returnType().scale());
          case LARGEINT -> BigInteger.ZERO;
          case BYTES -> "0";
        };
    return new Defined(
        "$sum0",
        sum.returnType(),
        () -> {
          Accumulator inner = sum.newAccumulator();
          return new Accumulator() {
            @Override
            public void add(List<ColumnVector> arguments, int row) {
              inner.add(arguments, row);
            }

            @Override
            public Object result() {
              Object value = inner.result();
              return value == null ? zero : value;
            }
          };
        });
  }

  static AggregateFunction singleValue(DataType type) {
    return new Defined(
        "single_value",
        type,
        () ->
            new Accumulator() {
              private int rows;
              private Object value;

              @Override
              public void add(List<ColumnVector> arguments, int row) {
                if (++rows > 1) {
                  throw new BasaltException(ErrorCode.SUBQUERY_RETURNS_MORE_THAN_ONE_ROW);
                }
                value = arguments.get(0).getObject(row);
              }

              @Override
              public Object result() {
                return value;
              }
            });
  }

  static AggregateFunction literal(DataType type, Object value) {
    return new Defined(
        "literal_agg",
        type,
        () ->
            new Accumulator() {
              @Override
              public void add(List<ColumnVector> arguments, int row) {}

              @Override
              public Object result() {
                return value;
              }
            });
  }
}
