package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.expression.CaseExpression;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Literal;
import dev.basalt.exec.expression.NullTest;
import dev.basalt.exec.expression.SpeculativeEvaluation;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.FunctionTesting;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A projection over a dense selection evaluates its expressions over every row of the input's
 * vectors and keeps the selection ({@link SpeculativeEvaluation}): seeded random batches and random
 * selections give the same rows as gathering the selected rows first, and a row the selection
 * leaves out never makes the query fail, while a selected row still does.
 */
class SpeculativeProjectionTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT = FunctionTesting.CONTEXT;
  private static final DataType PRICE = DataType.decimal(15, 2);
  private static final DataType WIDE = DataType.decimal(38, 0);

  /** Columns: 0 BIGINT, 1 price, 2 discount, 3 tax (DECIMAL(15, 2)), 4 DECIMAL(38, 0), 5 DOUBLE. */
  private static final List<DataType> TYPES =
      List.of(DataType.BIGINT, PRICE, PRICE, PRICE, WIDE, DataType.DOUBLE);

  @Test
  void denseSelectionsGiveTheRowsOfTheGatheringPath() {
    for (long seed : new long[] {1, 17, 2026}) {
      Random random = new Random(seed);
      List<Object[]> rows = randomRows(random, 30_000, false);
      for (double kept : new double[] {1.0, 0.99, 0.9, 0.8, 0.6, 0.5, 0.3, 0.02}) {
        List<Expression> projection = q01LikeProjection();
        assertThat(projection).allMatch(SpeculativeEvaluation::applies);
        List<List<Object>> speculative = new ArrayList<>();
        List<List<Object>> gathered = new ArrayList<>();
        int[] selectedBatches = new int[1];
        run(rows, new Random(seed + 1), kept, projection, true, speculative, selectedBatches);
        run(rows, new Random(seed + 1), kept, projection, false, gathered, null);
        assertThat(speculative).as("seed %d, %.2f kept", seed, kept).isEqualTo(gathered);
        assertThat(speculative).isNotEmpty();
        if (kept >= 0.9 && kept < 1.0) {
          // Evaluated over every row and handed on with the selection.
          assertThat(selectedBatches[0]).as("seed %d, %.2f kept", seed, kept).isPositive();
        }
        if (kept <= 0.6) {
          assertThat(selectedBatches[0]).isZero();
        }
      }
    }
  }

  @Test
  void aRejectedRowThatOverflowsDoesNotFailTheQuery() {
    Random random = new Random(99);
    List<Object[]> rows = randomRows(random, 20_000, true);
    Expression bigintSquare = call("multiply", column(0), column(0));
    Expression wideTimesTen = call("multiply", column(4), new Literal(10L, DataType.BIGINT));
    for (Expression overflowing : List.of(bigintSquare, wideTimesTen)) {
      List<Expression> projection =
          List.of(overflowing, call("multiply", column(1), column(2)), column(5));
      assertThat(projection).allMatch(SpeculativeEvaluation::applies);
      // Keep every row but the overflowing ones.
      Predicate<Object[]> keep =
          row ->
              (row[0] == null || Math.abs((Long) row[0]) < 1_000_000_000L)
                  && ((BigDecimal) row[4]).compareTo(BigDecimal.valueOf(1_000_000_000L)) < 0;
      List<List<Object>> speculative = new ArrayList<>();
      List<List<Object>> gathered = new ArrayList<>();
      runKeeping(rows, keep, projection, true, speculative);
      runKeeping(rows, keep, projection, false, gathered);
      assertThat(speculative).isEqualTo(gathered).hasSize(countKept(rows, keep));
      // A kept row that overflows still fails, on either path.
      Predicate<Object[]> keepAll = row -> true;
      for (boolean selections : new boolean[] {true, false}) {
        assertThatThrownBy(() -> runKeeping(rows, keepAll, projection, selections, null))
            .isInstanceOfSatisfying(
                BasaltException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALUE_OUT_OF_RANGE));
      }
    }
  }

  @Test
  void zeroDivisorsAndNullTestsOnRejectedRows() {
    Random random = new Random(7);
    List<Object[]> rows = randomRows(random, 10_000, false);
    for (Object[] row : rows) {
      if (random.nextInt(5) == 0) {
        row[2] = BigDecimal.ZERO.setScale(2);
      }
    }
    Expression discount = column(2);
    List<Expression> projection =
        List.of(
            call("divide", column(1), discount),
            call("mod", column(0), new Literal(0L, DataType.BIGINT)),
            new NullTest(call("subtract", column(3), discount), true),
            new CaseExpression(
                List.of(new NullTest(call("add", column(0), column(0)), false)),
                List.of(call("add", column(1), column(3))),
                call("subtract", column(1), column(3)),
                call("add", column(1), column(3)).type()));
    assertThat(projection).allMatch(SpeculativeEvaluation::applies);
    for (double kept : new double[] {0.95, 0.85}) {
      List<List<Object>> speculative = new ArrayList<>();
      List<List<Object>> gathered = new ArrayList<>();
      run(rows, new Random(3), kept, projection, true, speculative, null);
      run(rows, new Random(3), kept, projection, false, gathered, null);
      assertThat(speculative).isEqualTo(gathered);
    }
  }

  @Test
  void functionsThatDoNotPromiseItAreNotEvaluatedOnRejectedRows() {
    Expression repeat =
        new FunctionCall(
            REGISTRY.resolveScalar("repeat", List.of(DataType.varchar(5), DataType.BIGINT)),
            List.of(new Literal("ab", DataType.varchar(5)), column(0)));
    assertThat(SpeculativeEvaluation.applies(repeat)).isFalse();
    assertThat(SpeculativeEvaluation.applies(call("add", column(0), repeatLength(repeat))))
        .isFalse();
  }

  private static Expression repeatLength(Expression repeat) {
    return new FunctionCall(
        REGISTRY.resolveScalar("length", List.of(repeat.type())), List.of(repeat));
  }

  /** {@code price * (1 - discount)}, {@code price * (1 - discount) * (1 + tax)}, bare columns. */
  private static List<Expression> q01LikeProjection() {
    Literal one = new Literal(1L, DataType.INT);
    Expression discounted = call("multiply", column(1), call("subtract", one, column(2)));
    Expression charged = call("multiply", discounted, call("add", one, column(3)));
    return List.of(column(0), column(1), discounted, charged, column(2), column(5));
  }

  private static void run(
      List<Object[]> rows,
      Random random,
      double kept,
      List<Expression> projection,
      boolean selections,
      List<List<Object>> out,
      int[] selectedBatches) {
    Operator source =
        new Selecting(
            new ValuesOperator(TYPES, rows),
            (row, values) -> kept >= 1.0 || random.nextDouble() < kept);
    drain(new ProjectOperator(source, projection, CONTEXT), selections, out, selectedBatches);
  }

  private static void runKeeping(
      List<Object[]> rows,
      Predicate<Object[]> keep,
      List<Expression> projection,
      boolean selections,
      List<List<Object>> out) {
    Operator source =
        new Selecting(new ValuesOperator(TYPES, rows), (row, values) -> keep.test(values));
    drain(new ProjectOperator(source, projection, CONTEXT), selections, out, null);
  }

  private static void drain(
      Operator operator, boolean selections, List<List<Object>> out, int[] selectedBatches) {
    for (Batch batch = selections ? operator.nextSelected() : operator.next();
        batch != null;
        batch = selections ? operator.nextSelected() : operator.next()) {
      if (batch.hasSelection() && selectedBatches != null) {
        selectedBatches[0]++;
      }
      Batch rows = batch.compacted();
      for (int row = 0; row < rows.rowCount() && out != null; row++) {
        out.add(Arrays.asList(RowBuffer.row(rows, row)));
      }
    }
    operator.close();
  }

  private static int countKept(List<Object[]> rows, Predicate<Object[]> keep) {
    return (int) rows.stream().filter(keep).count();
  }

  /** Decides per row whether it is kept. */
  private interface RowChoice {
    boolean keep(int row, Object[] values);
  }

  /** Hands its input's batches on with the rows {@code choice} keeps selected. */
  private static final class Selecting implements Operator {
    private final Operator input;
    private final RowChoice choice;

    Selecting(Operator input, RowChoice choice) {
      this.input = input;
      this.choice = choice;
    }

    @Override
    public List<DataType> outputTypes() {
      return input.outputTypes();
    }

    @Override
    public Batch next() {
      Batch batch = nextSelected();
      return batch == null ? null : batch.compacted();
    }

    @Override
    public Batch nextSelected() {
      Batch batch = input.next();
      if (batch == null) {
        return null;
      }
      int[] positions = new int[batch.rowCount()];
      int count = 0;
      for (int row = 0; row < batch.rowCount(); row++) {
        if (choice.keep(row, RowBuffer.row(batch, row))) {
          positions[count++] = row;
        }
      }
      return batch.withSelection(positions, count);
    }

    @Override
    public void close() {
      input.close();
    }
  }

  private static Expression column(int index) {
    return new InputReference(index, TYPES.get(index));
  }

  private static Expression call(String name, Expression... arguments) {
    List<DataType> types = Arrays.stream(arguments).map(Expression::type).toList();
    return new FunctionCall(REGISTRY.resolveScalar(name, types), List.of(arguments));
  }

  /**
   * Random rows; with {@code overflowing}, one in 50 has a column 0 near the BIGINT range and a
   * column 4 of 38 nines, whose products overflow.
   */
  private static List<Object[]> randomRows(Random random, int count, boolean overflowing) {
    List<Object[]> rows = new ArrayList<>();
    BigDecimal nearMax = new BigDecimal("9".repeat(38));
    for (int i = 0; i < count; i++) {
      boolean huge = overflowing && random.nextInt(50) == 0;
      rows.add(
          new Object[] {
            random.nextInt(20) == 0
                ? null
                : huge ? Long.MAX_VALUE - random.nextInt(1000) : (long) random.nextInt(2000) - 1000,
            random.nextInt(20) == 0 ? null : BigDecimal.valueOf(random.nextLong(10_000_000), 2),
            random.nextInt(20) == 0 ? null : BigDecimal.valueOf(random.nextInt(11), 2),
            BigDecimal.valueOf(random.nextInt(9), 2),
            huge ? nearMax : BigDecimal.valueOf(random.nextLong(1_000_000_000L)),
            random.nextInt(10) == 0 ? null : random.nextDouble() * 1000
          });
    }
    return rows;
  }
}
