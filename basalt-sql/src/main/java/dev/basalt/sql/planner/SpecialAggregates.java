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

/**
 * Aggregates that Calcite's rewrites introduce and no user writes: {@code $SUM0} (SUM that is 0
 * rather than NULL on empty input, from COUNT decorrelation), {@code SINGLE_VALUE} (a scalar
 * subquery must return at most one row) and {@code LITERAL_AGG} (a constant per group).
 */
final class SpecialAggregates {
  private SpecialAggregates() {}

  static AggregateFunction sumOrZero(AggregateFunction sum, DataType resultType) {
    Object zero =
        switch (resultType.physical()) {
          case LONG -> 0L;
          case DOUBLE -> 0.0;
          case DECIMAL -> BigDecimal.ZERO.setScale(resultType.scale());
          case LARGEINT -> BigInteger.ZERO;
          case BYTES -> "0";
        };
    return new AggregateFunction() {
      @Override
      public String name() {
        return "$sum0";
      }

      @Override
      public DataType returnType() {
        return sum.returnType();
      }

      @Override
      public Accumulator newAccumulator() {
        Accumulator inner = sum.newAccumulator();
        return new Accumulator() {
          @Override
          public void add(List<ColumnVector> arguments, int row) {
            inner.add(arguments, row);
          }

          @Override
          public Object result() {
            Object value = inner.result();
            return value == null ? castZero(zero, sum.returnType()) : value;
          }
        };
      }
    };
  }

  private static Object castZero(Object zero, DataType type) {
    return switch (type.physical()) {
      case LONG -> 0L;
      case DOUBLE -> 0.0;
      case DECIMAL -> BigDecimal.ZERO.setScale(type.scale());
      case LARGEINT -> BigInteger.ZERO;
      case BYTES -> zero.toString();
    };
  }

  static AggregateFunction singleValue(DataType type) {
    return new AggregateFunction() {
      @Override
      public String name() {
        return "single_value";
      }

      @Override
      public DataType returnType() {
        return type;
      }

      @Override
      public Accumulator newAccumulator() {
        return new Accumulator() {
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
        };
      }
    };
  }

  static AggregateFunction literal(DataType type, Object value) {
    return new AggregateFunction() {
      @Override
      public String name() {
        return "literal_agg";
      }

      @Override
      public DataType returnType() {
        return type;
      }

      @Override
      public Accumulator newAccumulator() {
        return new Accumulator() {
          @Override
          public void add(List<ColumnVector> arguments, int row) {}

          @Override
          public Object result() {
            return value;
          }
        };
      }
    };
  }
}
