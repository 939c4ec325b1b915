package dev.basalt.exec.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.FunctionTesting;
import dev.basalt.exec.function.ScalarFunction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SelectionFilter} over string columns that carry dictionary codes against the same rows
 * without codes (the byte path) and against the condition evaluated as an expression: seeded random
 * comparisons with constants, IN lists, LIKE and NOT LIKE, string functions and IS NULL, over CHAR
 * and VARCHAR values with NULLs, empty strings, trailing spaces and multibyte UTF-8, with
 * dictionaries that repeat entries (a batch spanning two pages) and after a selection narrowed by
 * another column.
 */
class DictionaryFilterTest {
  private static final long SEED = 20261207L;
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT = FunctionTesting.CONTEXT;
  private static final String[] COMPARISONS = {"eq", "ne", "lt", "le", "gt", "ge", "null_safe_eq"};
  private static final String[] WORDS = {
    "AIR", "AIR ", "AIR REG", "MAIL", "SHIP", "", " ", "TRUCK", "Ärger", "日本語", "日本", "zz", "a%b",
    "a_b", "MED BOX", "LG CASE"
  };
  private static final String[] PATTERNS = {
    "AIR%", "%R%", "_AIL", "", "%", "日%", "%語", "a\\%b", "a_b", "% ", "MED%", "%CASE"
  };
  private static final DataType CHAR = DataType.character(10);
  private static final DataType VARCHAR = DataType.varchar(20);

  @Test
  void dictionaryAndBytePathsSelectTheSameRows() {
    Random random = new Random(SEED);
    for (int round = 0; round < 600; round++) {
      DataType type = random.nextBoolean() ? CHAR : VARCHAR;
      int rows = 1 + random.nextInt(400);
      BytesVector coded = randomDictionaryVector(random, type, rows);
      BytesVector plain = withoutDictionary(coded);
      ColumnVector numbers = randomNumbers(random, rows);
      Expression condition = randomCondition(random, type, 2);
      Batch codedBatch = new Batch(List.of(coded, numbers), rows);
      Batch plainBatch = new Batch(List.of(plain, numbers), rows);
      List<Integer> expected = truth(condition, plainBatch);
      String description = "seed " + SEED + " round " + round + ": " + condition;
      assertThat(select(condition, plainBatch)).as(description).isEqualTo(expected);
      assertThat(select(condition, codedBatch)).as(description).isEqualTo(expected);
      // Narrowed first by the number column, as an AND does: only some rows are in play.
      Expression narrowed =
          new LogicalExpression(
              LogicalExpression.Kind.AND,
              List.of(call("lt", numbers(), new Literal(3L, DataType.BIGINT)), condition));
      assertThat(select(narrowed, codedBatch))
          .as(description)
          .isEqualTo(truth(narrowed, plainBatch));
    }
  }

  /** A single-column condition runs once per dictionary entry in play, not once per row. */
  @Test
  void conditionRunsOncePerEntryInPlay() {
    Random random = new Random(SEED + 1);
    int[] evaluatedRows = new int[1];
    ScalarFunction like = REGISTRY.resolveScalar("like", List.of(VARCHAR, VARCHAR));
    ScalarFunction counted =
        new ScalarFunction() {
          @Override
          public String name() {
            return like.name();
          }

          @Override
          public DataType returnType() {
            return like.returnType();
          }

          @Override
          public ColumnVector evaluate(
              List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
            evaluatedRows[0] += rowCount;
            return like.evaluate(arguments, rowCount, context);
          }
        };
    int rows = 4096;
    BytesVector coded = randomDictionaryVector(random, VARCHAR, rows);
    Expression condition =
        new FunctionCall(
            counted, List.of(new InputReference(0, VARCHAR), new Literal("%R%", VARCHAR)));
    Batch codedBatch = new Batch(List.of(coded), rows);
    List<Integer> expected = truth(condition, new Batch(List.of(withoutDictionary(coded)), rows));
    evaluatedRows[0] = 0;
    assertThat(select(condition, codedBatch)).isEqualTo(expected);
    assertThat(evaluatedRows[0]).isLessThanOrEqualTo(coded.dictionary().size() + 1);
  }

