package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.TypeCoercion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A filter condition evaluated into a selection vector: the offsets of the rows for which it is
 * TRUE. AND narrows the selection operand by operand and OR collects what each operand keeps of the
 * rows still undecided, so every operand only looks at the rows still in play (as {@link
 * LogicalExpression} does). A comparison of a column with a constant runs its function's selection
 * kernel ({@link dev.basalt.exec.function.ScalarFunction#selectWithConstant}) on the column as it
 * is, without copying the batch or building a vector of the constant; anything else is evaluated as
 * an {@link Expression} over the selected rows.
 *
 * <p>Built once per plan and immutable: {@link #select} may run on several threads at once.
 */
public final class SelectionFilter {
  /**
   * Functions that give the same value for the same arguments, every time: a call of them on
   * constants is a constant. Besides these, the interval functions ({@code days_sub}, {@code
   * months_add} ...), which {@code d +/- INTERVAL n unit} becomes.
   */
  private static final Set<String> CONSTANT_FUNCTIONS =
      Set.of("add", "subtract", "multiply", "negate", "cast", "date_add", "date_sub");

  private static final Set<String> INTERVAL_UNITS =
      Set.of(
          "years",
          "quarters",
          "months",
          "weeks",
          "days",
          "hours",
          "minutes",
          "seconds",
          "microseconds");

  /** The comparison operators, whose kernels compare a string column's bytes directly. */
  private static final Set<String> COMPARISONS =
      Set.of("eq", "ne", "lt", "le", "gt", "ge", "null_safe_eq");

  private static final Batch ONE_ROW = new Batch(List.of(), 1);

  private final Node root;

  private SelectionFilter(Node root) {
    this.root = root;
  }

  /** The filter for a BOOLEAN {@code condition}. */
  public static SelectionFilter of(Expression condition) {
    return new SelectionFilter(compile(condition));
  }

  /**
   * Writes the offsets of the rows of {@code batch} for which the condition is TRUE, ascending,
   * into {@code selected} (room for {@code batch.rowCount()}) and returns how many there are.
   */
  public int select(Batch batch, EvaluationContext context, int[] selected) {
    return refine(batch, context, selected, selectAll(selected, batch.rowCount()));
  }

  /**
   * Keeps, in place and in order, those of the rows {@code positions[0 .. count)} of {@code batch}
   * for which the condition is TRUE; returns how many.
   */
  public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
    return count == 0 ? 0 : root.refine(batch, context, positions, count);
  }

  /** Writes {@code 0 .. rowCount - 1} into {@code positions} and returns {@code rowCount}. */
  public static int selectAll(int[] positions, int rowCount) {
    for (int row = 0; row < rowCount; row++) {
      positions[row] = row;
    }
    return rowCount;
  }

  /** One operand: keeps, in place and in order, the positions whose row it makes TRUE. */
  private interface Node {
    int refine(Batch batch, EvaluationContext context, int[] positions, int count);
  }

  private static Node compile(Expression condition) {
    Node node = compileOperands(condition);
    int column = onlyColumn(condition);
    if (column < 0) {
      return node;
    }
    // A lone comparison of two strings cannot fail, so it is answered for every dictionary entry
    // at once, without first finding the entries the rows use.
    return node instanceof ColumnWithConstant comparison
            && COMPARISONS.contains(comparison.call().function().name())
            && comparison.call().arguments().stream().allMatch(a -> a.type().kind().isString())
        ? new ComparisonPerDictionaryEntry(column, comparison)
        : new PerDictionaryEntry(column, node);
  }

  /** {@code condition} as a node, its operands compiled by {@link #compile}. */
  private static Node compileOperands(Expression condition) {
    if (condition instanceof LogicalExpression logical
        && logical.kind() != LogicalExpression.Kind.NOT) {
      Expression common = sharedComputedOperand(logical.operands());
      if (common != null) {
        return sharedOperand(logical, common);
      }
      List<Node> operands = new ArrayList<>();
      for (Expression operand : logical.operands()) {
        operands.add(compile(operand));
      }
      return logical.kind() == LogicalExpression.Kind.AND
          ? new And(operands.toArray(Node[]::new))
          : new Or(operands.toArray(Node[]::new));
    }
    if (condition instanceof FunctionCall call && call.arguments().size() == 2) {
      Expression first = call.arguments().get(0);
      Expression second = call.arguments().get(1);
      if (column(first) instanceof InputReference column && isConstant(second)) {
        return new ColumnWithConstant(call, column.index(), second, false);
      }
      if (column(second) instanceof InputReference column && isConstant(first)) {
        return new ColumnWithConstant(call, column.index(), first, true);
      }
    }
    return new Evaluated(condition);
  }

  /**
   * The one column {@code condition} reads when it reads exactly one and calls only functions that
   * give the same result for the same arguments; otherwise -1.
   */
  private static int onlyColumn(Expression condition) {
    BitSet columns = new BitSet();
    return ColumnReferences.collect(condition, columns, true) && columns.cardinality() == 1
        ? columns.nextSetBit(0)
        : -1;
  }

  /**
   * The expression (neither a column nor a constant) that every one of {@code operands} compares
   * with a constant, as the same instance ({@code substring(c_phone, 1, 2) IN ('13', '31', ...)}
   * expands into one comparison per value, all sharing the translated operand), or {@code null}.
   */
  private static Expression sharedComputedOperand(List<Expression> operands) {
    Expression common = null;
    for (Expression operand : operands) {
      if (!(operand instanceof FunctionCall call) || call.arguments().size() != 2) {
        return null;
      }
      Expression first = call.arguments().get(0);
      Expression second = call.arguments().get(1);
      Expression computed = isConstant(second) ? first : isConstant(first) ? second : null;
      if (computed == null
          || column(computed) != null
          || isConstant(computed)
          || common != null && computed != common) {
        return null;
      }
      common = computed;
    }
    return common;
  }

  /**
   * {@code logical} (an AND or OR of comparisons of {@code common} with constants) as a node that
   * evaluates {@code common} once over the rows in play and runs the comparisons' selection kernels
   * on the result, as on a column.
   */
  private static Node sharedOperand(LogicalExpression logical, Expression common) {
    InputReference computed = new InputReference(0, common.type());
    Node[] comparisons = new Node[logical.operands().size()];
    for (int i = 0; i < comparisons.length; i++) {
      FunctionCall call = (FunctionCall) logical.operands().get(i);
      boolean constantFirst = call.arguments().get(1) == common;
      Expression constant = call.arguments().get(constantFirst ? 0 : 1);
      FunctionCall overColumn =
          new FunctionCall(
              call.function(),
              constantFirst ? List.of(constant, computed) : List.of(computed, constant));
      comparisons[i] = new ColumnWithConstant(overColumn, 0, constant, constantFirst);
    }
    Node combined =
        logical.kind() == LogicalExpression.Kind.AND ? new And(comparisons) : new Or(comparisons);
    return new SharedOperand(common, combined);
  }

  /**
   * The column {@code expression} reads, looking through a cast that keeps every value as it is
   * (Calcite widens a DECIMAL(15, 2) column to DECIMAL(16, 2) to compare it with a literal), or
   * {@code null}.
   */
  private static InputReference column(Expression expression) {
    if (expression instanceof InputReference reference) {
      return reference;
    }
    if (expression instanceof FunctionCall call
        && call.function().name().equals("cast")
        && call.arguments().size() == 1
        && call.arguments().get(0) instanceof InputReference reference
        && keepsValues(reference.type(), call.type())) {
      return reference;
    }
    return null;
  }

  /** Whether a cast from {@code from} to {@code to} returns every value unchanged. */
  private static boolean keepsValues(DataType from, DataType to) {
    TypeKind a = from.kind();
    TypeKind b = to.kind();
    if (a == TypeKind.DECIMAL && b == TypeKind.DECIMAL) {
      return from.scale() == to.scale() && from.precision() <= to.precision();
    }
    if (a.isInteger() && b.isInteger()) {
      return a != TypeKind.LARGEINT
          && b != TypeKind.LARGEINT
          && TypeCoercion.integerDigits(a) <= TypeCoercion.integerDigits(b);
    }
    if (isText(a) && isText(b)) {
      // Never truncated; the comparison's own rule on trailing spaces is kept.
      return b == TypeKind.STRING || (a != TypeKind.STRING && from.length() <= to.length());
    }
    return a == b && a == TypeKind.DATE;
  }

  private static boolean isText(TypeKind kind) {
    return kind == TypeKind.CHAR || kind == TypeKind.VARCHAR || kind == TypeKind.STRING;
  }

  /** Whether {@code expression} reads no column and always gives the same value. */
  private static boolean isConstant(Expression expression) {
    return switch (expression) {
      case Literal literal -> true;
      case FunctionCall call ->
          isConstantFunction(call.function().name())
              && call.arguments().stream().allMatch(SelectionFilter::isConstant);
      default -> false;
    };
  }

  private static boolean isConstantFunction(String name) {
    if (CONSTANT_FUNCTIONS.contains(name)) {
      return true;
    }
    int underscore = name.lastIndexOf('_');
    return underscore > 0
        && INTERVAL_UNITS.contains(name.substring(0, underscore))
        && (name.endsWith("_add") || name.endsWith("_sub"));
  }

  private record And(Node[] operands) implements Node {
    @Override
    public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
      for (Node operand : operands) {
        if (count == 0) {
          break;
        }
        count = operand.refine(batch, context, positions, count);
      }
      return count;
    }
  }

  private record Or(Node[] operands) implements Node {
    @Override
    public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
      boolean[] kept = new boolean[batch.rowCount()];
      int[] undecided = Arrays.copyOf(positions, count);
      int undecidedCount = count;
      int[] work = new int[count];
      for (Node operand : operands) {
        if (undecidedCount == 0) {
          break;
        }
        System.arraycopy(undecided, 0, work, 0, undecidedCount);
        int matched = operand.refine(batch, context, work, undecidedCount);
        if (matched == 0) {
          continue;
        }
        for (int i = 0; i < matched; i++) {
          kept[work[i]] = true;
        }
        int still = 0;
        for (int i = 0; i < undecidedCount; i++) {
          int row = undecided[i];
          if (!kept[row]) {
            undecided[still++] = row;
          }
        }
        undecidedCount = still;
      }
      int result = 0;
      for (int i = 0; i < count; i++) {
        int row = positions[i];
        if (kept[row]) {
          positions[result++] = row;
        }
      }
      return result;
    }
  }

  /**
   * Conditions over one computed value: {@code operand} is evaluated once over the rows in play and
   * {@code condition} runs over it as column 0 of a batch of those rows.
   */
  private record SharedOperand(Expression operand, Node condition) implements Node {
    @Override
    public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
      ColumnVector value = operand.evaluate(Batches.select(batch, positions, count), context);
      int[] local = new int[count];
      int kept =
          condition.refine(
              new Batch(List.of(value), count), context, local, selectAll(local, count));
      for (int i = 0; i < kept; i++) {
        positions[i] = positions[local[i]];
      }
      return kept;
    }
  }

  /**
   * A condition that reads one column only (other than a lone comparison with a constant, {@link
   * ComparisonPerDictionaryEntry}). When the batch's column is a string vector with dictionary
   * codes ({@link BytesVector#hasDictionary}) and no more entries than twice the rows in play,
   * {@code condition} is evaluated once per entry that those rows use (and once for NULL if one of
   * them is NULL), over a batch of those values, and each row looks its entry's answer up: {@code
   * l_shipmode IN ('MAIL', 'SHIP')}, {@code p_type LIKE '%BRASS'}, {@code substring(c_phone, 1, 2)
   * IN (...)} compare a few entries instead of every row's bytes. Otherwise it is evaluated as
   * usual. The answers are the same: each row's value is its entry's, and the functions it calls
   * are deterministic ({@link #onlyColumn}); only values some row in play holds are evaluated, so a
   * function that fails on a value fails exactly when the row path would.
   */
  private record PerDictionaryEntry(int column, Node condition) implements Node {
    @Override
    public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
      if (!(batch.column(column) instanceof BytesVector strings)
          || !strings.hasDictionary()
          || strings.dictionary().size() > 2L * count) {
        return condition.refine(batch, context, positions, count);
      }
      int[] codes = strings.dictionaryCodes();
      // entryOfCode[c] - 1: where entry c sits among the entries used (0: not used yet).
      int[] entryOfCode = new int[strings.dictionary().size()];
      int[] usedCodes = new int[Math.min(count, entryOfCode.length) + 1];
      int used = 0;
      boolean anyNull = false;
      boolean nullable = strings.mayHaveNulls();
      for (int i = 0; i < count; i++) {
        int row = positions[i];
        if (nullable && strings.isNull(row)) {
          anyNull = true;
        } else if (entryOfCode[codes[row]] == 0) {
          usedCodes[used] = codes[row];
          entryOfCode[codes[row]] = ++used;
        }
      }
      int nullEntry = used;
      int values = anyNull ? used + 1 : used;
      if (anyNull) {
        usedCodes[nullEntry] = -1; // a NULL row among the values
      }
      ColumnVector entries = ColumnVectors.take(strings.dictionary(), usedCodes, values);
      // Only column `column` is read; the same vector stands in for the others.
      Batch entryBatch = new Batch(Collections.nCopies(batch.columnCount(), entries), values);
      int[] matching = new int[values];
      int matched = condition.refine(entryBatch, context, matching, selectAll(matching, values));
      boolean[] entryMatches = new boolean[values];
      for (int i = 0; i < matched; i++) {
        entryMatches[matching[i]] = true;
      }
      int kept = 0;
      for (int i = 0; i < count; i++) {
        int row = positions[i];
        boolean matches =
            nullable && strings.isNull(row)
                ? entryMatches[nullEntry]
                : entryMatches[entryOfCode[codes[row]] - 1];
        if (matches) {
          positions[kept++] = row;
        }
      }
      return kept;
    }
  }

  /**
   * A comparison of a string column with a string constant ({@code l_shipmode = 'AIR'}, {@code
   * c_mktsegment < 'M'}). When the batch's column carries dictionary codes ({@link
   * BytesVector#hasDictionary}) and its dictionary has no more entries than there are rows in play,
   * the comparison runs once over the dictionary (and once over a NULL when the column may hold
   * one) and each row looks its entry's answer up by code; otherwise it runs over the rows' bytes.
   * A comparison cannot fail, so evaluating entries no row in play holds changes nothing.
   */
  private record ComparisonPerDictionaryEntry(int column, ColumnWithConstant comparison)
      implements Node {
    @Override
    public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
      if (!(batch.column(column) instanceof BytesVector strings)
          || !strings.hasDictionary()
          || strings.dictionary().size() > count) {
        return comparison.refine(batch, context, positions, count);
      }
      BytesVector dictionary = strings.dictionary();
      boolean nullable = strings.mayHaveNulls();
      int entries = dictionary.size();
      ColumnVector values = dictionary;
      if (nullable) {
        int[] everyEntryAndNull = new int[entries + 1];
        selectAll(everyEntryAndNull, entries);
        everyEntryAndNull[entries] = -1;
        values = ColumnVectors.take(dictionary, everyEntryAndNull, entries + 1);
      }
      int valueCount = values.size();
      Batch entryBatch = new Batch(Collections.nCopies(batch.columnCount(), values), valueCount);
      int[] matching = new int[valueCount];
      int matched =
          comparison.refine(entryBatch, context, matching, selectAll(matching, valueCount));
      boolean[] entryMatches = new boolean[valueCount];
      for (int i = 0; i < matched; i++) {
        entryMatches[matching[i]] = true;
      }
      int[] codes = strings.dictionaryCodes();
      int kept = 0;
      if (!nullable) {
        for (int i = 0; i < count; i++) {
          int row = positions[i];
          positions[kept] = row;
          kept += entryMatches[codes[row]] ? 1 : 0;
        }
        return kept;
      }
      boolean nullMatches = entryMatches[entries];
      for (int i = 0; i < count; i++) {
        int row = positions[i];
        positions[kept] = row;
        kept += (strings.isNull(row) ? nullMatches : entryMatches[codes[row]]) ? 1 : 0;
      }
      return kept;
    }
  }

  /** {@code f(column, constant)} or {@code f(constant, column)}. */
  private record ColumnWithConstant(
      FunctionCall call, int column, Expression constant, boolean constantFirst) implements Node {
    @Override
    public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
      ColumnVector value = constant.evaluate(ONE_ROW, context);
      int kept =
          call.function()
              .selectWithConstant(batch.column(column), value, constantFirst, positions, count);
      return kept >= 0 ? kept : Evaluated.refine(call, batch, context, positions, count);
    }
  }

  /** Any condition, evaluated over the selected rows. */
  private record Evaluated(Expression condition) implements Node {
    @Override
    public int refine(Batch batch, EvaluationContext context, int[] positions, int count) {
      return refine(condition, batch, context, positions, count);
    }

    static int refine(
        Expression condition, Batch batch, EvaluationContext context, int[] positions, int count) {
      LongVector matches =
          (LongVector) condition.evaluate(Batches.select(batch, positions, count), context);
      int kept = 0;
      for (int i = 0; i < count; i++) {
        if (!matches.isNull(i) && matches.getLong(i) != 0) {
          positions[kept++] = positions[i];
        }
      }
      return kept;
    }
  }
}
