package dev.basalt.jmh.filter;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Literal;
import dev.basalt.exec.expression.LogicalExpression;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.operator.FilterOperator;
import dev.basalt.exec.operator.Operator;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A WHERE clause over one batch of {@link Batch#DEFAULT_SIZE} rows: the predicate built as the
 * planner builds it (comparison functions resolved from the {@link FunctionRegistry} with a
 * literal, a range as {@code >= AND <=}, IN as the OR of equalities that Calcite's SEARCH expands
 * to) and run by a {@link FilterOperator}, which evaluates it and gathers the kept rows. Columns
 * are shaped like TPC-H's lineitem: {@code l_quantity} as a BIGINT from 1 to 50, {@code
 * l_extendedprice} as a scaled-long DECIMAL(15,2), {@code l_shipmode} as a VARCHAR of seven values.
 * Scores are nanoseconds per input row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FilterBenchmark {
  private static final int ROWS = Batch.DEFAULT_SIZE;
  private static final DataType PRICE = DataType.decimal(15, 2);
  private static final DataType SHIP_MODE = DataType.varchar(10);
  private static final String[] SHIP_MODES = {
    "REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"
  };

  /**
   * {@code quantity_lt}: {@code l_quantity < 24}; {@code quantity_between}: {@code BETWEEN 10 AND
   * 20}; {@code quantity_in}: {@code IN (1, 7, 13, 19, 25)}; {@code price_between}: {@code
   * l_extendedprice BETWEEN 20000.00 AND 50000.00}; {@code shipmode_eq}: {@code l_shipmode =
   * 'AIR'}; {@code shipmode_in}: {@code IN ('AIR', 'REG AIR', 'MAIL')}.
   */
  @Param({
    "quantity_lt",
    "quantity_between",
    "quantity_in",
    "price_between",
    "shipmode_eq",
    "shipmode_in"
  })
  public String predicate;

  private final FunctionRegistry registry = FunctionRegistry.builtins();
  private final EvaluationContext context =
      EvaluationContext.now(ZoneId.of("Asia/Shanghai"), "jmh");
  private Batch batch;
  private Expression condition;

  @Setup
  public void setUp() {
    Random random = new Random(14);
    long[] quantities = new long[ROWS];
    long[] prices = new long[ROWS];
    ByteArrayOutputStream modes = new ByteArrayOutputStream();
    int[] offsets = new int[ROWS + 1];
    for (int i = 0; i < ROWS; i++) {
      quantities[i] = 1 + random.nextInt(50);
      prices[i] = 90_000 + random.nextInt(10_000_000);
      modes.writeBytes(
          SHIP_MODES[random.nextInt(SHIP_MODES.length)].getBytes(StandardCharsets.UTF_8));
      offsets[i + 1] = modes.size();
    }
    batch =
        new Batch(
            List.<ColumnVector>of(
                new LongVector(DataType.BIGINT, quantities, null, ROWS),
                new DecimalVector(PRICE, prices, null, ROWS),
                new BytesVector(SHIP_MODE, modes.toByteArray(), offsets, null, ROWS)),
            ROWS);
    Expression quantity = new InputReference(0, DataType.BIGINT);
    Expression price = new InputReference(1, PRICE);
    Expression shipMode = new InputReference(2, SHIP_MODE);
    condition =
        switch (predicate) {
          case "quantity_lt" -> compare("lt", quantity, 24L, DataType.BIGINT);
          case "quantity_between" ->
              and(
                  compare("ge", quantity, 10L, DataType.BIGINT),
                  compare("le", quantity, 20L, DataType.BIGINT));
          case "quantity_in" -> in(quantity, DataType.BIGINT, 1L, 7L, 13L, 19L, 25L);
          case "price_between" ->
              and(
                  compare("ge", price, new BigDecimal("20000.00"), PRICE),
                  compare("le", price, new BigDecimal("50000.00"), PRICE));
          case "shipmode_eq" -> compare("eq", shipMode, "AIR", SHIP_MODE);
          case "shipmode_in" -> in(shipMode, SHIP_MODE, "AIR", "REG AIR", "MAIL");
          default -> throw new IllegalArgumentException("unknown predicate " + predicate);
        };
  }

  private Expression compare(String function, Expression column, Object value, DataType type) {
    Literal literal = new Literal(value, type);
    return new FunctionCall(
        registry.resolveScalar(
            function,
            List.of(column.type(), type),
            java.util.Arrays.asList(FunctionRegistry.NOT_CONSTANT, value)),
        List.of(column, literal));
  }

  private static Expression and(Expression left, Expression right) {
    return new LogicalExpression(LogicalExpression.Kind.AND, List.of(left, right));
  }

  private Expression in(Expression column, DataType type, Object... values) {
    List<Expression> equalities = new ArrayList<>();
    for (Object value : values) {
      equalities.add(compare("eq", column, value, type));
    }
    return new LogicalExpression(LogicalExpression.Kind.OR, equalities);
  }

  /** Returns the kept row count, so that the work cannot be optimized away. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int filter() {
    try (FilterOperator filter = new FilterOperator(new OneBatch(batch), condition, context)) {
      Batch kept = filter.next();
      return kept == null ? 0 : kept.rowCount();
    }
  }

  /** Produces one batch, then the end of the stream. */
  private static final class OneBatch implements Operator {
    private Batch batch;
    private final List<DataType> types;

    OneBatch(Batch batch) {
      this.batch = batch;
      this.types = batch.columns().stream().map(ColumnVector::type).toList();
    }

    @Override
    public List<DataType> outputTypes() {
      return types;
    }

    @Override
    public Batch next() {
      Batch next = batch;
      batch = null;
      return next;
    }

    @Override
    public void close() {}
  }
}
