package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.exec.function.FunctionRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Util;

/**
 * Rewrites a parsed query from MySQL/Doris forms into what Calcite validates with Basalt's
 * semantics: variables become literals, arithmetic uses {@link BasaltArithmetic}, {@code d +
 * INTERVAL n DAY} and {@code date_add(d, INTERVAL n DAY)} become {@code days_add(d, n)}, {@code
 * TIMESTAMPDIFF(DAY, a, b)} becomes {@code timestampdiff('DAY', a, b)}, and unnamed select items
 * are labelled with their SQL text as MySQL does.
 */
final class MysqlRewriter extends SqlShuttle {
  private final BasaltArithmetic arithmetic;
  private final dev.basalt.exec.function.FunctionRegistry registry;
  private final SqlText text;
  private final VariableResolver variables;

  MysqlRewriter(
      BasaltArithmetic arithmetic,
      dev.basalt.exec.function.FunctionRegistry registry,
      SqlText text,
      VariableResolver variables) {
    this.arithmetic = arithmetic;
    this.registry = registry;
    this.text = text;
    this.variables = variables;
  }

  SqlNode rewriteTop(SqlNode node) {
    labelSelectItems(node);
    SqlNode rewritten = node.accept(this);
    if (rewritten != null && rewritten.getKind() == SqlKind.VALUES) {
      unifyValuesColumns((SqlCall) rewritten);
    }
    return rewritten;
  }

  /**
   * MySQL accepts {@code VALUES (1, 10), (2, '4.25')}: a column may mix strings with numbers. Such
   * a column is made VARCHAR (the other values are cast to text), and INSERT then converts the text
   * to the column type with its strict rules, so {@code 'many'} into a number is still an error.
   */
  private static void unifyValuesColumns(SqlCall values) {
    List<SqlCall> rows = new ArrayList<>();
    for (SqlNode row : values.getOperandList()) {
      if (!(row instanceof SqlCall call) || call.getKind() != SqlKind.ROW) {
        return;
      }
      rows.add(call);
    }
    if (rows.size() < 2) {
      return;
    }
    int width = rows.get(0).operandCount();
    for (int column = 0; column < width; column++) {
      boolean hasString = false;
      boolean hasOther = false;
      for (SqlCall row : rows) {
        if (row.operandCount() != width) {
          return;
        }
        SqlNode value = row.operand(column);
        if (value instanceof SqlLiteral literal
            && literal.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.NULL) {
          continue;
        }
        if (value instanceof org.apache.calcite.sql.SqlCharStringLiteral) {
          hasString = true;
        } else {
          hasOther = true;
        }
      }
      if (!hasString || !hasOther) {
        continue;
      }
      for (SqlCall row : rows) {
        SqlNode value = row.operand(column);
        boolean isNull =
            value instanceof SqlLiteral literal
                && literal.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.NULL;
        if (!(value instanceof org.apache.calcite.sql.SqlCharStringLiteral) && !isNull) {
          SqlParserPos position = value.getParserPosition();
          SqlNode asText =
              SqlStdOperatorTable.CAST.createCall(
                  position,
                  value,
                  new org.apache.calcite.sql.SqlDataTypeSpec(
                      new org.apache.calcite.sql.SqlBasicTypeNameSpec(
                          org.apache.calcite.sql.type.SqlTypeName.VARCHAR, position),
                      position));
          row.setOperand(column, asText);
        }
      }
    }
  }

  /**
   * MySQL reads only an integer in GROUP BY and ORDER BY as a column number: {@code GROUP BY 0.5}
   * groups by the constant and {@code ORDER BY 0.5} sorts by it (no effect). Calcite would take any
   * number as an ordinal ("Ordinal out of range"), so such a number becomes the expression {@code
   * +0.5}. Returns {@code items} itself when it has none.
   */
  private static SqlNodeList withoutFractionalOrdinals(SqlNodeList items) {
    List<SqlNode> rewritten = new ArrayList<>();
    boolean changed = false;
    for (SqlNode item : items) {
      SqlNode key = item;
      if (item.getKind() == SqlKind.DESCENDING && item instanceof SqlCall descending) {
        key = descending.operand(0);
      }
      if (key instanceof SqlNumericLiteral number && !number.isInteger()) {
        SqlNode expression =
            SqlStdOperatorTable.UNARY_PLUS.createCall(key.getParserPosition(), key);
        rewritten.add(
            key == item
                ? expression
                : SqlStdOperatorTable.DESC.createCall(item.getParserPosition(), expression));
        changed = true;
      } else {
        rewritten.add(item);
      }
    }
    return changed ? new SqlNodeList(rewritten, items.getParserPosition()) : items;
  }

