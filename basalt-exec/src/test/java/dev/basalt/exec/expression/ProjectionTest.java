package dev.basalt.exec.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.FunctionTesting;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Calls that repeat among a projection's expressions are evaluated once ({@link Projection}), with
 * the same values as evaluating every expression on its own; calls of functions that do not promise
 * determinism and calls under CASE are not shared.
 */
class ProjectionTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT = FunctionTesting.CONTEXT;
  private static final DataType PRICE = DataType.decimal(15, 2);

  /** Columns: 0 price, 1 discount, 2 tax (DECIMAL(15, 2)), 3 BIGINT. */
  private static final List<DataType> TYPES = List.of(PRICE, PRICE, PRICE, DataType.BIGINT);

  @Test
  void q01SharesTheDiscountedPriceAndComputesTheSameValues() {
    Literal one = new Literal(1L, DataType.INT);
    Expression discounted = call("multiply", column(0), call("subtract", one, column(1)));
    Expression charged = call("multiply", discounted, call("add", one, column(2)));
    List<Expression> expressions = List.of(column(3), discounted, charged, column(1));
    Projection projection = new Projection(expressions, TYPES.size());
    assertThat(projection.shared()).hasSize(1);
    assertSameValues(expressions, projection, 5);
  }

  @Test
  void nestedRepeatsAreEvaluatedSmallestFirst() {
    Expression difference = call("subtract", column(0), column(1));
    Expression product = call("multiply", difference, column(2));
    Expression sum = call("add", product, column(3));
    List<Expression> expressions =
        List.of(
            difference,
            product,
            sum,
            call("multiply", sum, sum),
            new NullTest(call("add", difference, column(3)), true),
            call("add", difference, column(3)));
    Projection projection = new Projection(expressions, TYPES.size());
    assertThat(projection.shared()).hasSize(4);
    assertSameValues(expressions, projection, 8);
  }

  @Test
  void callsUnderCaseAndOfFunctionsWithoutThePromiseAreNotShared() {
    Expression product = call("multiply", column(0), column(1));
    Expression underCase =
        new CaseExpression(
            List.of(new NullTest(column(3), false)), List.of(product), column(0), product.type());
    Projection withCase = new Projection(List.of(product, underCase), TYPES.size());
    assertThat(withCase.shared()).isEmpty();
    assertSameValues(List.of(product, underCase), withCase, 3);

    // The same call twice (equal, as one object), of a function that does not promise to be
    // deterministic.
    Expression absolute = call("abs", column(3));
    Projection unpromised =
        new Projection(List.of(absolute, call("add", absolute, column(3))), TYPES.size());
    assertThat(unpromised.shared()).isEmpty();
  }

  private static void assertSameValues(
      List<Expression> expressions, Projection projection, long seed) {
    Random random = new Random(seed);
    for (int round = 0; round < 5; round++) {
      Batch batch = randomBatch(random, 1 + random.nextInt(3000));
      List<ColumnVector> shared = projection.evaluate(batch, CONTEXT);
      assertThat(shared).hasSize(expressions.size());
      for (int e = 0; e < expressions.size(); e++) {
        ColumnVector alone = expressions.get(e).evaluate(batch, CONTEXT);
        assertThat(values(shared.get(e)))
            .as("seed %d round %d expression %d", seed, round, e)
            .isEqualTo(values(alone));
      }
    }
  }

  private static List<Object> values(ColumnVector vector) {
    List<Object> values = new ArrayList<>(vector.size());
    for (int row = 0; row < vector.size(); row++) {
      values.add(vector.getObject(row));
    }
    return values;
  }

  private static Batch randomBatch(Random random, int rows) {
    List<ColumnVector> columns = new ArrayList<>();
    for (int column = 0; column < TYPES.size(); column++) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(TYPES.get(column), rows);
      for (int row = 0; row < rows; row++) {
        if (random.nextInt(15) == 0) {
          builder.appendNull();
        } else if (column == 3) {
          builder.appendLong((long) random.nextInt(2000) - 1000);
        } else {
          builder.appendDecimal(BigDecimal.valueOf(random.nextLong(-100_000_000, 100_000_000), 2));
        }
      }
      columns.add(builder.build());
    }
    return new Batch(columns, rows);
  }

  private static Expression column(int index) {
    return new InputReference(index, TYPES.get(index));
  }

  private static Expression call(String name, Expression... arguments) {
    List<DataType> types = Arrays.stream(arguments).map(Expression::type).toList();
    return new FunctionCall(REGISTRY.resolveScalar(name, types), List.of(arguments));
  }
}