  private static List<Integer> truth(Expression condition, Batch batch) {
    LongVector truth = (LongVector) condition.evaluate(batch, CONTEXT);
    List<Integer> rows = new ArrayList<>();
    for (int row = 0; row < batch.rowCount(); row++) {
      if (!truth.isNull(row) && truth.getLong(row) != 0) {
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<Integer> select(Expression condition, Batch batch) {
    int[] selected = new int[batch.rowCount()];
    int count = SelectionFilter.of(condition).select(batch, CONTEXT, selected);
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(selected[i]);
    }
    return rows;
  }

  /**
   * Rows drawn from a small dictionary (some entries twice, as two pages' dictionaries laid one
   * after the other give), about one in seven NULL.
   */
  static BytesVector randomDictionaryVector(Random random, DataType type, int rows) {
    List<String> entries = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
      entries.add(WORDS[random.nextInt(WORDS.length)]);
    }
    if (random.nextBoolean()) {
      entries.addAll(new ArrayList<>(entries.subList(0, 1 + random.nextInt(entries.size()))));
    }
    ColumnVectorBuilder dictionaryBuilder = new ColumnVectorBuilder(type);
    entries.forEach(dictionaryBuilder::appendObject);
    BytesVector dictionary = (BytesVector) dictionaryBuilder.build();
    int nullEvery = 2 + random.nextInt(12);
    int[] codes = new int[rows];
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type);
    for (int row = 0; row < rows; row++) {
      if (random.nextInt(nullEvery) == 0) {
        builder.appendNull();
        codes[row] = random.nextInt(entries.size()); // meaningless for a NULL row
      } else {
        codes[row] = random.nextInt(entries.size());
        builder.appendObject(entries.get(codes[row]));
      }
    }
    return ((BytesVector) builder.build()).withDictionary(codes, dictionary);
  }

  /** The same rows without codes: what a plain-encoded page gives. */
  static BytesVector withoutDictionary(BytesVector coded) {
    int rows = coded.size();
    int[] offsets = new int[rows + 1];
    boolean[] nulls = new boolean[rows];
    for (int row = 0; row < rows; row++) {
      offsets[row + 1] = coded.offset(row) + coded.byteLength(row);
      nulls[row] = coded.isNull(row);
    }
    return new BytesVector(coded.type(), coded.rawBytes().clone(), offsets, nulls, rows);
  }

  private static ColumnVector randomNumbers(Random random, int rows) {
    long[] values = new long[rows];
    for (int row = 0; row < rows; row++) {
      values[row] = random.nextInt(6);
    }
    return new LongVector(DataType.BIGINT, values, null, rows);
  }

  private static Expression strings(DataType type) {
    return new InputReference(0, type);
  }

  private static Expression numbers() {
    return new InputReference(1, DataType.BIGINT);
  }

  private static Expression randomCondition(Random random, DataType type, int depth) {
    int choice = random.nextInt(depth > 0 ? 9 : 6);
    Expression column = strings(type);
    return switch (choice) {
      case 0, 1 -> {
        String name = COMPARISONS[random.nextInt(COMPARISONS.length)];
        Expression constant = randomConstant(random);
        yield random.nextBoolean() ? call(name, column, constant) : call(name, constant, column);
      }
      case 2 -> {
        List<Expression> alternatives = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
          alternatives.add(call("eq", column, randomConstant(random)));
        }
        Expression in =
            alternatives.size() == 1
                ? alternatives.get(0)
                : new LogicalExpression(LogicalExpression.Kind.OR, alternatives);
        yield random.nextInt(3) == 0
            ? new LogicalExpression(LogicalExpression.Kind.NOT, List.of(in))
            : in;
      }
      case 3 -> {
        Expression like =
            call("like", column, new Literal(PATTERNS[random.nextInt(PATTERNS.length)], VARCHAR));
        yield random.nextBoolean()
            ? like
            : new LogicalExpression(LogicalExpression.Kind.NOT, List.of(like));
      }
      case 4 -> {
        Expression computed =
            switch (random.nextInt(4)) {
              case 0 ->
                  call(
                      "substring",
                      column,
                      new Literal(1L, DataType.INT),
                      new Literal((long) 1 + random.nextInt(3), DataType.INT));
              case 1 -> call("upper", column);
              case 2 -> call("trim", column);
              default -> call("concat", column, new Literal("x", VARCHAR));
            };
        List<Expression> comparisons = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
          comparisons.add(call("eq", computed, randomConstant(random)));
        }
        yield comparisons.size() == 1
            ? comparisons.get(0)
            : new LogicalExpression(LogicalExpression.Kind.OR, comparisons);
      }
      case 5 ->
          random.nextBoolean()
              ? new NullTest(column, random.nextBoolean())
              : call("gt", call("length", column), new Literal(3L, DataType.INT));
      default -> {
        List<Expression> operands = new ArrayList<>();
        for (int i = 0, n = 2 + random.nextInt(2); i < n; i++) {
          operands.add(
              random.nextInt(4) == 0
                  ? call("eq", numbers(), new Literal((long) random.nextInt(6), DataType.BIGINT))
                  : randomCondition(random, type, depth - 1));
        }
        yield new LogicalExpression(
            choice == 6 ? LogicalExpression.Kind.AND : LogicalExpression.Kind.OR, operands);
      }
    };
  }

  private static Expression randomConstant(Random random) {
    if (random.nextInt(10) == 0) {
      return new Literal(null, VARCHAR);
    }
    String word = WORDS[random.nextInt(WORDS.length)];
    return new Literal(
        word, DataType.varchar(Math.max(1, word.getBytes(StandardCharsets.UTF_8).length)));
  }

  private static Expression call(String name, Expression... arguments) {
    List<DataType> types = new ArrayList<>();
    for (Expression argument : arguments) {
      types.add(argument.type());
    }
    return new FunctionCall(REGISTRY.resolveScalar(name, types), List.of(arguments));
  }
}