  /** Gives unaliased expressions of the outermost select the label MySQL shows: their text. */
  private void labelSelectItems(SqlNode node) {
    SqlNode query = node instanceof SqlOrderBy orderBy ? orderBy.query : node;
    while (query instanceof SqlBasicCall call
        && (call.getKind() == SqlKind.UNION
            || call.getKind() == SqlKind.INTERSECT
            || call.getKind() == SqlKind.EXCEPT)) {
      query = call.operand(0);
    }
    if (query instanceof SqlOrderBy inner) {
      query = inner.query;
    }
    if (!(query instanceof SqlSelect select) || select.getSelectList() == null) {
      return;
    }
    SqlNodeList items = select.getSelectList();
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item instanceof SqlIdentifier identifier
          && text.variable(identifier.toString()) == null) {
        continue;
      }
      if (item.getKind() == SqlKind.AS
          || item instanceof SqlIdentifier identifier && identifier.isStar()) {
        continue;
      }
      // MySQL labels a string literal with its value ('abc' is column abc), anything else with its
      // text.
      String label =
          item instanceof org.apache.calcite.sql.SqlCharStringLiteral literal
              ? literal.getValueAs(String.class)
              : labelOf(item);
      if (label != null && !label.isEmpty()) {
        items.set(
            i,
            SqlStdOperatorTable.AS.createCall(
                item.getParserPosition(), item, new SqlIdentifier(label, SqlParserPos.ZERO)));
      }
    }
  }

  /** The text the parser read for {@code node} (after SqlText's rewriting), or "". */
  private String rewrittenText(SqlNode node) {
    SqlParserPos position = node.getParserPosition();
    String sql = text.sql();
    if (position.getLineNum() <= 0) {
      return "";
    }
    int start = PlanningErrors.offsetOf(sql, position.getLineNum(), position.getColumnNum());
    int end =
        PlanningErrors.offsetOf(sql, position.getEndLineNum(), position.getEndColumnNum()) + 1;
    return start < end && end <= sql.length() ? sql.substring(start, end) : "";
  }

  private String labelOf(SqlNode item) {
    SqlParserPos position = item.getParserPosition();
    if (position.getLineNum() <= 0) {
      return null;
    }
    String sql = text.sql();
    int start = PlanningErrors.offsetOf(sql, position.getLineNum(), position.getColumnNum());
    int end =
        PlanningErrors.offsetOf(sql, position.getEndLineNum(), position.getEndColumnNum()) + 1;
    if (start >= end || end > sql.length()) {
      return null;
    }
    return text.originalText(start, end);
  }

  @Override
  public SqlNode visit(SqlIdentifier identifier) {
    if (identifier.isSimple()) {
      SqlText.Variable variable = text.variable(identifier.getSimple());
      if (variable != null) {
        Object value =
            variable.system()
                ? variables.systemVariable(variable.name(), variable.global())
                : variables.userVariable(variable.name());
        return literal(value, identifier.getParserPosition());
      }
      String name = identifier.getSimple().toLowerCase(Locale.ROOT);
      if (!identifier.isComponentQuoted(0)) {
        if (name.equals("user") || name.equals("session_user") || name.equals("system_user")) {
          // In MySQL these are functions only with parentheses; bare, they name a column
          // (information_schema.PROCESSLIST.USER, mysql.user.User). Calcite would resolve the
          // bare word to its niladic function before looking for a column; a quoted name it
          // leaves alone.
          SqlParserPos position = identifier.getParserPosition().withQuoting(true);
          return new SqlIdentifier(
              List.of(identifier.getSimple()), null, position, List.of(position));
        }
      }
    }
    return identifier;
  }

  static SqlNode literal(Object value, SqlParserPos position) {
    if (value == null) {
      return SqlLiteral.createNull(position);
    }
    if (value instanceof Boolean bool) {
      return SqlLiteral.createExactNumeric(bool ? "1" : "0", position);
    }
    if (value instanceof Long || value instanceof Integer) {
      return SqlLiteral.createExactNumeric(value.toString(), position);
    }
    if (value instanceof Double number) {
      return SqlLiteral.createApproxNumeric(Double.toString(number), position);
    }
    if (value instanceof BigDecimal decimal) {
      return SqlLiteral.createExactNumeric(decimal.toPlainString(), position);
    }
    return SqlLiteral.createCharString(value.toString(), "UTF8", position);
  }

  @Override
  public SqlNode visit(SqlCall call) {
    SqlNode visited = super.visit(call);
    if (!(visited instanceof SqlCall rewritten)) {
      return visited;
    }
    SqlOperator operator = rewritten.getOperator();
    SqlParserPos position = rewritten.getParserPosition();
    if (rewritten instanceof SqlSelect select
        && select.getFrom() instanceof SqlIdentifier from
        && from.isSimple()
        && from.getSimple().equalsIgnoreCase("DUAL")) {
      // MySQL's FROM DUAL names no table: the select has one row.
      select.setFrom(null);
      return select;
    }
    if (rewritten instanceof SqlJoin join
        && textBetween(join.getLeft(), join.getRight()).contains(SqlText.SWAPPED_JOIN_MARKER)) {
      SqlNode left = join.getLeft();
      join.setLeft(join.getRight());
      join.setRight(left);
      return join;
    }
    if (rewritten instanceof SqlSelect select && SemiJoinRewriter.contains(select.getFrom())) {
      SemiJoinRewriter.rewrite(select);
    }
    if (rewritten instanceof SqlSelect select && select.getWhere() != null) {
      select.setWhere(CorrelatedNotIn.rewrite(select.getWhere()));
    }
    if (rewritten instanceof SqlSelect select && select.getGroup() != null) {
      select.setGroupBy(withoutFractionalOrdinals(select.getGroup()));
      if (readsInformationSchema(select.getFrom())) {
        anyValueForUngroupedColumns(select);
      }
    }
    if (rewritten instanceof SqlSelect select
        && HavingSubqueryAggregates.rewrite(select, registry::isAggregate)
            instanceof SqlSelect having
        && having != select) {
      // The HAVING became the WHERE of a select over the grouped rows; it keeps the HAVING's
      // planning (CorrelatedNotIn is for WHERE clauses as written).
      return having;
    }
    if (rewritten instanceof SqlOrderBy orderBy
        && HavingSubqueryAggregates.orderList(orderBy.query, orderBy.orderList)
            != orderBy.orderList) {
      rewritten =
          new SqlOrderBy(
              position,
              orderBy.query,
              HavingSubqueryAggregates.orderList(orderBy.query, orderBy.orderList),
              orderBy.offset,
              orderBy.fetch);
    }
    if (rewritten instanceof SqlOrderBy orderBy
        && withoutFractionalOrdinals(orderBy.orderList) != orderBy.orderList) {
      rewritten =
          new SqlOrderBy(
              position,
              orderBy.query,
              withoutFractionalOrdinals(orderBy.orderList),
              orderBy.offset,
              orderBy.fetch);
    }
    if (rewritten instanceof SqlOrderBy orderBy && distinctWindowByOrdinals(orderBy)) {
      // SELECT DISTINCT f() OVER (...) ... ORDER BY 1: Calcite checks the ORDER BY of a DISTINCT
      // select against its columns and refuses the window's input column; MySQL sorts the
      // distinct rows. Sorting a derived table of the distinct rows by the same ordinals is that.
      SqlSelect outer =
          SqlTrees.select(
              position,
              SqlNodeList.of(SqlIdentifier.star(position)),
              SqlStdOperatorTable.AS.createCall(
                  position, orderBy.query, new SqlIdentifier("distinct_rows", position)),
              null);
      return new SqlOrderBy(position, outer, orderBy.orderList, orderBy.offset, orderBy.fetch);
    }
    if (operator.getName().equals("<=>") && rewritten.operandCount() == 2) {
      return SqlStdOperatorTable.IS_NOT_DISTINCT_FROM.createCall(
          position, rewritten.operand(0), rewritten.operand(1));
    }
    if (rewritten.getKind() == SqlKind.OR
        && rewritten.operandCount() == 2
        && textBetween(rewritten.operand(0), rewritten.operand(1)).contains(SqlText.XOR_MARKER)) {
      return xor(rewritten.operand(0), rewritten.operand(1), position);
    }
    if (rewritten.getKind() == SqlKind.EXTRACT
        && rewritten.operandCount() == 2
        && rewritten.operand(0) instanceof SqlIntervalQualifier qualifier
        && qualifier.timeUnitRange.endUnit == null
        && EXTRACT_FUNCTIONS.containsKey(qualifier.timeUnitRange.startUnit)) {
      // EXTRACT(MONTH FROM '2024-03-05') and EXTRACT(YEAR FROM NULL): Basalt's month() and year()
      // take strings and NULL as MySQL does; Calcite's EXTRACT wants a DATE or TIMESTAMP.
      return function(
          EXTRACT_FUNCTIONS.get(qualifier.timeUnitRange.startUnit),
          List.of(rewritten.operand(1)),
          position);
    }
    if ((operator == SqlStdOperatorTable.PLUS || operator == SqlStdOperatorTable.MINUS)
        && rewritten.operandCount() == 2) {
      SqlNode left = rewritten.operand(0);
      SqlNode right = rewritten.operand(1);
      boolean subtract = operator == SqlStdOperatorTable.MINUS;
      if (isInterval(right)) {
        return dateArithmetic(subtract ? "date_sub" : "date_add", left, right, position);
      }
      if (isInterval(left) && !subtract) {
        return dateArithmetic("date_add", right, left, position);
      }
      return replace(rewritten, subtract ? arithmetic.minus : arithmetic.plus);
    }
    if (operator == SqlStdOperatorTable.MULTIPLY) {
      return replace(rewritten, arithmetic.times);
    }
    if (operator == SqlStdOperatorTable.DIVIDE) {
      if (textBetween(rewritten.operand(0), rewritten.operand(1))
          .contains(SqlText.INTEGER_DIVISION_MARKER)) {
        return function("int_divide", rewritten.getOperandList(), position);
      }
      return replace(rewritten, arithmetic.divide);
    }
    if (operator == SqlStdOperatorTable.PERCENT_REMAINDER) {
      return replace(rewritten, arithmetic.modulo);
    }
    if (rewritten.getKind() == SqlKind.LIKE
        && rewritten.operandCount() == 2
        && textBetween(rewritten.operand(0), rewritten.operand(1))
            .contains(SqlText.REGEXP_MARKER)) {
      SqlNode match = function("regexp", rewritten.getOperandList(), position);
      boolean negated =
          operator instanceof org.apache.calcite.sql.fun.SqlLikeOperator like && like.isNegated();
      return negated ? SqlStdOperatorTable.NOT.createCall(position, match) : match;
    }
    if (operator == SqlStdOperatorTable.TIMESTAMP_DIFF
        || operator == SqlStdOperatorTable.TIMESTAMP_ADD) {
      List<SqlNode> operands = new ArrayList<>(rewritten.getOperandList());
      operands.set(0, SqlLiteral.createCharString(unitName(operands.get(0)), position));
      String name =
          operator == SqlStdOperatorTable.TIMESTAMP_DIFF ? "timestampdiff" : "timestampadd";
      return function(name, operands, position);
    }
    String name = operator.getName().toLowerCase(Locale.ROOT);
    if (rewritten.operandCount() == 0 && VariableResolver.SESSION_FUNCTIONS.contains(name)) {
      return literal(variables.sessionFunction(name), position);
    }
    if ((name.equals("date_add")
            || name.equals("date_sub")
            || name.equals("adddate")
            || name.equals("subdate"))
        && rewritten.operandCount() == 2
        && isInterval(rewritten.operand(1))) {
      boolean subtract = name.equals("date_sub") || name.equals("subdate");
      return dateArithmetic(
          subtract ? "date_sub" : "date_add", rewritten.operand(0), rewritten.operand(1), position);
    }
    return rewritten;
  }

  /** Whether {@code from} is one {@code information_schema} table. */
  private static boolean readsInformationSchema(SqlNode from) {
    SqlNode table =
        from != null && from.getKind() == SqlKind.AS ? ((SqlCall) from).operand(0) : from;
    return table instanceof SqlIdentifier name
        && name.names.size() == 2
        && name.names.get(0).equalsIgnoreCase("information_schema");
  }

  /**
   * MySQL without ONLY_FULL_GROUP_BY, for catalog queries only: a selected column that is neither
   * grouped nor aggregated reads one of its group's values. mysqldump's tablespace query ({@code
   * SELECT ..., EXTRA FROM INFORMATION_SCHEMA.FILES ... GROUP BY ...} without EXTRA) relies on it;
   * queries over tables keep Doris's "is not being grouped" error.
   */
  private static void anyValueForUngroupedColumns(SqlSelect select) {
    java.util.Set<String> grouped = new java.util.HashSet<>();
    for (SqlNode key : select.getGroup()) {
      if (key instanceof SqlIdentifier identifier) {
        grouped.add(Util.last(identifier.names).toLowerCase(Locale.ROOT));
      }
    }
    List<SqlNode> items = new ArrayList<>();
    boolean changed = false;
    for (SqlNode item : select.getSelectList()) {
      if (item instanceof SqlIdentifier column
          && !column.isStar()
          && !grouped.contains(Util.last(column.names).toLowerCase(Locale.ROOT))) {
        SqlParserPos position = column.getParserPosition();
        items.add(
            SqlStdOperatorTable.AS.createCall(
                position,
                function("any_value", List.of(column), position),
                new SqlIdentifier(Util.last(column.names), position)));
        changed = true;
      } else {
        items.add(item);
      }
    }
    if (changed) {
      select.setSelectList(new SqlNodeList(items, select.getSelectList().getParserPosition()));
    }
  }

  /** A {@code SELECT DISTINCT} with a window function, ordered by column numbers only. */
  private static boolean distinctWindowByOrdinals(SqlOrderBy orderBy) {
    if (!(orderBy.query instanceof SqlSelect select)
        || !select.isDistinct()
        || orderBy.orderList.isEmpty()) {
      return false;
    }
    boolean hasWindow =
        select.getSelectList().stream()
            .anyMatch(
                item ->
                    item instanceof SqlCall call
                        && (call.getKind() == SqlKind.OVER
                            || call.getKind() == SqlKind.AS
                                && call.operand(0).getKind() == SqlKind.OVER));
    return hasWindow
        && orderBy.orderList.stream()
            .allMatch(
                item -> {
                  SqlNode key =
                      item.getKind() == SqlKind.DESCENDING ? ((SqlCall) item).operand(0) : item;
                  return key instanceof SqlLiteral literal
                      && literal.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.DECIMAL;
                });
  }

  private static final java.util.Map<TimeUnit, String> EXTRACT_FUNCTIONS =
      java.util.Map.ofEntries(
          java.util.Map.entry(TimeUnit.YEAR, "year"),
          java.util.Map.entry(TimeUnit.QUARTER, "quarter"),
          java.util.Map.entry(TimeUnit.MONTH, "month"),
          java.util.Map.entry(TimeUnit.WEEK, "week"),
          java.util.Map.entry(TimeUnit.DAY, "day"),
          java.util.Map.entry(TimeUnit.HOUR, "hour"),
          java.util.Map.entry(TimeUnit.MINUTE, "minute"),
          java.util.Map.entry(TimeUnit.SECOND, "second"),
          java.util.Map.entry(TimeUnit.MICROSECOND, "microsecond"));

  /**
   * {@code left XOR right} with MySQL's precedence. The text was parsed with XOR at OR's level,
   * left to right, so {@code a OR b XOR c} arrives as {@code (a OR b) XOR c}; MySQL binds XOR
   * tighter than OR and means {@code a OR (b XOR c)}. An OR on the left that the user did not put
   * in parentheses is therefore split: its last operand joins the XOR.
   */
  private SqlNode xor(SqlNode left, SqlNode right, SqlParserPos position) {
    if (left.getKind() == SqlKind.OR && !parenthesized(left)) {
      SqlCall or = (SqlCall) left;
      List<SqlNode> operands = new ArrayList<>(or.getOperandList());
      SqlNode last = operands.remove(operands.size() - 1);
      operands.add(xor(last, right, position));
      return SqlStdOperatorTable.OR.createCall(or.getParserPosition(), operands);
    }
    return function("xor", List.of(left, right), position);
  }

  /** Whether {@code node}'s text is directly enclosed in parentheses (unknown counts as yes). */
  private boolean parenthesized(SqlNode node) {
    SqlParserPos position = node.getParserPosition();
    if (position.getLineNum() <= 0) {
      return true;
    }
    String sql = text.sql();
    int start = PlanningErrors.offsetOf(sql, position.getLineNum(), position.getColumnNum());
    int end = PlanningErrors.offsetOf(sql, position.getEndLineNum(), position.getEndColumnNum());
    int before = start - 1;
    while (before >= 0 && Character.isWhitespace(sql.charAt(before))) {
      before--;
    }
    int after = end + 1;
    while (after < sql.length() && Character.isWhitespace(sql.charAt(after))) {
      after++;
    }
    return before >= 0
        && sql.charAt(before) == '('
        && after < sql.length()
        && sql.charAt(after) == ')';
  }

  /** The SQL text between the end of {@code left} and the start of {@code right}. */
  private String textBetween(SqlNode left, SqlNode right) {
    SqlParserPos leftPosition = left.getParserPosition();
    SqlParserPos rightPosition = right.getParserPosition();
    if (leftPosition.getLineNum() <= 0 || rightPosition.getLineNum() <= 0) {
      return "";
    }
    String sql = text.sql();
    int start =
        PlanningErrors.offsetOf(sql, leftPosition.getEndLineNum(), leftPosition.getEndColumnNum())
            + 1;
    int end =
        PlanningErrors.offsetOf(sql, rightPosition.getLineNum(), rightPosition.getColumnNum());
    return start < end ? sql.substring(start, end) : "";
  }

  private static SqlNode replace(SqlCall call, SqlOperator operator) {
    return operator.createCall(
        call.getFunctionQuantifier(),
        call.getParserPosition(),
        call.getOperandList().toArray(new SqlNode[0]));
  }

  private static boolean isInterval(SqlNode node) {
    if (node instanceof SqlIntervalLiteral) {
      return true;
    }
    return node instanceof SqlCall call
        && call.getOperandList().stream()
            .anyMatch(operand -> operand instanceof SqlIntervalQualifier)
        && call.getKind() != SqlKind.OTHER_FUNCTION;
  }

  private SqlNode dateArithmetic(
      String function, SqlNode date, SqlNode interval, SqlParserPos position) {
    SqlNode amount;
    String unit;
    if (interval instanceof SqlIntervalLiteral literal) {
      SqlIntervalLiteral.IntervalValue value =
          literal.getValueAs(SqlIntervalLiteral.IntervalValue.class);
      String digits = value.getIntervalLiteral().trim();
      amount = SqlLiteral.createExactNumeric((value.getSign() < 0 ? "-" : "") + digits, position);
      unit = value.getIntervalQualifier().timeUnitRange.startUnit.name();
      if (!digits.matches("[0-9]+")) {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED, "INTERVAL '" + digits + "' " + unit + " (use a single number)");
      }
    } else {
      SqlCall call = (SqlCall) interval;
      amount = call.operand(0);
      unit = unitName(call.operand(1));
    }
    if (unit.equals("SECOND") && rewrittenText(interval).contains(SqlText.MICROSECOND_MARKER)) {
      unit = "MICROSECOND";
    }
    // hours_add, months_sub ...: a named function per unit, so its result type (DATE or DATETIME)
    // follows from its name at validation time.
    return function(
        FunctionRegistry.intervalFunctionName(unit, function.equals("date_sub")),
        List.of(date, amount),
        position);
  }

  private static String unitName(SqlNode node) {
    if (node instanceof SqlIntervalQualifier qualifier) {
      return qualifier.timeUnitRange.startUnit.name();
    }
    if (node instanceof SqlLiteral literal && literal.getValue() instanceof Enum<?> symbol) {
      return symbol.name();
    }
    if (node instanceof SqlLiteral literal
        && literal.getValue() instanceof org.apache.calcite.avatica.util.TimeUnitRange range) {
      return range.startUnit.name();
    }
    if (node instanceof SqlIdentifier identifier) {
      return identifier.getSimple().toUpperCase(Locale.ROOT);
    }
    return TimeUnit.DAY.name();
  }

  private static SqlNode function(String name, List<SqlNode> operands, SqlParserPos position) {
    SqlUnresolvedFunction function =
        new SqlUnresolvedFunction(
            new SqlIdentifier(name, position),
            null,
            null,
            null,
            null,
            SqlFunctionCategory.USER_DEFINED_FUNCTION);
    return function.createCall(position, operands.toArray(new SqlNode[0]));
  }
}
