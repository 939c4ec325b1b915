package dev.basalt.exec.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A call whose arguments are all literals (or such calls) is computed on one row per batch and
 * repeated; a call of RAND() or UUID() is computed for every row; the answers and errors are those
 * of the same call computed on every row.
 */
class FunctionCallTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT =
      new EvaluationContext(
          ZoneId.of("America/New_York"), LocalDateTime.of(2024, 3, 15, 10, 20, 30), "test-query");
  private static final int ROWS = 1_000;
  private static final DataType TEXT = DataType.varchar(20);

  private static Batch batch(int rows) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.BIGINT, Math.max(rows, 1));
    for (int row = 0; row < rows; row++) {
      builder.appendLong(row);
    }
    return new Batch(List.of(builder.build()), rows);
  }

  private static ScalarFunction resolve(String name, DataType... types) {
    return REGISTRY.resolveScalar(name, List.of(types));
  }

  private static Literal text(String value) {
    return new Literal(value, TEXT);
  }

  /**
   * A constant call's string result is repeated as the bytes of its one row: UNHEX of bytes that
   * are not UTF-8 gives, on every row, exactly the bytes the call computed on every row gives.
   */
  @Test
  void aConstantCallRepeatsTheBytesOfItsOneRow() {
    ScalarFunction unhex = resolve("unhex", TEXT);
    FunctionCall call = new FunctionCall(unhex, List.of(text("C3FF41")));
    BytesVector values = (BytesVector) call.evaluate(batch(ROWS), CONTEXT);
    BytesVector perRow =
        (BytesVector)
            unhex.evaluate(
                List.of(ColumnVectorBuilder.constant(TEXT, "C3FF41", ROWS)), ROWS, CONTEXT);
    assertThat(values.size()).isEqualTo(ROWS);
    for (int row = 0; row < ROWS; row++) {
      assertThat(values.getBytes(row)).as("row " + row).isEqualTo(perRow.getBytes(row));
    }
  }

  /** DOUBLE division and modulo of literals on an empty batch give empty vectors. */
  @Test
  void doubleDivisionOfLiteralsOnAnEmptyBatchIsEmpty() {
    for (String name : List.of("divide", "mod")) {
      FunctionCall call =
          new FunctionCall(
              resolve(name, DataType.DOUBLE, DataType.DOUBLE),
              List.of(new Literal(1.0, DataType.DOUBLE), new Literal(2.0, DataType.DOUBLE)));
      assertThat(call.evaluate(batch(0), CONTEXT).size()).as(name).isZero();
    }
  }

  @Test
  void aCallOnLiteralsIsComputedOncePerBatchAndRepeated() {
    List<Integer> rowCounts = new ArrayList<>();
    ScalarFunction upper = recording(resolve("upper", TEXT), rowCounts);
    ScalarFunction concat = recording(resolve("concat", TEXT, upper.returnType()), rowCounts);
    FunctionCall call =
        new FunctionCall(concat, List.of(text("a-"), new FunctionCall(upper, List.of(text("bc")))));
    assertThat(call.isConstant()).isTrue();

    ColumnVector values = call.evaluate(batch(ROWS), CONTEXT);

    assertThat(rowCounts).containsExactly(1, 1);
    assertThat(values.size()).isEqualTo(ROWS);
    for (int row = 0; row < ROWS; row++) {
      assertThat(values.getObject(row)).as("row " + row).isEqualTo("a-BC");
    }
    // The same as the call computed on every row.
    ColumnVector perRow =
        resolve("concat", TEXT, upper.returnType())
            .evaluate(
                List.of(
                    ColumnVectorBuilder.constant(TEXT, "a-", ROWS),
                    resolve("upper", TEXT)
                        .evaluate(
                            List.of(ColumnVectorBuilder.constant(TEXT, "bc", ROWS)),
                            ROWS,
                            CONTEXT)),
                ROWS,
                CONTEXT);
    for (int row = 0; row < ROWS; row++) {
      assertThat(values.getObject(row)).isEqualTo(perRow.getObject(row));
    }
  }

  @Test
  void literalCallsOfSeveralTypesMatchTheCallOnEveryRow() {
    List<FunctionCall> calls =
        List.of(
            new FunctionCall(
                resolve("date_format", TEXT, TEXT), List.of(text("2024-01-01"), text("%Y"))),
            new FunctionCall(
                resolve("add", DataType.INT, DataType.decimal(4, 2)),
                List.of(
                    new Literal(1L, DataType.INT),
                    new Literal(new java.math.BigDecimal("0.25"), DataType.decimal(4, 2)))),
            new FunctionCall(
                resolve("sqrt", DataType.DOUBLE), List.of(new Literal(2.0, DataType.DOUBLE))),
            new FunctionCall(
                resolve("concat", TEXT, TEXT), List.of(text("x"), new Literal(null, TEXT))),
            new FunctionCall(resolve("length", TEXT), List.of(text("hello"))));
    for (FunctionCall call : calls) {
      assertThat(call.isConstant()).as(call.function().name()).isTrue();
      ColumnVector once = call.evaluate(batch(ROWS), CONTEXT);
      List<ColumnVector> expanded = new ArrayList<>();
      for (Expression argument : call.arguments()) {
        Literal literal = (Literal) argument;
        expanded.add(ColumnVectorBuilder.constant(literal.type(), literal.value(), ROWS));
      }
      ColumnVector everyRow = call.function().evaluate(expanded, ROWS, CONTEXT);
      assertThat(once.type()).isEqualTo(everyRow.type());
      assertThat(once.size()).isEqualTo(ROWS);
      for (int row = 0; row < ROWS; row++) {
        assertThat(once.getObject(row))
            .as(call.function().name() + " row " + row)
            .isEqualTo(everyRow.getObject(row));
      }
    }
  }

  /** A constant call reaches a function that takes constant vectors as one row. */
  @Test
  void aConstantCallIsAConstantVectorForOperators() {
    List<Integer> sizes = new ArrayList<>();
    ScalarFunction multiply = resolve("multiply", DataType.BIGINT, DataType.BIGINT);
    ScalarFunction add = resolve("add", DataType.BIGINT, multiply.returnType());
    ScalarFunction recordingAdd =
        new ScalarFunction() {
          @Override
          public String name() {
            return add.name();
          }

          @Override
          public DataType returnType() {
            return add.returnType();
          }

          @Override
          public boolean takesConstantVectors() {
            return true;
          }

          @Override
          public ColumnVector evaluate(
              List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
            arguments.forEach(argument -> sizes.add(argument.size()));
            return add.evaluate(arguments, rowCount, context);
          }
        };
    FunctionCall call =
        new FunctionCall(
            recordingAdd,
            List.of(
                new InputReference(0, DataType.BIGINT),
                new FunctionCall(
                    multiply,
                    List.of(new Literal(2L, DataType.BIGINT), new Literal(3L, DataType.BIGINT)))));
    assertThat(call.isConstant()).isFalse();
    ColumnVector sums = call.evaluate(batch(ROWS), CONTEXT);
    assertThat(sizes).containsExactly(ROWS, 1);
    for (int row = 0; row < ROWS; row++) {
      assertThat(sums.getObject(row)).isEqualTo(row + 6L);
    }
  }

  @Test
  void randomFunctionsGiveAValuePerRow() {
    FunctionCall rand = new FunctionCall(resolve("rand"), List.of());
    FunctionCall uuid = new FunctionCall(resolve("uuid"), List.of());
    FunctionCall seeded =
        new FunctionCall(
            resolve("rand", DataType.BIGINT), List.of(new Literal(3L, DataType.BIGINT)));
    FunctionCall concatUuid =
        new FunctionCall(resolve("concat", TEXT, uuid.type()), List.of(text("id-"), uuid));
    for (FunctionCall call : List.of(rand, uuid, seeded, concatUuid)) {
      assertThat(call.isConstant()).as(call.function().name()).isFalse();
    }
    assertThat(distinct(rand.evaluate(batch(3), CONTEXT))).hasSize(3);
    assertThat(distinct(uuid.evaluate(batch(3), CONTEXT))).hasSize(3);
    assertThat(distinct(concatUuid.evaluate(batch(3), CONTEXT))).hasSize(3);
    assertThat(distinct(rand.evaluate(batch(ROWS), CONTEXT))).hasSize(ROWS);
  }

  /**
   * A call on literals that fails fails the batch with the error of the call on every row, and an
   * empty batch computes nothing, so it does not fail.
   */
  @Test
  void aFailingLiteralCallFailsAsOnEveryRowAndNotOnAnEmptyBatch() {
    FunctionCall overflow =
        new FunctionCall(
            resolve("add", DataType.BIGINT, DataType.BIGINT),
            List.of(
                new Literal(Long.MAX_VALUE, DataType.BIGINT), new Literal(1L, DataType.BIGINT)));
    BasaltException perRow =
        org.junit.jupiter.api.Assertions.assertThrows(
            BasaltException.class,
            () ->
                overflow
                    .function()
                    .evaluate(
                        List.of(
                            ColumnVectorBuilder.constant(DataType.BIGINT, Long.MAX_VALUE, ROWS),
                            ColumnVectorBuilder.constant(DataType.BIGINT, 1L, ROWS)),
                        ROWS,
                        CONTEXT));
    assertThatThrownBy(() -> overflow.evaluate(batch(ROWS), CONTEXT))
        .isInstanceOf(BasaltException.class)
        .hasMessage(perRow.getMessage());
    assertThatThrownBy(() -> overflow.evaluate(batch(1), CONTEXT)).hasMessage(perRow.getMessage());
    assertThat(overflow.evaluate(batch(0), CONTEXT).size()).isZero();
  }

  private static Set<Object> distinct(ColumnVector vector) {
    Set<Object> values = new HashSet<>();
    for (int row = 0; row < vector.size(); row++) {
      values.add(vector.getObject(row));
    }
    return values;
  }

  /** {@code function}, recording the row count of every call into {@code rowCounts}. */
  private static ScalarFunction recording(ScalarFunction function, List<Integer> rowCounts) {
    return new ScalarFunction() {
      @Override
      public String name() {
        return function.name();
      }

      @Override
      public DataType returnType() {
        return function.returnType();
      }

      @Override
      public boolean takesConstantVectors() {
        return function.takesConstantVectors();
      }

      @Override
      public boolean isDeterministic() {
        return function.isDeterministic();
      }

      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        rowCounts.add(rowCount);
        return function.evaluate(arguments, rowCount, context);
      }
    };
  }
}
